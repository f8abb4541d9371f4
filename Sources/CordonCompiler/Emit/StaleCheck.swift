/// `cordon compile --check`: whether an output on disk is what the policy
/// compiles to today, and if not, a diff-like account of where they part.
public enum StaleCheck {
    /// nil when `existing` equals `fresh`; otherwise the message to print.
    public static func compare(existing: [UInt8]?, fresh: [UInt8], output: String, command: String) -> String? {
        guard let existing else {
            return "\(output) does not exist; create it with: \(command)\n"
        }
        if existing == fresh { return nil }
        var message = "\(output) is stale: it is not what the policy compiles to today.\n"
        if let old = String(validating: existing, as: UTF8.self), let new = String(validating: fresh, as: UTF8.self),
           !old.contains("\0"), !new.contains("\0") {
            message += lineDiff(old, new, output)
        } else {
            let first = zip(existing, fresh).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(existing.count, fresh.count)
            message += "the bytes differ from offset \(first) (instruction \(first / 8)); on disk \(existing.count) bytes, today \(fresh.count)\n"
        }
        return message + "update it with: \(command)\n"
    }

    /// The differing middle of two texts, as `-` and `+` lines.
    static func lineDiff(_ old: String, _ new: String, _ output: String) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false)
        var top = 0
        while top < a.count && top < b.count && a[top] == b[top] { top += 1 }
        var bottom = 0
        while bottom < a.count - top && bottom < b.count - top && a[a.count - 1 - bottom] == b[b.count - 1 - bottom] { bottom += 1 }
        let removed = a[top..<(a.count - bottom)], added = b[top..<(b.count - bottom)]
        let limit = 20
        var out = "--- \(output) (on disk)\n+++ \(output) (compiled today)\n@@ -\(top + 1),\(removed.count) +\(top + 1),\(added.count) @@\n"
        for line in removed.prefix(limit) { out += "-\(line)\n" }
        if removed.count > limit { out += "-... \(removed.count - limit) more lines\n" }
        for line in added.prefix(limit) { out += "+\(line)\n" }
        if added.count > limit { out += "+... \(added.count - limit) more lines\n" }
        return out
    }
}
