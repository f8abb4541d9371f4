import CordonLinux

/// How often each syscall is expected, by name: the weights that shape
/// -O2's search over syscall numbers, so frequent syscalls are decided in
/// fewer instructions. Weights never change a decision, only the order
/// of the comparisons.
///
/// The built-in mix is the measured x86_64 one (`SyscallWeights`), applied
/// to x86_64 blocks only, as it always was. A mix given with
/// `cordon compile --weights MIX.tsv` applies by name to every
/// architecture's block but x32's (a name the table lacks for an
/// architecture is skipped there). x32 shares x86_64's search, and its
/// calls are rare: weighting its numbers like x86_64's would pull the
/// search away from the calls that happen.
public struct SyscallMix: Sendable, Equatable {
    /// Counts by syscall name.
    public let counts: [String: Int]
    /// Whether the counts apply to every architecture (else x86_64 only).
    public let everyArchitecture: Bool

    public init(counts: [String: Int], everyArchitecture: Bool = true) {
        self.counts = counts
        self.everyArchitecture = everyArchitecture
    }

    /// The measured x86_64 mix the optimizer has always used.
    public static let builtIn = SyscallMix(counts: SyscallWeights.x86_64, everyArchitecture: false)

    /// A mix file's problem, with its line.
    public struct ParseError: Error, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The most a count may be: sums over thousands of syscalls stay far from overflow.
    public static let maxCount = 1 << 40

    /// Reads `NAME COUNT` lines (a tab or spaces between; `#` starts a
    /// comment; blank lines are skipped), as `strace -c` counts and
    /// `../shared/data/syscall-mix-x86_64.tsv` are written. A name given
    /// twice has its counts added.
    public static func parse(_ text: String) throws(ParseError) -> SyscallMix {
        var counts: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 2 else {
                throw ParseError(line: index + 1, message: "expected NAME COUNT, found \(fields.count) fields")
            }
            let name = String(fields[0])
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw ParseError(line: index + 1, message: "'\(name.prefix(40))' is not a syscall name")
            }
            guard let count = Int(fields[1]), count >= 0, count <= maxCount else {
                throw ParseError(line: index + 1, message: "'\(fields[1].prefix(40))' is not a count from 0 to \(maxCount)")
            }
            counts[name, default: 0] = min(maxCount, counts[name, default: 0] + count)
        }
        return SyscallMix(counts: counts)
    }

    /// The counts for a block of `arch`.
    func counts(for arch: Arch) -> [String: Int] {
        arch == .x86_64 || (everyArchitecture && arch != .x32) ? counts : [:]
    }
}
