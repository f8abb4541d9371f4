import CordonTestSupport
import Foundation
import XCTest

/// Findings 5 and 11 of the trust issue, through the built binary: inputs
/// that crashed cordon (stack overflow while building or freeing a huge
/// tree) and the smaller gaps (errno capping, located UTF-8 and asm errors,
/// control characters, out-of-range constants, CRLF, empty policies,
/// `badarch allow`).
final class HostileSizesTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try TestEnvironment.temporaryDirectory("hostile")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }

    private func cordon(_ arguments: [String]) throws -> ProcessResult {
        try runCordon(arguments, currentDirectory: dir)
    }

    /// Each used to die of SIGSEGV (exit 139) in `cordon check`.
    func testHugePoliciesAreCheckedWithoutCrashing() throws {
        let huge: [(String, String)] = [
            ("or.tcl", "x86_64 {\n if {" + (0..<100_000).map { "$args(0) == \($0)" }.joined(separator: " || ") + "} { return errno 1 }\n return allow\n}\n"),
            ("in.tcl", "x86_64 {\n if {$args(0) in {" + (0..<100_000).map(String.init).joined(separator: " ") + "}} { return errno 1 }\n return allow\n}\n"),
            ("switch.tcl", "x86_64 {\n switch $args(0) {\n" + (0..<50_000).map { "  \($0) { return errno 1 }\n" }.joined() + " }\n return allow\n}\n"),
            ("elseif.tcl", "x86_64 {\n if {$args(0) == 0} { return errno 1 }" + (1..<50_000).map { " elseif {$args(0) == \($0)} { return errno 2 }" }.joined() + "\n return allow\n}\n"),
        ]
        for (name, text) in huge {
            try write(name, text)
            let result = try cordon(["check", name])
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr.prefix(300))")
            // `test` runs on the main thread (it forks the kernel probe):
            // the tree is still built and freed on a large stack.
            let test = try cordon(["test", name])
            XCTAssertEqual(test.stdout, "0 passed, 0 failed\n", "\(name): \(test.stderr.prefix(300))")
        }
        // The two that -O0 lowers in linear time are refused with the size error.
        for name in ["or.tcl", "in.tcl"] {
            let compile = try cordon(["compile", name, "-O0", "-o", "out.h"])
            XCTAssertEqual(compile.status, 1)
            XCTAssertTrue(compile.stderr.split(separator: "\n").contains { $0.hasPrefix("\(name): error: the filter needs at least ") }, compile.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.h").path))
    }

    func testTheKernelsErrnoCapIsShown() throws {
        // RET ERRNO(65535): the kernel returns errno 4095.
        try Data([0x06, 0x00, 0x00, 0x00, 0xff, 0xff, 0x05, 0x00]).write(to: dir.appendingPathComponent("e.bpf"))
        let result = try cordon(["emulate", "--bpf", "e.bpf", "x86_64", "read"])
        XCTAssertEqual(result.stdout, "errno 4095  at instruction 0  1 instructions executed\n")
        XCTAssertEqual(result.stderr, "note: the program returns ERRNO(65535); the kernel caps errno at 4095\n")
    }

    func testTextThatIsNotUTF8IsLocated() throws {
        try Data(Array("x86_64 {\n  return allow ;# caf".utf8) + [0xE9] + Array("\n}\n".utf8)).write(to: dir.appendingPathComponent("latin1.tcl"))
        var result = try cordon(["check", "latin1.tcl"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "latin1.tcl:2:22: error: byte 0xe9 is not UTF-8: the file must be UTF-8 text\n")
        try Data(Array("ld_abs\t4\n".utf8) + [0, 0]).write(to: dir.appendingPathComponent("nul.s"))
        result = try cordon(["asm", "nul.s", "-o", "nul.bpf"])
        XCTAssertEqual(result.stderr, "nul.s:2:1: error: a NUL byte: this is not a text file\n")
        XCTAssertFalse(result.stderr.utf8.contains(0), "no raw NUL in a message")
    }

    func testAsmRefusalsNameTheirLine() throws {
        try write("jump.s", "# a comment\nld_abs\t0\n\njmp\t5\nret_k\t0\n")
        let result = try cordon(["asm", "jump.s", "-o", "jump.bpf"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "jump.s:4:1: error: instruction 1: jump to 7 is outside the program (3 instructions; targets must come after the jump and before the end)\n")
        try write("crlf.s", "ld_abs\t4\r\nret_k\t7FFF0000\r\n")
        XCTAssertEqual(try cordon(["asm", "crlf.s", "-o", "crlf.bpf"]).status, 0, "CRLF asm text assembles")
        try write("crlf.tcl", "x86_64 {\r\n    if {$nr eq \"read\"} { return allow }\r\n    return errno EPERM\r\n}\r\nexpect x86_64 read allow\r\n")
        XCTAssertEqual(try cordon(["test", "crlf.tcl"]).stdout, "1 passed, 0 failed\n", "CRLF policies work")
    }

    func testGoseccoMnemonicsTheKernelRefusesAreNamed() throws {
        try write("mod.s", "ld_abs\t0\nmod_k\t3\nret_k\t0\n")
        let result = try cordon(["asm", "mod.s", "-o", "mod.bpf"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "mod.s:2:1: error: 'mod_k' is gosecco's ALU|MOD|K (0x94), which the kernel refuses in a seccomp filter\n")
    }

    /// A folder named `x*` makes the path `x*/p.tcl`, whose `*/` used to
    /// close the header's first comment.
    func testAPolicyPathCannotBreakOutOfAComment() throws {
        // The header names the policy without its folders; a sourced file's
        // notes keep theirs, relative to the policy: `y*/r.tcl` is one.
        let folder = dir.appendingPathComponent("x*")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("y*"), withIntermediateDirectories: true)
        try Data("source y*/r.tcl\nx86_64 { return allow }\n".utf8).write(to: folder.appendingPathComponent("p.tcl"))
        try Data("i386 {\n    if {$nr eq \"socket\"} { return errno EPERM }\n    return allow\n}\n".utf8).write(to: folder.appendingPathComponent("y*/r.tcl"))
        XCTAssertEqual(try cordon(["compile", "x*/p.tcl", "-o", "p.h", "-w"]).status, 0)
        XCTAssertEqual(try cordon(["compile", "x*/p.tcl", "-o", "p.go", "-w"]).status, 0)
        let header = try String(contentsOf: dir.appendingPathComponent("p.h"), encoding: .utf8)
        XCTAssertTrue(header.hasPrefix("/* Generated by cordon from p.tcl with -O2"), header)
        XCTAssertTrue(header.contains("y*<U+002F>r.tcl:2 */"), header)
        XCTAssertFalse(header.contains("x*"), header)
        let cc = try runShell("cc -std=c99 -Wall -Wextra -Werror -fsyntax-only -x c p.h", currentDirectory: dir)
        XCTAssertEqual(cc.status, 0, cc.stderr)
        // C++ too: the header takes syscall()'s declaration from <unistd.h> there.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/g++") {
            let cxx = try runShell("g++ -Wall -Wextra -Werror -fsyntax-only -x c++ p.h", currentDirectory: dir)
            XCTAssertEqual(cxx.status, 0, cxx.stderr)
        }
    }

    func testControlCharactersNeverReachTheTerminal() throws {
        try write("esc.tcl", "x86_64 {\n    if {$nr eq \"read\u{1B}[31m\"} { return allow }\n    return allow\n}\n")
        let result = try cordon(["check", "esc.tcl"])
        XCTAssertFalse(result.stderr.contains("\u{1B}"), result.stderr)
        XCTAssertTrue(result.stderr.contains("read<U+001B>"), result.stderr)
        let named = try cordon(["check", "no\u{1B}]0;title\u{07}.tcl"])
        XCTAssertFalse(named.stderr.contains("\u{1B}") || named.stderr.contains("\u{07}"), named.stderr)
    }

    func testConstantsBelowMinusTwoToTheSixtyThreeAreErrors() throws {
        try write("neg.tcl", "x86_64 {\n    if {$args(0) == -9223372036854775809} { return allow }\n    switch $args(1) { -18446744073709551615 { return allow } }\n    return errno 1\n}\n")
        let result = try cordon(["check", "neg.tcl"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("neg.tcl:2:21: error: constant -9223372036854775809 does not fit $args(0), a 64-bit field: use -9223372036854775808..18446744073709551615\n"), result.stderr)
        XCTAssertTrue(result.stderr.contains("neg.tcl:3:23: error: constant -18446744073709551615 does not fit $args(1)"), result.stderr)
        try write("edge.tcl", "x86_64 {\n    if {$args(0) == -9223372036854775808} { return allow }\n    return errno 1\n}\nexpect x86_64 {read 0x8000000000000000} allow\n")
        XCTAssertEqual(try cordon(["test", "edge.tcl"]).stdout, "1 passed, 0 failed\n")
    }

    func testAnEmptyPolicyAndBadarchAllowAreWarned() throws {
        try write("empty.tcl", "# nothing yet\n")
        var result = try cordon(["check", "empty.tcl"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stderr.hasPrefix("empty.tcl:1:1: warning: the policy has no architecture block: every syscall of every architecture gets badarch (kill_process)\n"), result.stderr)
        try write("open.tcl", "badarch allow\nx86_64 { return allow }\n")
        result = try cordon(["check", "open.tcl"])
        XCTAssertTrue(result.stderr.hasPrefix("open.tcl:1:9: warning: badarch allow lets every syscall of the architectures without a block through unfiltered"), result.stderr)
    }
}
