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
    public static func forArch(_ arch: Arch) -> SyscallTable { tables[arch]! }

    /// The Linux version the generated tables reach: the version of the
    /// `system-calls` package `scripts/gen-syscalls.sh` reads (a test holds
    /// the generated file's header to it).
    public static let linuxVersion = "7.2"

    private static let tables: [Arch: SyscallTable] = {
        var result: [Arch: SyscallTable] = [:]
        for arch in Arch.allCases {
            let source: String
            switch arch {
            case .x86_64: source = x86_64Source
            case .i386: source = i386Source
            case .x32: source = x32Source
            case .aarch64: source = aarch64Source
            case .arm: source = armSource
            case .riscv64: source = riscv64Source
            case .ppc64le: source = ppc64leSource
            case .s390x: source = s390xSource
            case .loongarch64: source = loongarch64Source
            }
            result[arch] = SyscallTable(arch: arch, source: source)
        }
        return result
    }()

    /// The number of syscall `name`, or nil when this architecture lacks it.
    public func number(of name: String) -> UInt32? { numbersByName[name] }

    /// The first name (in table order) of syscall `number`, or nil.
    public func name(of number: UInt32) -> String? { namesByNumber[number] }

    /// All names of this table, sorted by number.
    public var names: [String] { entries.map(\.name) }

    /// The largest syscall number in the table.
    public var maxNumber: UInt32 { entries.last?.number ?? 0 }
}
