import Foundation
import CordonTestSupport
import XCTest

/// The options every policy-reading command takes (cli.md): -D, -Werror,
/// -w, --diagnostics json; colour, the closing count, each warning once;
/// and the conveniences they serve (an action in a variable).
final class DiagnosticOptionsTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = try TestEnvironment.temporaryDirectory("diagnostic-options")
        // One warning (the rule on connect leaves its siblings alone is not
        // one: a sibling warning needs a sibling) and a variable action.
        try write("p.tcl", """
            set FAIL {errno EACCES}
            x86_64 {
                if {$nr eq "ptrace"} { return $FAIL }
                if {$nr eq "read" && $args(0) == 3} { return errno EBADF }
                return allow
            }
            expect x86_64 {ptrace} $FAIL
            """)
    }

    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }

    private func cordon(_ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        try runProcess(TestEnvironment.cordon, arguments, currentDirectory: dir, environment: environment)
    }

    func testWarningsCountWerrorAndW() throws {
        let plain = try cordon(["check", "p.tcl"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stderr.hasPrefix("p.tcl:4:26: warning: $args(0) compares all 64 bits of read's fd"), plain.stderr)
        XCTAssertTrue(plain.stderr.hasSuffix("\n1 warning\n"), plain.stderr)

        let strict = try cordon(["check", "-Werror", "p.tcl"])
        XCTAssertEqual(strict.status, 1)
        XCTAssertTrue(strict.stderr.hasPrefix("p.tcl:4:26: error: $args(0) compares all 64 bits"), strict.stderr)
        XCTAssertTrue(strict.stderr.contains("instead [-Werror]\n"), strict.stderr)
        XCTAssertTrue(strict.stderr.hasSuffix("\n1 error\n"), strict.stderr)
        // -Werror leaves no output file.
        let compiled = try cordon(["compile", "p.tcl", "-Werror", "-o", "out.h"])
        XCTAssertEqual(compiled.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.h").path))

        let quiet = try cordon(["check", "-w", "p.tcl"])
        XCTAssertEqual(quiet.status, 0)
        XCTAssertEqual(quiet.stderr, "")
        XCTAssertEqual(try cordon(["check", "-w", "-Werror", "p.tcl"]).status, 0, "-w wins")
        XCTAssertEqual(try cordon(["check", "--diagnostics", "xml", "p.tcl"]).status, 2)
        XCTAssertEqual(try cordon(["check", "-D", "p.tcl"]).status, 2, "-D needs NAME=VALUE")
    }

    func testJSONDiagnostics() throws {
        try write("bad.tcl", "x86_64 {\n    if {$nr eq \"sockett\"} { return allow }\n    return allow\n}\n")
        let result = try cordon(["check", "bad.tcl", "--diagnostics", "json"])
        XCTAssertEqual(result.status, 1)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(object["file"] as? String, "bad.tcl")
        XCTAssertEqual(object["line"] as? Int, 2)
        XCTAssertEqual(object["column"] as? Int, 16)
        XCTAssertEqual(object["severity"] as? String, "error")
        XCTAssertEqual(object["id"] as? String, "unknownSyscall")
        XCTAssertEqual(object["message"] as? String, "unknown syscall 'sockett' on x86_64; did you mean 'socket'?")
        XCTAssertEqual((object["notes"] as? [Any])?.count, 0)

        let noted = try cordon(["check", "p.tcl", "-D", "FAIL=read", "--diagnostics=json"])
        let objects = try noted.stderr.split(separator: "\n").map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let notAction = try XCTUnwrap(objects.first { $0["id"] as? String == "variableNotAction" }, noted.stderr)
        let notes = try XCTUnwrap(notAction["notes"] as? [[String: Any]])
        XCTAssertEqual(notes.last?["file"] as? String, "-D FAIL")
    }

    func testColourOnATerminalOnly() throws {
        let forced = try cordon(["check", "p.tcl"], environment: ["CLICOLOR_FORCE": "1", "PATH": "/usr/bin:/bin"])
        XCTAssertTrue(forced.stderr.contains("\u{1B}[1;35mwarning:\u{1B}[0m"), forced.stderr)
        XCTAssertTrue(forced.stderr.contains("\u{1B}[1;32m^\u{1B}[0m"), forced.stderr)
        let noColour = try cordon(["check", "p.tcl"], environment: ["CLICOLOR_FORCE": "1", "NO_COLOR": "1"])
        XCTAssertFalse(noColour.stderr.contains("\u{1B}"), noColour.stderr)
        XCTAssertFalse(try cordon(["check", "p.tcl"]).stderr.contains("\u{1B}"), "a pipe gets no colour")
    }

    func testEachWarningOncePerRun() throws {
        try write("common.tcl", "set LIMIT 3\n")
        try write("a.tcl", "source common.tcl\nx86_64 {\n    if {$nr eq \"read\" && $args(0) == $LIMIT} { return errno 1 }\n    return allow\n}\n")
        try write("b.tcl", "source common.tcl\nsource a.tcl\n")
        let result = try cordon(["test", "a.tcl", "b.tcl"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr.components(separatedBy: "warning:").count - 1, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasSuffix("\n1 warning\n"), result.stderr)
    }

    func testDefinesOverrideSetsActionsIncluded() throws {
        XCTAssertEqual(try cordon(["emulate", "p.tcl", "x86_64", "ptrace", "-w"]).stdout.prefix(17), "errno 13 (EACCES)")
        // A debug build traps instead: -D replaces the policy's own set.
        let trapping = try cordon(["emulate", "-D", "FAIL=trap", "p.tcl", "x86_64", "ptrace", "-w"])
        XCTAssertTrue(trapping.stdout.hasPrefix("trap 0  at p.tcl:3:28"), trapping.stdout + trapping.stderr)
        XCTAssertTrue(try cordon(["emulate", "-DFAIL=errno EPERM", "p.tcl", "x86_64", "ptrace", "-w"]).stdout.hasPrefix("errno 1 (EPERM)"))
        // The expect line reads the variable too, so it follows the definition.
        XCTAssertEqual(try cordon(["test", "p.tcl", "-D", "FAIL=kill_thread", "-w"]).stdout, "1 passed, 0 failed\n")
        // A new name, and the compiled outputs agree.
        try write("limit.tcl", "x86_64 {\n    if {$nr eq \"read\" && $args(fd) > $MAXFD} { return errno EBADF }\n    return allow\n}\n")
        XCTAssertEqual(try cordon(["check", "limit.tcl"]).status, 1, "$MAXFD is unknown without -D")
        let compiled = try cordon(["compile", "limit.tcl", "-D", "MAXFD=1024", "--format", "listing"])
        XCTAssertEqual(compiled.status, 0, compiled.stderr)
        XCTAssertTrue(compiled.stdout.contains("if (A > 0x400)") || compiled.stdout.contains("if (A >= 0x401)") || compiled.stdout.contains("0x400"), compiled.stdout)
        // Braces in VALUE cannot add commands to the policy.
        let injected = try cordon(["check", "p.tcl", "-D", "FAIL=allow} ; x86_64 {return allow} ; set Y {"])
        XCTAssertEqual(injected.status, 1)
        XCTAssertTrue(injected.stderr.hasPrefix("-D FAIL:1:1: error: wrong arguments"), injected.stderr)
        // A mistake in a definition is located on its own line.
        let wrong = try cordon(["check", "p.tcl", "-D", "FAIL=errno EPERMX"])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("-D FAIL:1:17: note: unknown errno name 'EPERMX'; did you mean 'EPERM'?"), wrong.stderr)
    }

    func testSwitchPatternsFromAListAndExpectExpressions() throws {
        try write("s.tcl", """
            set NET {socket connect}
            set FD 3
            x86_64 {
                switch $nr {
                    $NET { return errno EPERM }
                    openat {
                        switch {$args(flags) & O_ACCMODE} {
                            O_RDONLY { return allow }
                            default { return errno EACCES }
                        }
                    }
                    read {
                        if {$args(fd) == $FD} { return errno EBADF }
                    }
                }
                return allow
            }
            expect x86_64 {openat AT_FDCWD 0 O_WRONLY|O_CREAT} {errno EACCES}
            expect x86_64 {openat AT_FDCWD 0 O_RDONLY|O_CLOEXEC} allow
            expect x86_64 {read $FD} {errno EBADF}
            expect x86_64 {read $FD+1} allow
            expect x86_64 {connect} {errno EPERM}
            """)
        let result = try cordon(["test", "s.tcl", "-w"])
        XCTAssertEqual(result.stdout, "5 passed, 0 failed\n", result.stderr)
        XCTAssertEqual(result.status, 0)
    }

    /// language.md §5 through the binary: Tcl's exact integers, and a
    /// one-word set is a list of one.
    func testExactArithmeticAndOneWordListsThroughTheBinary() throws {
        try write("x.tcl", """
            set BIG {0xffffffffffffffff >> 4}
            set NET socket
            set FD 3
            x86_64 {
                if {$nr in $NET} { return errno EPERM }
                if {$nr eq "read" && $args(fd) in $FD} { return errno EBADF }
                switch $nr { $NET { return trap } }
                if {$nr eq "lseek" && $args(offset) == $BIG} { return errno 1 }
                return allow
            }
            expect x86_64 {socket} {errno EPERM}
            expect x86_64 {read 3} {errno EBADF}
            expect x86_64 {lseek 0 0x0fffffffffffffff} {errno 1}
            expect x86_64 {lseek 0 -1} allow
            """)
        let result = try cordon(["test", "x.tcl", "-w"])
        XCTAssertEqual(result.stdout, "4 passed, 0 failed\n", result.stderr)
        let emulated = try cordon(["emulate", "x.tcl", "x86_64", "lseek", "0", "0xffffffffffffffff", "-w"])
        XCTAssertTrue(emulated.stdout.hasPrefix("allow "), "0xffffffffffffffff >> 4 is not -1: \(emulated.stdout)")
    }
}
