/// How numbers, constant names and syscall names are written on the command
/// line and in policies: integers in decimal, `0x` hex, `0o` octal or `0b`
/// binary, negative ones as two's complement; a decimal with a leading zero
/// is refused as ambiguous (is `010` eight or ten?).
public enum ValueSyntax {
    /// The value of an integer literal as a 64-bit pattern, or nil.
    public static func integer(_ text: String) -> UInt64? {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") {
            negative = true
            body = body.dropFirst()
        } else if body.hasPrefix("+") {
            body = body.dropFirst()
        }
        let magnitude: UInt64?
        let lower = body.lowercased()
        if lower.hasPrefix("0x") { magnitude = UInt64(lower.dropFirst(2), radix: 16) }
        else if lower.hasPrefix("0o") { magnitude = UInt64(lower.dropFirst(2), radix: 8) }
        else if lower.hasPrefix("0b") { magnitude = UInt64(lower.dropFirst(2), radix: 2) }
        else if body.count > 1 && body.hasPrefix("0") { magnitude = nil }
        else { magnitude = UInt64(body) }
        guard let value = magnitude, !body.isEmpty else { return nil }
        if negative {
            guard value <= UInt64(Int64.max) + 1 else { return nil }
            return 0 &- value
        }
        return value
    }

    /// A syscall argument: an integer or a constant name, cut to 32 bits on
    /// a 32-bit ABI (as the kernel sees a 32-bit register).
    public static func argument(_ text: String, arch: Arch) -> UInt64? {
        let value = integer(text) ?? ConstantTable.value(of: text, arch: arch).map { UInt64(bitPattern: $0) }
        guard let value else { return nil }
        return arch.argumentBits == 32 ? value & 0xFFFF_FFFF : value
    }

    /// A syscall: a name of `arch`'s table or a number as the kernel passes it.
    public static func syscall(_ text: String, arch: Arch) -> UInt32? {
        if let number = SyscallTable.forArch(arch).number(of: text) { return number }
        guard let value = integer(text) else { return nil }
        if value <= UInt64(UInt32.max) { return UInt32(value) }
        // -1 and other negative 32-bit numbers as two's complement.
        if value >= 0xFFFF_FFFF_8000_0000 { return UInt32(truncatingIfNeeded: value) }
        return nil
    }
}
