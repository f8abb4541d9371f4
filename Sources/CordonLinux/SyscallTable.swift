/// The syscall names and numbers of one architecture up to Linux 7.2, from
/// the `system-calls` package checked against the kernel headers (see
/// `scripts/gen-syscalls.sh` and `Generated/SyscallTables.swift`).
/// Numbers are as the kernel passes them: x32 numbers include bit 30.
public struct SyscallTable: Sendable {
    /// The architecture this table describes.
    public let arch: Arch
    /// Every (name, number) pair, sorted by number then name. A number may
    /// have several names (arm's `sync_file_range2` and `arm_sync_file_range`).
    public let entries: [(name: String, number: UInt32)]
    /// Names of syscalls Linux has retired (`uselib`, `_sysctl`): only the
    /// headers still name them; the number stays reserved and fails with ENOSYS.
    public let retired: Set<String>
    private let numbersByName: [String: UInt32]
    private let namesByNumber: [UInt32: String]

    init(arch: Arch, source: String) {
        var entries: [(name: String, number: UInt32)] = []
        var retired: Set<String> = []
        var byName: [String: UInt32] = [:]
        var byNumber: [UInt32: String] = [:]
        // A number's name is the package's, not a header alias (arm's
        // arm_sync_file_range for sync_file_range2): marked lines give way.
        var fromHeadersOnly: Set<String> = []
        for line in source.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 || parts.count == 3, let number = UInt32(parts[1]) else {
                preconditionFailure("malformed generated syscall table line for \(arch): \(line)")
            }
            let name = String(parts[0]), marked = parts.count == 3
            entries.append((name, number))
            if marked {
                fromHeadersOnly.insert(name)
                if parts[2] == "header" { retired.insert(name) }
            }
            byName[name] = number
            if let known = byNumber[number], !fromHeadersOnly.contains(known) || marked { continue }
            byNumber[number] = name
        }
        self.arch = arch
        self.entries = entries  // the generator writes them sorted by number, then name
        self.retired = retired
        numbersByName = byName
        namesByNumber = byNumber
    }

    /// The table for `arch`.
    public static func forArch(_ arch: Arch) -> SyscallTable {
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

    /// The Linux version the generated tables reach: the version of the
    /// `system-calls` package `scripts/gen-syscalls.sh` reads (a test holds
    /// the generated file's header to it).
    public static let linuxVersion = "7.2"

    // One lazily built table per architecture: a policy for x86_64 parses
    // only the tables it names (Swift initializes a static let on first use).
    private static let x86_64Table = SyscallTable(arch: .x86_64, source: x86_64Source)
    private static let i386Table = SyscallTable(arch: .i386, source: i386Source)
    private static let x32Table = SyscallTable(arch: .x32, source: x32Source)
    private static let aarch64Table = SyscallTable(arch: .aarch64, source: aarch64Source)
    private static let armTable = SyscallTable(arch: .arm, source: armSource)
    private static let riscv64Table = SyscallTable(arch: .riscv64, source: riscv64Source)
    private static let ppc64leTable = SyscallTable(arch: .ppc64le, source: ppc64leSource)
    private static let s390xTable = SyscallTable(arch: .s390x, source: s390xSource)
    private static let loongarch64Table = SyscallTable(arch: .loongarch64, source: loongarch64Source)

    /// The number of syscall `name`, or nil when this architecture lacks it.
    public func number(of name: String) -> UInt32? { numbersByName[name] }

    /// The first name (in table order) of syscall `number`, or nil.
    public func name(of number: UInt32) -> String? { namesByNumber[number] }

    /// All names of this table, sorted by number.
    public var names: [String] { entries.map(\.name) }

    /// The largest syscall number in the table.
    public var maxNumber: UInt32 { entries.last?.number ?? 0 }
}
