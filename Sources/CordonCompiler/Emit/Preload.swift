import Foundation

/// `cordon preload`: the bundled C template, rendered with a policy's
/// header and compiled into a shared object that installs the filter when
/// it is loaded (LD_PRELOAD, or bash's `enable -f`).
public enum Preload {
    /// templates/preload.c as embedded in the binary.
    public static var template: String { PreloadTemplate.text }

    /// The template with its `@NAME@` placeholders filled.
    public static func render(_ template: String, name: String) -> String {
        template.replacingOccurrences(of: "@NAME@", with: name)
    }

    /// The compiler failed, or could not be run.
    public struct BuildError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Compiles `source` (which includes `cordon_filter.h`, given as
    /// `header`) into the shared object `output`, with `compiler` (the
    /// value of $CC, run by /bin/sh so it may carry flags) or `cc`. The
    /// object is built beside `output` and renamed into place.
    public static func build(source: String, header: [UInt8], output: String, compiler: String?) throws(BuildError) -> Void {
        let files = FileManager.default
        let dir = files.temporaryDirectory.appendingPathComponent("cordon-preload-\(getpid())-\(UUID().uuidString)")
        do {
            try files.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(header).write(to: dir.appendingPathComponent("cordon_filter.h"))
            try Data(source.utf8).write(to: dir.appendingPathComponent("preload.c"))
        } catch {
            throw BuildError(description: "cannot write the sources: \(error.localizedDescription)")
        }
        defer { try? files.removeItem(at: dir) }
        let target = URL(fileURLWithPath: output)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).cordon-\(getpid()).tmp")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "${CORDON_CC:-cc} -shared -fPIC -O2 -Wall -Wextra -o \"$1\" \"$2\"", "sh",
                             temporary.path, dir.appendingPathComponent("preload.c").path]
        var environment = ProcessInfo.processInfo.environment
        environment["CORDON_CC"] = compiler ?? "cc"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = errors
        do { try process.run() } catch {
            throw BuildError(description: "cannot run the C compiler: \(error.localizedDescription)")
        }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            try? files.removeItem(at: temporary)
            throw BuildError(description: "the C compiler (\(compiler ?? "cc")) failed:\n" + text)
        }
        if rename(temporary.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? files.removeItem(at: temporary)
            throw BuildError(description: "\(output): cannot write: \(reason)")
        }
    }
}
