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
        // Docker's profile allows socketcall on i386 while restricting socket,
        // and compares socket's family and personality's persona at 64 bits on
        // x86_64 (§5a); the spec's dropnet restricts socket but leaves io_uring
        // open, and compares socket's family at 64 bits too: those are the
        // warnings the samples have.
        let lines = result.stderr.split(separator: "\n").filter { $0.contains(": warning: ") }
        let width = lines.filter { $0.contains("compares all 64 bits of") }
        let warnings = lines.filter { !$0.contains("compares all 64 bits of") }
        let ioUring = "restricts socket but allows io_uring_setup whatever its arguments: io_uring opens files, creates sockets and connects without a syscall seccomp sees: refuse io_uring_setup"
        XCTAssertEqual(warnings, ["samples/docker-default.tcl:235:16: warning: this i386 block filters socket but leaves socketcall open: i386 programs reach socket through socketcall(2), whose arguments seccomp cannot see",
                                  "samples/dropnet.tcl:6:16: warning: i386 \(ioUring)",
                                  "samples/dropnet.tcl:15:16: warning: x86_64 \(ioUring)"])
        XCTAssertEqual(width.map { String($0.split(separator: ":").prefix(2).joined(separator: ":")) },
                       ["samples/docker-default.tcl:122", "samples/docker-default.tcl:126", "samples/docker-default.tcl:130",
                        "samples/docker-default.tcl:134", "samples/docker-default.tcl:138", "samples/docker-default.tcl:142",
                        "samples/dropnet.tcl:16"])
        XCTAssertTrue(width[0].contains("socket(family=0x100000028) is let through"), String(width[0]))
        XCTAssertTrue(width[1].contains("personality(personality=0x100000000) is refused"), String(width[1]))
        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(last.hasSuffix(" passed, 0 failed"), last)
        XCTAssertGreaterThanOrEqual(Int(last.split(separator: " ")[0]) ?? 0, 50)
        for sample in samples {
            XCTAssertEqual(try runCordon(["check", sample], currentDirectory: root).status, 0, sample)
        }
    }

    func testEmulateNamesTheDecidingReturn() throws {
        let cases: [([String], String)] = [
            (["x86_64", "socket", "AF_INET"], "errno 22 (EINVAL)  at samples/dropnet.tcl:17:13  10 BPF instructions executed\n"),
            (["x86_64", "socket", "AF_UNIX"], "allow  at samples/dropnet.tcl:20:5  10 BPF instructions executed\n"),
            (["i386", "socketcall", "1"], "errno 38 (ENOSYS)  at samples/dropnet.tcl:4:9  7 BPF instructions executed\n"),
            (["x32", "read"], "kill_process  at default badarch  8 BPF instructions executed\n"),
            (["x86_64", "41", "-1"], "errno 22 (EINVAL)  at samples/dropnet.tcl:17:13  8 BPF instructions executed\n"),
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
            1 error

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
            t.tcl:3:1: expect failed: x86_64 read(fd=0, buf=0, count=0): expected errno 1 (EPERM), got allow (decided at t.tcl:1:53)
            2 passed, 1 failed

            """)
    }
}

/// The README's quick start says what cordon does: its policy is
/// samples/nonet.tcl, and every command it shows after the first screen
/// runs as written, in a fresh folder, with the built cordon on PATH (the
/// first screen's build-and-run line is run by .ci/run, which builds).
final class ReadmeTests: XCTestCase {
    let root = TestEnvironment.packageRoot

    private func blocks(_ readme: String, _ language: String) -> [String] {
        readme.components(separatedBy: "```\(language)\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
    }

    func testTheQuickStartPolicyIsTheSample() throws {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssertEqual(blocks(readme, "tcl")[0], try String(contentsOf: root.appendingPathComponent("samples/nonet.tcl"), encoding: .utf8))
    }

    func testEveryCommandTheReadmeShowsRunsAsWritten() throws {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let dir = try TestEnvironment.temporaryDirectory("readme")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = FileManager.default
        try files.copyItem(at: root.appendingPathComponent("samples/nonet.tcl"), to: dir.appendingPathComponent("nonet.tcl"))
        try files.copyItem(at: root.appendingPathComponent("Tests/Fixtures/docker/default.json"), to: dir.appendingPathComponent("docker-default.json"))
        // A build to sandbox: one recipe tries the network.
        try Data("all:\n\t@python3 -c 'import socket; socket.socket()' 2>/dev/null && echo network || echo no network\n".utf8)
            .write(to: dir.appendingPathComponent("Makefile"))
        let bin = TestEnvironment.cordon.deletingLastPathComponent().path
        let shells = blocks(readme, "sh")
        XCTAssertEqual(shells[1], "scripts/test.sh\n", "the second block is the test command, which CI runs")
        var lines: [String] = []
        for block in shells.dropFirst(2) { lines += block.split(separator: "\n").map(String.init) }
        var ran = 0, index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            var input = ""
            if line.hasPrefix("bash ") || line == "bash" {
                // An interactive shell: the README's next line is typed into it.
                input = lines[index] + "\nexec 3<>/dev/tcp/127.0.0.1/9\n"
                index += 1
            }
            // The benchmark and the install script run from the package, as the README says.
            let fromPackage = line.hasPrefix("Benchmarks/") || line.hasPrefix("scripts/")
            let folder = fromPackage ? root : dir
            // Inside `swift test` they cannot run SwiftPM (its lock is held):
            // scripts/test.sh built the release binaries they use. The install
            // goes to the temporary folder, as HOME.
            let prebuilt = line.hasPrefix("Benchmarks/") ? "export CORDON_BENCH_PREBUILT=1\n"
                : line.hasPrefix("scripts/install.sh") ? "export CORDON_INSTALL_PREBUILT=1 HOME=\(dir.path)\n" : ""
            let result = try runProcess(URL(fileURLWithPath: "/bin/bash"), ["-c", "export PATH=\(bin):$PATH\n" + prebuilt + line],
                                        input: input, currentDirectory: folder)
            ran += 1
            if line.hasPrefix("Benchmarks/") {
                for section in ["## Filters", "docker/libseccomp-O2", "## Kernel", "## Compiling generated policies", "50000 rules", "1000 rules", "Docker sample", "## Search over syscall numbers", "## Emulator"] {
                    XCTAssertTrue(result.stdout.contains(section), "\(line): no \(section)\n\(result.stdout)\(result.stderr)")
                }
            }
            XCTAssertEqual(result.status, input.isEmpty ? 0 : 1, "\(line)\n\(result.stdout)\(result.stderr)")
            let comment = line.components(separatedBy: "  # ").dropFirst().joined().trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("cordon test") || line.hasPrefix("cordon emulate") {
                XCTAssertEqual(result.stdout, comment + "\n", line)
            }
            if line.hasPrefix("scripts/install.sh") {
                XCTAssertTrue(files.isExecutableFile(atPath: dir.appendingPathComponent(".local/bin/cordon").path), line)
                XCTAssertTrue(files.fileExists(atPath: dir.appendingPathComponent(".local/share/man/man1/cordon-compile.1").path), line)
            }
            if line.hasPrefix("cordon syscalls") {
                XCTAssertTrue(result.stdout.contains("socket") && result.stdout.contains("execve") && result.stdout.contains("family"), result.stdout)
            }
            if line.contains("make") {
                XCTAssertEqual(result.stdout, "no network\n", line)
            }
            if !input.isEmpty {
                XCTAssertTrue(result.stderr.contains("Permission denied"), "the shell has no network: \(result.stderr)")
            }
        }
        XCTAssertGreaterThanOrEqual(ran, 10)
        // The C snippet compiles and runs with the header the README made.
        try Data(blocks(readme, "c")[0].utf8).write(to: dir.appendingPathComponent("main.c"))
        let c = try runShell("cc -std=c99 -Wall -Wextra -Werror main.c -o main && ./main", currentDirectory: dir)
        XCTAssertEqual(c.status, 0, c.stderr)
        // The CI step, with its folders.
        try files.createDirectory(at: dir.appendingPathComponent("policy"), withIntermediateDirectories: true)
        try files.createDirectory(at: dir.appendingPathComponent("src"), withIntermediateDirectories: true)
        try files.copyItem(at: dir.appendingPathComponent("nonet.tcl"), to: dir.appendingPathComponent("policy/nonet.tcl"))
        XCTAssertEqual(try runCordon(["compile", "policy/nonet.tcl", "-o", "src/filter.h"], currentDirectory: dir).status, 0)
        let step = try XCTUnwrap(blocks(readme, "yaml")[0].components(separatedBy: "- run: ").last?.trimmingCharacters(in: .newlines))
        let ci = try runShell("export PATH=\(bin):$PATH\n" + step, currentDirectory: dir)
        XCTAssertEqual(ci.status, 0, step + ci.stderr)
    }
}
