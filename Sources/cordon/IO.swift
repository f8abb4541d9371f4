import Foundation

/// File and stream helpers for the commands.
enum IO {
    /// The bytes of `path` ("-" is standard input).
    static func readBytes(_ path: String) throws(InputError) -> [UInt8] {
        if path == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        // FileHandle also reads pipes such as /dev/fd/63.
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError("\(path): cannot read the file")
        }
        defer { try? handle.close() }
        return [UInt8](handle.readDataToEndOfFile())
    }

    /// The text of `path`, which must be UTF-8.
    static func readText(_ path: String) throws(InputError) -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError("\(path): the file is not UTF-8 text")
        }
        return text
    }

    /// Writes `bytes` to `path` ("-" or nil: standard output) atomically:
    /// a temporary file in the same folder, renamed into place.
    static func write(_ bytes: [UInt8], to path: String?) throws(InputError) {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).cordon-\(getpid()).tmp")
        do {
            try Data(bytes).write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw InputError("\(path): cannot write: \(reason)")
            }
        } catch let error as InputError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw InputError("\(path): cannot write: \(error.localizedDescription)")
        }
    }

    /// Writes text to standard output.
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes text to standard error as it is.
    static func errorText(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes a line to standard error.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
