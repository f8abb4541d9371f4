import CordonLinux

/// The text protocol of `cordon kernel-probe`: one call a line,
/// `ARCH NR [ARG...]`, numbers in decimal or `0x` hex; answers one a line,
/// `RETURN-INDEX IP` (IP in hex), or `killed SIGNAL` when the filter killed
/// the caller without reaching a return.
public enum ProbeRequest {
    /// Parses request lines; blank lines and `#` comments are skipped.
    public static func parse(_ text: String) throws(ProbeRequestError) -> [KernelProbe.Call] {
        var calls: [KernelProbe.Call] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty || fields[0].hasPrefix("#") { continue }
            guard let arch = Arch(rawValue: String(fields[0])) else {
                throw ProbeRequestError(line: i + 1, message: "unknown architecture '\(fields[0])'")
            }
            guard fields.count >= 2, fields.count <= 8 else {
                throw ProbeRequestError(line: i + 1, message: "expected ARCH NR and up to six arguments")
            }
            var numbers: [UInt64] = []
            for field in fields.dropFirst() {
                guard let value = parseNumber(field) else {
                    throw ProbeRequestError(line: i + 1, message: "'\(field)' is not a number")
                }
                numbers.append(value)
            }
            guard numbers[0] <= UInt64(UInt32.max) else {
                throw ProbeRequestError(line: i + 1, message: "syscall number \(numbers[0]) does not fit 32 bits")
            }
            calls.append(KernelProbe.Call(arch: arch, nr: UInt32(numbers[0]), args: Array(numbers.dropFirst())))
        }
        return calls
    }

    /// Formats the answers, one a line.
    public static func format(_ answers: [KernelProbe.Answer]) -> String {
        answers.map { answer in
            switch answer {
            case .returned(let index, let ip): return "\(index) 0x\(String(ip, radix: 16))\n"
            case .killed(let signal): return "killed \(signal)\n"
            }
        }.joined()
    }

    private static func parseNumber(_ text: Substring) -> UInt64? {
        if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) }
        return UInt64(text)
    }
}

/// A malformed probe request line.
public struct ProbeRequestError: Error, CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}
