import CordonOracle
import Foundation

/// Where the package and its built products are, and how to run them.
public enum TestEnvironment {
    /// The package root (three levels above this file).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built `cordon` executable: `$CORDON_BIN`, or the one beside the
    /// test bundle (SwiftPM builds every product before `swift test` runs).
    public static var cordon: URL {
        if let path = ProcessInfo.processInfo.environment["CORDON_BIN"] { return URL(fileURLWithPath: path) }
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDir, Bundle.main.bundleURL.deletingLastPathComponent(),
                          packageRoot.appendingPathComponent(".build/debug")] {
            let url = candidate.appendingPathComponent("cordon")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return packageRoot.appendingPathComponent(".build/debug/cordon")
    }

    /// A fresh temporary folder.
    public static func temporaryDirectory(_ tag: String = "cordon-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(tag)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The result of running a process to completion.
public struct ProcessResult: Sendable {
    public let status: Int32
    /// Standard output as bytes (raw programs are not text).
    public let stdoutData: Data
    public let stderr: String
    /// Standard output as UTF-8 text.
    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
}

/// Runs `executable` with `arguments`, feeding `input` on standard input.
/// Output goes through temporary files, so large outputs cannot deadlock.
@discardableResult
public func runProcess(_ executable: URL, _ arguments: [String], input: String = "",
                       currentDirectory: URL? = nil, environment: [String: String]? = nil) throws -> ProcessResult {
    let dir = try TestEnvironment.temporaryDirectory("cordon-run")
    defer { try? FileManager.default.removeItem(at: dir) }
    let inURL = dir.appendingPathComponent("in"), outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
    try Data(input.utf8).write(to: inURL)
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    if let environment { process.environment = environment }
    let stdin = try FileHandle(forReadingFrom: inURL)
    let stdout = try FileHandle(forWritingTo: outURL)
    let stderr = try FileHandle(forWritingTo: errURL)
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    process.waitUntilExit()
    try stdin.close(); try stdout.close(); try stderr.close()
    return ProcessResult(status: process.terminationStatus,
                         stdoutData: try Data(contentsOf: outURL),
                         stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// Runs the built `cordon` with `arguments`.
@discardableResult
public func runCordon(_ arguments: [String], input: String = "", currentDirectory: URL? = nil) throws -> ProcessResult {
    try runProcess(TestEnvironment.cordon, arguments, input: input, currentDirectory: currentDirectory)
}

/// Runs a shell command line with bash.
@discardableResult
public func runShell(_ command: String, currentDirectory: URL? = nil) throws -> ProcessResult {
    try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", command], currentDirectory: currentDirectory)
}

/// A deterministic pseudo-random generator (SplitMix64), so failures
/// reproduce: the oracle's.
public typealias SeededGenerator = SplitMix
