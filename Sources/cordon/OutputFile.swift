import CSeccomp
import Glibc

/// The one place cordon writes an output, by the rules of cli.md ("Writing
/// outputs"): nothing on failure and never a partial file; a regular file
/// (or a new name) through an exclusively created temporary file in the same
/// folder, renamed into place; a symlink's target replaced with the link
/// kept; a device, FIFO or terminal written directly; an output that is an
/// input, or a directory, refused as a usage error.
enum OutputFile {
    /// Where `path` leads and how it is written.
    enum Destination: Equatable {
        /// Standard output (`-` or no `-o`).
        case standardOutput
        /// A regular file, or a name that does not exist yet: replaced atomically.
        case replace(String)
        /// Something else that can be opened for writing: written in place.
        case direct(String)
    }

    /// Writes `bytes` to `path` (nil or `-`: standard output). `inputs` are
    /// the files the command read; `mode` the new file's permissions before
    /// the umask.
    static func write(_ bytes: [UInt8], to path: String?, inputs: [String] = [], mode: mode_t = 0o644) throws {
        switch try destination(path, inputs: inputs) {
        case .standardOutput:
            if let reason = writeAll(1, bytes) { throw InputError("cordon: cannot write to standard output: \(reason)") }
        case .direct(let target):
            let fd = open(target, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_TRUNC)
            guard fd >= 0 else { throw InputError("\(path!): cannot write: \(lastError())") }
            let failure = writeAll(fd, bytes)
            let closed = close(fd) == 0 ? nil : lastError()
            if let reason = failure ?? closed { throw InputError("\(path!): cannot write: \(reason)") }
        case .replace(let target):
            try replace(target, with: bytes, mode: mode, shownAs: path!)
        }
    }

    /// Decides how `path` is written, refusing a directory or an input.
    static func destination(_ path: String?, inputs: [String]) throws -> Destination {
        guard let path, path != "-" else { return .standardOutput }
        guard !path.isEmpty else { throw UsageError("-o needs a file name") }
        let target = try followLinks(path)
        var info = stat()
        guard stat(target, &info) == 0 else {
            if errno == ENOENT { return .replace(target) }
            throw InputError("\(path): cannot write: \(lastError())")
        }
        if info.st_mode & S_IFMT == S_IFDIR { throw UsageError("-o \(path) is a directory") }
        for input in inputs {
            var other = stat()
            if stat(input, &other) == 0, other.st_dev == info.st_dev, other.st_ino == info.st_ino {
                throw UsageError("-o \(path) is one of the command's inputs (\(input)): it would be overwritten")
            }
        }
        return info.st_mode & S_IFMT == S_IFREG ? .replace(target) : .direct(target)
    }

    /// The path a chain of symlinks ends at (the last one may not exist yet).
    private static func followLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count >= 0 else { throw InputError("\(path): cannot read the symlink: \(lastError())") }
            let link = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : directory(of: current) + "/" + link
        }
        throw InputError("\(path): cannot write: too many levels of symbolic links")
    }

    /// Writes a new file beside `target` and renames it over `target`.
    private static func replace(_ target: String, with bytes: [UInt8], mode: mode_t, shownAs shown: String) throws {
        let name = target.split(separator: "/").last.map(String.init) ?? target
        var template = Array((directory(of: target) + "/." + name + ".cordon-XXXXXX").utf8CString)
        // mkstemp: O_CREAT | O_EXCL with a random name, so it never follows a link.
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw InputError("\(shown): cannot write: \(lastError())") }
        let temporary = String(cString: template)
        cordon_output_guard_set(temporary)
        defer { cordon_output_guard_clear() }
        let mask = currentUmask()
        var failure = writeAll(fd, bytes)
        if failure == nil, fchmod(fd, mode & ~mask) != 0 { failure = lastError() }
        if failure == nil, fsync(fd) != 0 { failure = lastError() }
        if close(fd) != 0, failure == nil { failure = lastError() }
        if failure == nil, rename(temporary, target) != 0 { failure = lastError() }
        if let failure {
            unlink(temporary)
            throw InputError("\(shown): cannot write: \(failure)")
        }
    }

    /// Writes every byte to `fd`; the reason on failure.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return lastError()
            }
            offset += written
        }
        return nil
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "" : String(path[..<slash])
    }

    /// The process's umask, read without changing it for longer than a moment.
    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
