/// The constant names a policy may use, with their Linux values (see
/// `scripts/gen-constants.sh` and `Generated/ConstantTables.swift`). Values
/// are the x86 family's, with per-architecture overrides where the kernel
/// headers of aarch64, arm, riscv64, ppc64le or s390x differ (`O_DIRECTORY`
/// and friends). loongarch64 takes riscv64's: both use asm-generic for every
/// header these constants come from, and Debian has no loongarch64 headers
/// here to read.
public enum ConstantTable {
    private static let common: [String: Int64] = parse(commonSource)
    private static let overrides: [Arch: [String: Int64]] = [
        .aarch64: parse(aarch64Overrides),
        .arm: parse(armOverrides),
        .riscv64: parse(riscv64Overrides),
        .ppc64le: parse(ppc64leOverrides),
        .s390x: parse(s390xOverrides),
        .loongarch64: parse(riscv64Overrides),
    ]
    private static let errnoPairs: [(name: String, value: Int64)] = parsePairs(errnoSource)
    private static let errnoByValue: [Int64: String] = {
        var result: [Int64: String] = [:]
        for pair in errnoPairs where result[pair.value] == nil { result[pair.value] = pair.name }
        return result
    }()

    /// The value of constant `name` on `arch` (default: the x86 family), or nil.
    public static func value(of name: String, arch: Arch = .x86_64) -> Int64? {
        if let value = overrides[arch]?[name] { return value }
        return common[name]
    }

    /// Every constant name, sorted.
    public static let names: [String] = common.keys.sorted()

    /// The errno value of `name` (`EINVAL` is 22), or nil when it is no errno name.
    public static func errno(named name: String) -> Int64? {
        errnoPairs.first { $0.name == (libcErrnoAliases[name] ?? name) }?.value
    }

    /// Errno names the C library defines and the kernel's headers do not
    /// (glibc's and musl's `ENOTSUP` is `EOPNOTSUPP` on Linux). The kernel's
    /// own aliases (`EWOULDBLOCK`, `EDEADLOCK`) are in the generated table.
    static let libcErrnoAliases = ["ENOTSUP": "EOPNOTSUPP"]

    /// The canonical errno name of `value` (22 is `EINVAL`), or nil.
    public static func errnoName(of value: Int64) -> String? { errnoByValue[value] }

    /// Every errno name, sorted by value.
    public static var errnoNames: [String] { errnoPairs.map(\.name) }

    private static func parse(_ source: String) -> [String: Int64] {
        Dictionary(parsePairs(source), uniquingKeysWith: { first, _ in first })
    }

    private static func parsePairs(_ source: String) -> [(name: String, value: Int64)] {
        source.split(separator: "\n").map { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Int64(parts[1]) else {
                preconditionFailure("malformed generated constant line: \(line)")
            }
            return (String(parts[0]), value)
        }
    }
}
