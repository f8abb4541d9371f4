import CordonTestSupport
import Foundation
import XCTest

/// The hostile-input suite through the built binary: random command lines
/// and output paths in a private folder. For each: the process exits (no
/// signal) within 10 s with 0, 1 or 2; a refusal says what and where on
/// standard error; and when the command fails, no file in the folder has
/// changed and none has appeared.
final class HostileCLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try TestEnvironment.temporaryDirectory("hostile-cli")
        try writeInputs()
    }

    /// The inputs the commands read, written afresh (a case may have
    /// legitimately overwritten one with -o).
    private func writeInputs() throws {
        let root = TestEnvironment.packageRoot
        try Data(contentsOf: root.appendingPathComponent("samples/nonet.tcl")).write(to: dir.appendingPathComponent("good.tcl"))
        try Data("x86_64 {\n    if {$nr eq sockett} { return allow }\n}\n".utf8).write(to: dir.appendingPathComponent("bad.tcl"))
        try Data([0x20, 0, 0, 0, 4, 0, 0, 0, 0x06, 0, 0, 0, 0, 0, 0xff, 0x7f]).write(to: dir.appendingPathComponent("prog.bpf"))
        try Data("ld_abs\t4\nret_k\t7FFF0000\n".utf8).write(to: dir.appendingPathComponent("prog.s"))
        try Data("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}".utf8)
            .write(to: dir.appendingPathComponent("p.json"))
        try Data("old output\n".utf8).write(to: dir.appendingPathComponent("out.h"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// Every file of the folder (not following links) with its bytes or link target.
    private func snapshot() throws -> [String: Data] {
        var result: [String: Data] = [:]
        let files = FileManager.default
        for name in try files.subpathsOfDirectory(atPath: dir.path) {
            let path = dir.appendingPathComponent(name).path
            let type = try files.attributesOfItem(atPath: path)[.type] as? FileAttributeType
            switch type {
            case .typeSymbolicLink: result[name] = Data(("-> " + (try files.destinationOfSymbolicLink(atPath: path))).utf8)
            case .typeRegular: result[name] = try Data(contentsOf: URL(fileURLWithPath: path))
            default: result[name] = Data("\(type?.rawValue ?? "?")".utf8)
            }
        }
        return result
    }

    /// Runs cordon with a 10 s limit; nil status when it had to be killed.
    private func run(_ arguments: [String]) throws -> (status: Int32?, signalled: Bool, stderr: String) {
        let process = Process()
        process.executableURL = TestEnvironment.cordon
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let errURL = dir.deletingLastPathComponent().appendingPathComponent(dir.lastPathComponent + ".err")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let errors = try FileHandle(forWritingTo: errURL)
        process.standardError = errors
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return (nil, false, "")
        }
        try errors.close()
        let text = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal, text)
    }

    private func check(_ arguments: [String], outputs: Set<String>, _ n: Int, statuses allowed: Set<Int32> = [0, 1, 2]) throws -> Int32 {
        let before = try snapshot()
        let (status, signalled, stderr) = try run(arguments)
        let what = "case \(n): cordon \(arguments.map { String($0.prefix(40)).debugDescription }.joined(separator: " "))"
        guard let status else {
            XCTFail("hang: \(what)")
            return -1
        }
        XCTAssertFalse(signalled, "crash: \(what): \(stderr)")
        XCTAssertTrue(allowed.contains(status), "\(what): exit \(status) \(stderr)")
        XCTAssertFalse(stderr.contains("Fatal error") || stderr.contains("Backtracing"), "\(what): \(stderr)")
        XCTAssertFalse(stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "\(what): raw control character")
        if status == 2 { XCTAssertTrue(stderr.hasPrefix("cordon"), "\(what): a usage error names cordon: \(stderr)") }
        if status == 1 { XCTAssertFalse(stderr.isEmpty, "\(what): a refusal says why") }
        let after = try snapshot()
        if status != 0 {
            XCTAssertEqual(after, before, "\(what): failed but changed the folder")
        } else {
            for (name, data) in after where before[name] != data {
                XCTAssertTrue(outputs.contains(name), "\(what): wrote \(name), which it was not asked to write")
            }
        }
        return status
    }

    static let commands = ["compile", "check", "test", "emulate", "disasm", "asm", "import", "kernel-probe", "help", "--help", "bogus", ""]
    static let options = ["-o", "-o", "-o", "--format", "-O0", "-O2", "-O3", "--name", "--check", "--kernel", "--bpf", "--trace", "--ip",
                          "--cap", "--arch", "--notice", "--", "-", "-D", "--go-package", "--load-only"]
    static let values = ["good.tcl", "bad.tcl", "prog.bpf", "prog.s", "p.json", "out.h", "new.h", "new.bpf", "new.s", "new.go", "sub",
                         "missing.tcl", "/nonexistent/x.h", "", "c", "raw", "gosecco", "go", "listing", "x86_64", "i386", "x32", "sparc",
                         "read", "socket", "AF_INET", "-1", "0x", "99999999999999999999", "x\u{1B}[2J", "a\nb", String(repeating: "a", count: 3000),
                         "CAP_SYS_ADMIN", "main", "1.2", "../x", "good.tcl/x"]

    func testRandomCommandLines() throws {
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: false)
        var g = SeededGenerator(seed: 0x5EC0_0005)
        var statuses: [Int32: Int] = [:]
        for n in 0..<700 {
            var arguments = [Self.commands.randomElement(using: &g)!]
            for _ in 0..<Int.random(in: 0...6, using: &g) {
                arguments.append(Bool.random(using: &g) ? Self.options.randomElement(using: &g)! : Self.values.randomElement(using: &g)!)
            }
            // -o names one of these folder entries; only it may change.
            var outputs: Set<String> = []
            for (i, word) in arguments.enumerated() where word == "-o" && i + 1 < arguments.count { outputs.insert(arguments[i + 1]) }
            statuses[try check(arguments, outputs: outputs, n), default: 0] += 1
        }
        print("hostile: command lines 700 cases, exit statuses \(statuses.sorted { $0.key < $1.key })")
        XCTAssertGreaterThan(statuses[0, default: 0], 20)
        XCTAssertGreaterThan(statuses[1, default: 0], 20)
        XCTAssertGreaterThan(statuses[2, default: 0], 100)
    }

    /// `run` and `learn` (which start a command: always the harmless `true`,
    /// or a missing one) with hostile options: no crash, no hang, and only
    /// the files named by -o, --report-file or --update may change.
    func testRandomSupervisedCommandLines() throws {
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: false)
        var g = SeededGenerator(seed: 0x5EC0_0007)
        let options = ["-o", "--audit", "--report", "--report-file", "--default", "--update", "-", "--bogus"]
        let values = ["good.tcl", "bad.tcl", "missing.tcl", "new.tcl", "out.h", "sub", "", "errno EPERM", "kill_process",
                      "allow } x86_64 {", "errno 99999", "x\u{1B}[2J", "/nonexistent/x.tcl", "good.tcl/x"]
        var statuses: [Int32: Int] = [:]
        for n in 0..<120 {
            try writeInputs()
            var arguments = [Bool.random(using: &g) ? "run" : "learn"]
            if arguments[0] == "run" { arguments.append(["good.tcl", "bad.tcl", "missing.tcl"].randomElement(using: &g)!) }
            for _ in 0..<Int.random(in: 0...4, using: &g) {
                arguments.append(Bool.random(using: &g) ? options.randomElement(using: &g)! : values.randomElement(using: &g)!)
            }
            if Int.random(in: 0..<8, using: &g) > 0 { arguments += ["--", Bool.random(using: &g) ? "true" : "./missing-program"] }
            var outputs: Set<String> = []
            for (i, word) in arguments.enumerated() where ["-o", "--report-file", "--update"].contains(word) && i + 1 < arguments.count {
                outputs.insert(arguments[i + 1])
            }
            // 127: the missing program, as a shell says it.
            statuses[try check(arguments, outputs: outputs, n, statuses: [0, 1, 2, 127]), default: 0] += 1
        }
        print("hostile: supervised command lines 120 cases, exit statuses \(statuses.sorted { $0.key < $1.key })")
        XCTAssertGreaterThan(statuses[0, default: 0], 3)
        XCTAssertGreaterThan(statuses[2, default: 0], 20)
    }

    /// -o at every kind of destination, with a good or a bad input: a
    /// device and a link to it are written in place, a link's target
    /// replaced, a directory or an input refused; a failure changes nothing.
    func testRandomOutputPaths() throws {
        let files = FileManager.default
        try files.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: false)
        try files.createSymbolicLink(atPath: dir.appendingPathComponent("link.h").path, withDestinationPath: "target.h")
        try Data("target\n".utf8).write(to: dir.appendingPathComponent("target.h"))
        try files.createSymbolicLink(atPath: dir.appendingPathComponent("dangling.h").path, withDestinationPath: "made.h")
        try files.createSymbolicLink(atPath: dir.appendingPathComponent("loop.h").path, withDestinationPath: "loop.h")
        try files.createSymbolicLink(atPath: dir.appendingPathComponent("input-link.tcl").path, withDestinationPath: "good.tcl")
        let hasDevice = mknod(dir.appendingPathComponent("null").path, S_IFCHR | 0o666, dev_t(0x103)) == 0
        if hasDevice { try files.createSymbolicLink(atPath: dir.appendingPathComponent("stdout-like").path, withDestinationPath: "null") }
        let targets = ["out.h", "new.h", "link.h", "dangling.h", "loop.h", "input-link.tcl", "good.tcl", "sub", "sub/x.h", "missing/x.h",
                       ".", "", "-", "a\u{1B}.h", "p.json"] + (hasDevice ? ["null", "stdout-like"] : [])
        var g = SeededGenerator(seed: 0x5EC0_0006)
        var statuses: [Int32: Int] = [:]
        for n in 0..<300 {
            try writeInputs()
            let target = targets.randomElement(using: &g)!
            let arguments: [String]
            switch Int.random(in: 0..<3, using: &g) {
            case 0: arguments = ["compile", ["good.tcl", "bad.tcl", "missing.tcl"].randomElement(using: &g)!, "-o", target,
                                 "--format", ["c", "raw", "gosecco", "go", "listing"].randomElement(using: &g)!]
            case 1: arguments = ["asm", ["prog.s", "good.tcl"].randomElement(using: &g)!, "-o", target]
            default: arguments = ["import", ["p.json", "good.tcl"].randomElement(using: &g)!, "-o", target]
            }
            // What the command may change: the name, or the file a link leads to.
            let links = ["link.h": "target.h", "dangling.h": "made.h", "input-link.tcl": "good.tcl"]
            let resolved = links[target] ?? target
            let status = try check(arguments, outputs: [target, resolved], n)
            statuses[status, default: 0] += 1
            if ["sub", "."].contains(target) || resolved == arguments[1] {
                XCTAssertEqual(status, 2, "case \(n): \(arguments): a directory or an input as -o")
            }
            for kept in ["link.h", "dangling.h", "stdout-like"] where files.fileExists(atPath: dir.appendingPathComponent(kept).path) || kept == "dangling.h" {
                let type = try? files.attributesOfItem(atPath: dir.appendingPathComponent(kept).path)[.type] as? FileAttributeType
                XCTAssertTrue(type == nil || type == .typeSymbolicLink, "case \(n): \(kept) is still a link")
            }
            if hasDevice {
                let type = try files.attributesOfItem(atPath: dir.appendingPathComponent("null").path)[.type] as? FileAttributeType
                XCTAssertEqual(type, .typeCharacterSpecial, "case \(n): the device is never replaced")
            }
        }
        XCTAssertFalse(try files.contentsOfDirectory(atPath: dir.path).contains { $0.contains(".cordon-") }, "no temporary file left")
        print("hostile: output paths 300 cases, exit statuses \(statuses.sorted { $0.key < $1.key })")
    }
}
