import CordonPolicy
import Glibc

/// Reading inputs and writing to the standard streams. Files are written
/// only through `OutputFile`.
enum IO {
    /// The bytes of `path` ("-" is standard input).
    static func readBytes(_ path: String) throws(InputError) -> [UInt8] {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError("\(path): cannot read the file: \(String(cString: strerror(errno)))") }
        defer { if fd != 0 { close(fd) } }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw InputError("\(path): cannot read the file: it is a directory")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError("\(path): cannot read the file: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    /// The text of `path`, which must be UTF-8: otherwise an error naming
    /// the line and column of the first byte that is not.
    static func readText(_ path: String) throws(InputError) -> String {
        let bytes = try readBytes(path)
        switch TextDecoding.decode(bytes) {
        case .success(let text): return text
        case .failure(let error): throw InputError("\(path):\(error.line):\(error.column): error: \(error.message)")
        }
    }

    /// Writes text to standard output; a failure to write ends the process
    /// with a message and exit status 1.
    static func print(_ text: String) {
        if let reason = OutputFile.writeAll(1, Array(text.utf8)) {
            error("cordon: cannot write to standard output: \(reason)")
            finish(1)
        }
    }

    /// Writes text to standard error as it is.
    static func errorText(_ text: String) {
        _ = OutputFile.writeAll(2, Array(text.utf8))
    }

    /// Writes a message to standard error, each line shown with its control
    /// characters as <U+XXXX> (a file name cannot drive the terminal).
    static func error(_ message: String) {
        errorText(message.split(separator: "\n", omittingEmptySubsequences: false).map { PolicyText.displayable(String($0)) }.joined(separator: "\n") + "\n")
    }

    /// Ends the process with `status`.
    static func finish(_ status: Int32) -> Never {
        exit(status)
    }
}
