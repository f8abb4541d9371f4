/// One parameter of a syscall as the kernel declares it.
public struct SyscallParameter: Sendable, Hashable {
    /// The kernel's name (`family` for socket's first).
    public let name: String
    /// Bytes the kernel reads: 2 (`umode_t`), 4 (`int`-sized) or 8 (`long`,
    /// `size_t`, pointers on 64-bit ABIs, and 64-bit values everywhere).
    public let width: Int
    /// The argument slot, `seccomp_data.args[slot]`.
    public let slot: Int
    /// The ABI's argument size in bits: on 32-bit ABIs (i386, arm) an 8-byte
    /// value is split over `slot` (low word) and `slot + 1` (high word).
    public let argumentBits: Int

    /// Whether the value fills two 32-bit argument slots.
    public var isSplit: Bool { argumentBits == 32 && width == 8 }

    /// Whether the kernel reads fewer bits than seccomp sees in the slot (an
    /// `int` or `umode_t` on a 64-bit ABI, a `umode_t` on a 32-bit one).
    public var isNarrowerThanItsSlot: Bool { width * 8 < argumentBits }

    /// As `cordon syscalls` and messages write it: `family (int, 4 bytes, args[0])`.
    public var summary: String {
        let place = isSplit ? "args[\(slot)] low, args[\(slot + 1)] high" : "args[\(slot)]"
        return "\(name) (\(width) bytes, \(place))"
    }
}

/// Parameter names, widths and slots of every syscall of every architecture
/// (`scripts/gen-syscall-args.sh`, from Kafel's tables and the kernel's
/// declarations; `Generated/SyscallParameterTables.swift`).
public enum SyscallParameters {
    /// The parameters of syscall `name` on `arch`, in order; nil when the
    /// table has no such syscall. An unimplemented syscall has none.
    public static func of(_ name: String, arch: Arch) -> [SyscallParameter]? {
        table(arch)[name]?.parameters
    }

    /// Whether Linux implements syscall `name` on `arch` (a retired one, or
    /// one wired to `sys_ni_syscall`, fails with ENOSYS).
    public static func isImplemented(_ name: String, arch: Arch) -> Bool {
        table(arch)[name]?.implemented ?? false
    }

    /// The parameter `parameter` of syscall `name` on `arch`, if it declares one.
    public static func parameter(_ parameter: String, of name: String, arch: Arch) -> SyscallParameter? {
        of(name, arch: arch)?.first { $0.name == parameter }
    }

    private struct Entry: Sendable {
        let parameters: [SyscallParameter]
        let implemented: Bool
    }

    // Parsed per architecture on first use (a static let is lazy): an
    // x86_64 policy never parses the other eight tables.
    private static let x86_64Table = parse(x86_64Parameters, arch: .x86_64)
    private static let i386Table = parse(i386Parameters, arch: .i386)
    private static let x32Table = parse(x32Parameters, arch: .x32)
    private static let aarch64Table = parse(aarch64Parameters, arch: .aarch64)
    private static let armTable = parse(armParameters, arch: .arm)
    private static let riscv64Table = parse(riscv64Parameters, arch: .riscv64)
    private static let ppc64leTable = parse(ppc64leParameters, arch: .ppc64le)
    private static let s390xTable = parse(s390xParameters, arch: .s390x)
    private static let loongarch64Table = parse(loongarch64Parameters, arch: .loongarch64)

    private static func table(_ arch: Arch) -> [String: Entry] {
        switch arch {
        case .x86_64: x86_64Table
        case .i386: i386Table
        case .x32: x32Table
        case .aarch64: aarch64Table
        case .arm: armTable
        case .riscv64: riscv64Table
        case .ppc64le: ppc64leTable
        case .s390x: s390xTable
        case .loongarch64: loongarch64Table
        }
    }

    private static func parse(_ source: String, arch: Arch) -> [String: Entry] {
        var entries: [String: Entry] = [:]
        for line in source.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard let name = words.first else { continue }
            if words.count == 2 && words[1] == "-" {
                entries[String(name)] = Entry(parameters: [], implemented: false)
                continue
            }
            var parameters: [SyscallParameter] = []
            for word in words.dropFirst() {
                let parts = word.split(separator: ":")
                guard parts.count == 3, let width = Int(parts[1]), let slot = Int(parts[2]) else {
                    preconditionFailure("malformed generated parameter table line for \(arch): \(line)")
                }
                parameters.append(SyscallParameter(name: String(parts[0]), width: width, slot: slot, argumentBits: arch.argumentBits))
            }
            entries[String(name)] = Entry(parameters: parameters, implemented: true)
        }
        return entries
    }
}
