import CordonTestSupport
import Foundation
import XCTest

/// `check`, `test` and `emulate` on policies, as a user runs them.
final class PolicyCLITests: XCTestCase {
    let root = TestEnvironment.packageRoot

    func testTheSamplesPassTheirOwnTests() throws {
        let samples = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("samples").path)
            .filter { $0.hasSuffix(".tcl") }.sorted().map { "samples/\($0)" }
        XCTAssertGreaterThanOrEqual(samples.count, 4)
        let result = try runCordon(["test"] + samples, currentDirectory: root)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        // Docker's profile allows socketcall on i386 while restricting socket:
        // that is the one warning the samples have.
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains(": warning: ") }
        XCTAssertEqual(warnings, ["samples/docker-default.tcl:234:16: warning: this i386 block filters socket but leaves socketcall open: i386 programs reach socket through socketcall(2), whose arguments seccomp cannot see"])
        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(last.hasSuffix(" passed, 0 failed"), last)
        XCTAssertGreaterThanOrEqual(Int(last.split(separator: " ")[0]) ?? 0, 50)
        for sample in samples {
            XCTAssertEqual(try runCordon(["check", sample], currentDirectory: root).status, 0, sample)
        }
    }

    func testEmulateNamesTheDecidingReturn() throws {
        let cases: [([String], String)] = [
            (["x86_64", "socket", "AF_INET"], "errno 22  at samples/dropnet.tcl:17:13  10 BPF instructions executed\n"),
            (["x86_64", "socket", "AF_UNIX"], "allow  at samples/dropnet.tcl:20:5  10 BPF instructions executed\n"),
            (["i386", "socketcall", "1"], "errno 38  at samples/dropnet.tcl:4:9  7 BPF instructions executed\n"),
            (["x32", "read"], "kill_process  at default badarch  8 BPF instructions executed\n"),
            (["x86_64", "41", "-1"], "errno 22  at samples/dropnet.tcl:17:13  8 BPF instructions executed\n"),
        ]
        for (args, expected) in cases {
            let result = try runCordon(["emulate", "samples/dropnet.tcl"] + args, currentDirectory: root)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, expected, args.joined(separator: " "))
        }
    }

    func testCheckPrintsDiagnosticsAndFails() throws {
        let dir = try TestEnvironment.temporaryDirectory("policy-cli")
        let bad = dir.appendingPathComponent("bad.tcl")
        try Data("x86_64 {\n    if {$nr eq \"sockett\"} { return allow }\n    return allow\n}\n".utf8).write(to: bad)
        let result = try runCordon(["check", "bad.tcl"], currentDirectory: dir)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(result.stderr, """
            bad.tcl:2:16: error: unknown syscall 'sockett' on x86_64; did you mean 'socket'?
                if {$nr eq "sockett"} { return allow }
                           ^

            """)
        XCTAssertEqual(try runCordon(["check", "missing.tcl"], currentDirectory: dir).stderr, "missing.tcl: cannot read the file: no such file\n")
        XCTAssertEqual(try runCordon(["check"], currentDirectory: dir).status, 2)
    }

    func testFailedExpectationsAreListedWithTheirPlace() throws {
        let dir = try TestEnvironment.temporaryDirectory("policy-cli")
        try Data("""
            x86_64 { if {$nr eq socket} { return errno EPERM }; return allow }
            expect x86_64 {socket AF_INET} {errno EPERM}
            expect x86_64 {read} {errno EPERM}
            expect x86_64 {write} allow

            """.utf8).write(to: dir.appendingPathComponent("t.tcl"))
        let result = try runCordon(["test", "t.tcl"], currentDirectory: dir)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stdout, """
            t.tcl:3:1: expect failed: x86_64 read: expected errno 1, got allow (decided at t.tcl:1:53)
            2 passed, 1 failed

            """)
    }
}

/// The README's quick start says what cordon does: its policy is
/// samples/nonet.tcl and its quoted output is what cordon prints.
final class ReadmeTests: XCTestCase {
    func testTheQuickStartIsTrue() throws {
        let root = TestEnvironment.packageRoot
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let policy = readme.components(separatedBy: "```tcl\n")[1].components(separatedBy: "```")[0]
        XCTAssertEqual(policy, try String(contentsOf: root.appendingPathComponent("samples/nonet.tcl"), encoding: .utf8))
        let quoted = readme.components(separatedBy: "cordon emulate nonet.tcl x86_64 socket AF_INET  # ")[1].components(separatedBy: "\n")[0]
        let result = try runCordon(["emulate", "nonet.tcl", "x86_64", "socket", "AF_INET"], currentDirectory: root.appendingPathComponent("samples"))
        XCTAssertEqual(result.stdout, quoted + "\n")
        let tests = try runCordon(["test", "nonet.tcl", "--kernel"], currentDirectory: root.appendingPathComponent("samples"))
        XCTAssertEqual(tests.stdout, "3 passed, 0 failed\n")
    }
}
