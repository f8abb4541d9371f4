import CordonPolicy
import Glibc

/// Small reads of /proc: a process's name, its parent, a file's text.
public enum ProcFiles {
    /// The whole of a small file, or nil when it cannot be read.
    public static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A thread's program name (`comm`), or nil when it is gone. A program
    /// sets its own name (prctl PR_SET_NAME): control characters come back
    /// as `<U+001B>` notation, never raw onto a terminal or into a file.
    public static func programName(of pid: Int32) -> String? {
        guard let text = read("/proc/\(pid)/comm") else { return nil }
        return PolicyText.displayable(text.hasSuffix("\n") ? String(text.dropLast()) : text)
    }

    /// The parent of process `pid`, from the fourth field of its `stat`
    /// (after the name in parentheses, which may itself hold spaces or `)`).
    public static func parent(of pid: Int32) -> Int32? {
        guard let stat = read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    /// The processes whose parent is `pid`.
    public static func children(of pid: Int32) -> [Int32] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var found: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let child = Int32(name), child != pid else { continue }
            if parent(of: child) == pid { found.append(child) }
        }
        return found
    }
}
