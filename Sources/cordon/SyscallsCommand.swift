import CordonLinux
import CordonPolicy

/// `cordon syscalls [ARCH] [NAME|NUMBER...]`: the syscall table, name to
/// number and back, with each parameter's kernel name and width, for every
/// architecture cordon knows (what `scmp_sys_resolver` does, with the
/// parameters a policy's `$args(NAME)` reads).
enum SyscallsCommand {
    static let usage = "usage: cordon syscalls [ARCH] [NAME|NUMBER...]   (ARCH: \(Arch.allCases.map(\.rawValue).joined(separator: ", ")); default: this machine's)"

    /// The architecture cordon runs on.
    static var host: Arch {
        #if arch(x86_64)
        return .x86_64
        #elseif arch(arm64)
        return .aarch64
        #elseif arch(i386)
        return .i386
        #elseif arch(arm)
        return .arm
        #elseif arch(riscv64)
        return .riscv64
        #elseif arch(powerpc64le)
        return .ppc64le
        #elseif arch(s390x)
        return .s390x
        #else
        return .x86_64
        #endif
    }

    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "syscalls")
        var wanted = args.positional
        var arch = host
        if let first = wanted.first, let named = Arch(rawValue: first) {
            arch = named
            wanted.removeFirst()
        }
        let table = SyscallTable.forArch(arch)
        guard !wanted.isEmpty else {
            IO.print(table.entries.map { line(arch, $0.number, $0.name) }.joined())
            return 0
        }
        var out = "", unknown: [String] = []
        for word in wanted {
            if let number = number(word) {
                if let name = table.name(of: number) {
                    out += line(arch, number, name)
                } else {
                    unknown.append("\(arch.rawValue) has no syscall \(word)")
                }
            } else if let number = table.number(of: word) {
                out += line(arch, number, word)
            } else {
                let elsewhere = Arch.allCases.filter { SyscallTable.forArch($0).number(of: word) != nil }.map(\.rawValue)
                let hint = elsewhere.isEmpty ? Suggest.closest(to: word, in: table.names).map { " (did you mean \($0)?)" } ?? ""
                    : " (it exists on \(elsewhere.joined(separator: ", ")))"
                unknown.append("\(arch.rawValue) has no syscall named '\(PolicyText.comment(String(word.prefix(64))))'\(hint)")
            }
        }
        IO.print(out)
        for message in unknown { IO.errorText("cordon syscalls: \(message)") }
        return unknown.isEmpty ? 0 : 1
    }

    /// A decimal or `0x` number.
    private static func number(_ word: String) -> UInt32? {
        if word.hasPrefix("0x") || word.hasPrefix("0X") { return UInt32(word.dropFirst(2), radix: 16) }
        return word.first?.isNumber == true ? UInt32(word) : nil
    }

    /// `x86_64  41  0x29  socket  family (4 bytes, args[0]), type (4 bytes, args[1]), ...`:
    /// the parameters as the kernel declares them, each with the bytes it
    /// reads and its argument slot (a 64-bit value on i386 and arm fills
    /// two). A syscall Linux does not implement there says so.
    static func line(_ arch: Arch, _ number: UInt32, _ name: String) -> String {
        let text = "\(arch.rawValue)  \(number)  0x\(String(number, radix: 16))  \(name)"
        guard let parameters = SyscallParameters.of(name, arch: arch) else { return text + "\n" }
        guard SyscallParameters.isImplemented(name, arch: arch) else { return text + "  (not implemented here: ENOSYS)\n" }
        return text + (parameters.isEmpty ? "  (no parameters)" : "  " + parameters.map(\.summary).joined(separator: ", ")) + "\n"
    }
}
