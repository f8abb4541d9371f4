import CordonLinux
import CordonPolicy

/// `cordon learn --update`: a policy's text with rules added for the calls
/// it did not allow. Each architecture's rules go first in its block (right
/// after the opening brace), so they decide before the policy's own
/// refusals; an architecture without a block gets a new one whose default
/// is the policy's badarch action, as before. The new `expect` lines go at
/// the end. The rest of the text is kept byte for byte.
public enum PolicyUpdate {
    /// Why the policy could not be updated.
    public struct UpdateError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `text` (the policy at `path`, lowered as `policy`) with rules for `lacking`.
    public static func apply(_ lacking: LearnedCalls, to text: String, path: String, policy: IRPolicy, command: [String]) throws(UpdateError) -> String {
        var bytes = Array(text.utf8)
        var insertions: [(offset: Int, text: String)] = []
        var appended = ""
        var expects: [String] = []
        let origin = PolicyText.comment(command.joined(separator: " "))
        for arch in Arch.allCases {
            guard let seen = lacking.syscalls[arch], !seen.isEmpty else { continue }
            let (rules, ruleExpects) = LearnedPolicyWriter.rules(arch, seen)
            expects += ruleExpects
            let note = "    # Added by cordon learn --update: \(arch.rawValue) calls of `\(origin)` this policy did not allow.\n"
            guard let block = policy.block(for: arch) else {
                appended += "\n\(arch.rawValue) {\n" + note + rules
                appended += "    # Anything else, as badarch decided before\n    return \(PolicyWriter.text(policy.badarch.action))\n}\n"
                continue
            }
            guard block.location.file.path == path else {
                throw UpdateError(description: "\(path): the \(arch.rawValue) block is in \(block.location.file.path), a sourced file: cordon learn --update edits only \(path)")
            }
            guard let brace = bodyStart(bytes, from: block.location.offset) else {
                throw UpdateError(description: "\(block.location): cannot find the block's opening brace")
            }
            let shared = block.name.hasPrefix("arch") ? "    # This block is shared: the rules apply to each of its architectures.\n" : ""
            insertions.append((brace + 1, "\n" + note + shared + rules))
        }
        for insertion in insertions.sorted(by: { $0.offset > $1.offset }) {
            bytes.insert(contentsOf: Array(insertion.text.utf8), at: insertion.offset)
        }
        var out = String(decoding: bytes, as: UTF8.self)
        if !out.hasSuffix("\n") { out += "\n" }
        out += appended
        if !expects.isEmpty { out += "\n# Added by cordon learn --update\n" + expects.joined(separator: "\n") + "\n" }
        return out
    }

    /// The offset of a block's opening brace: after `ARCH`, or after the
    /// braced list of `arch {A B}`.
    static func bodyStart(_ bytes: [UInt8], from start: Int) -> Int? {
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        var i = start
        let isShared = bytes[start...].starts(with: Array("arch".utf8)) && start + 4 < bytes.count && bytes[start + 4] != UInt8(ascii: "_")
            && (bytes[start + 4] == UInt8(ascii: " ") || bytes[start + 4] == UInt8(ascii: "\t"))
        if isShared {
            while i < bytes.count && bytes[i] != open { i += 1 }
            var depth = 0
            while i < bytes.count {
                if bytes[i] == open { depth += 1 }
                if bytes[i] == close { depth -= 1; if depth == 0 { i += 1; break } }
                i += 1
            }
        }
        while i < bytes.count && bytes[i] != open { i += 1 }
        return i < bytes.count ? i : nil
    }
}
