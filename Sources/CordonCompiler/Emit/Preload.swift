import Foundation

/// `cordon preload`: the bundled C template, rendered with a policy's
/// header and compiled into a shared object that installs the filter when
/// it is loaded (LD_PRELOAD, or bash's `enable -f`).
public enum Preload {
    /// templates/preload.c as embedded in the binary.
    public static var template: String { PreloadTemplate.text }

    /// Instructions the template puts before the policy's program: the
    /// marker that tells a later exec the filter is already in force.
    public static let markerLength = 7

    /// The template with its `@NAME@` and `@COOKIE@` placeholders filled.
    public static func render(_ template: String, name: String, cookie: Int32) -> String {
        template.replacingOccurrences(of: "@NAME@", with: name).replacingOccurrences(of: "@COOKIE@", with: String(cookie))
    }

    /// The marker's descriptor for a program: a negative `int` derived
    /// from the program's bytes (FNV-1a), so each filter has its own.
    public static func cookie(_ raw: [UInt8]) -> Int32 {
        var hash: UInt32 = 2_166_136_261
        for byte in raw { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        // Negative, and never -1: close() of it can only fail with EBADF.
        return Int32(bitPattern: 0x8000_0000 | (hash & 0x7FFF_FFF0) | 0x10)
    }

    /// What a .so cannot do, said after every build (docs/security.md has more).
    public static func gapsNote(_ output: String) -> String {
        "note: \(output) filters dynamically linked programs only. Static programs, setuid/setgid ones (the loader "
            + "ignores LD_PRELOAD for them) and LD_PRELOAD values without a slash (searched on the library path, "
            + "usually not found) run unfiltered, silently. Use an absolute path (LD_PRELOAD=$PWD/x.so), or "
            + "cordon run POLICY -- COMMAND, which has none of these gaps."
    }

    /// The compiler failed, or could not be run.
    public struct BuildError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Compiles `source` (which includes `cordon_filter.h`, given as
    /// `header`) into a shared object and returns its bytes, with `compiler`
    /// (the value of $CC, run by /bin/sh so it may carry flags) or `cc`.
    /// Everything is built in a private folder (mkdtemp) that is removed
    /// afterwards; the caller writes the result where it belongs.
    public static func build(source: String, header: [UInt8], compiler: String?) throws(BuildError) -> [UInt8] {
        var template = Array((NSTemporaryDirectory() + "/cordon-preload-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw BuildError(description: "cannot create a temporary folder: \(String(cString: strerror(errno)))")
        }
        let dir = URL(fileURLWithPath: String(cString: made))
        let files = FileManager.default
        defer { try? files.removeItem(at: dir) }
        do {
            try Data(header).write(to: dir.appendingPathComponent("cordon_filter.h"))
            try Data(source.utf8).write(to: dir.appendingPathComponent("preload.c"))
        } catch {
            throw BuildError(description: "cannot write the sources: \(error.localizedDescription)")
        }
        let object = dir.appendingPathComponent("filter.so")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "${CORDON_CC:-cc} -shared -fPIC -O2 -Wall -Wextra -o \"$1\" \"$2\"", "sh",
                             object.path, dir.appendingPathComponent("preload.c").path]
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
            throw BuildError(description: "the C compiler (\(compiler ?? "cc")) failed:\n" + text)
        }
        guard let bytes = files.contents(atPath: object.path) else {
            throw BuildError(description: "the C compiler (\(compiler ?? "cc")) wrote no shared object")
        }
        return [UInt8](bytes)
    }
}
