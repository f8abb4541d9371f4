import CordonTestSupport
import Foundation
import XCTest

/// How people use cordon, run for real: the preload .so with LD_PRELOAD and
/// bash's enable -f, cordon run, bwrap --seccomp, the CI check and the
/// kernel-checked tests. Every filter is loaded by a child process.
final class InUsersHandsTests: XCTestCase {
    let root = TestEnvironment.packageRoot
    var dir: URL!
    /// Python: socket.socket() (AF_INET) must fail with EINVAL, AF_UNIX must work.
    let python = """
        import errno, socket
        try:
            socket.socket()
            print("inet allowed")
        except OSError as e:
            print("inet", errno.errorcode[e.errno])
        socket.socket(socket.AF_UNIX)
        print("unix ok")
        """

    override func setUpWithError() throws {
        dir = try TestEnvironment.temporaryDirectory("users")
    }

    private func nonet() throws -> String {
        let so = dir.appendingPathComponent("nonet.so").path
        let result = try runCordon(["preload", "samples/dropnet.tcl", "-o", so], currentDirectory: root)
        XCTAssertEqual(result.status, 0, result.stderr)
        return so
    }

    /// `stderr` without warnings (each is three lines: message, source, caret):
    /// the spec's dropnet has the io_uring sibling warning.
    private func withoutWarnings(_ stderr: String) -> String {
        var lines = stderr.split(separator: "\n", omittingEmptySubsequences: false)
        while let i = lines.firstIndex(where: { $0.contains(": warning: ") }) { lines.removeSubrange(i..<min(i + 3, lines.count)) }
        // The closing count (`3 warnings`).
        lines.removeAll { $0.wholeMatch(of: /[0-9]+ warnings?/) != nil }
        return lines.joined(separator: "\n")
    }

    private func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    func testLDPreloadFiltersAProgramAndLeavesPlainOnesAlone() throws {
        let so = try nonet()
        let run = try runShell("LD_PRELOAD=\(so) python3 -c \(shellQuote(python))")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "inet EINVAL\nunix ok\n")
        let plain = try runShell("LD_PRELOAD=\(so) ls / > /dev/null && LD_PRELOAD=\(so) sh -c 'echo hello'")
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertEqual(plain.stdout, "hello\n")
    }

    func testBashEnableFLoadsTheFilterIntoTheShell() throws {
        let so = try nonet()
        let with = try runShell("bash -c 'enable -f \(so) nonet; exec 3<>/dev/tcp/127.0.0.1/9'")
        XCTAssertNotEqual(with.status, 0)
        XCTAssertTrue(with.stderr.contains("socket: Invalid argument"), with.stderr)
        // The same bash without it reaches the connect stage.
        let without = try runShell("bash -c 'exec 3<>/dev/tcp/127.0.0.1/9'")
        XCTAssertNotEqual(without.status, 0)
        XCTAssertTrue(without.stderr.contains("connect:"), without.stderr)
        XCTAssertFalse(without.stderr.contains("socket: Invalid argument"))
    }

    func testThePreloadNeverLetsAProgramRunUnfiltered() throws {
        let so = try nonet()
        // Run under a policy that refuses prctl and seccomp: installing fails.
        let outer = dir.appendingPathComponent("deny-install.tcl")
        try Data("x86_64 { if {$nr in {prctl seccomp}} { return errno EPERM }; return allow }\n".utf8).write(to: outer)
        let run = try runShell("\(shellQuote(TestEnvironment.cordon.path)) run \(outer.path) -- env LD_PRELOAD=\(so) /bin/echo ran")
        XCTAssertEqual(run.status, 111, run.stdout + run.stderr)
        XCTAssertEqual(run.stdout, "", "the program never ran")
        XCTAssertEqual(run.stderr, "cordon: cannot set no_new_privs for the seccomp filter nonet: Operation not permitted\n")
    }

    func testCordonRun() throws {
        let run = try runProcess(TestEnvironment.cordon, ["run", "samples/dropnet.tcl", "--", "python3", "-c", python], currentDirectory: root)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "inet EINVAL\nunix ok\n")
        let refused = try runCordon(["run", "samples/stdio.tcl", "--", "true"], currentDirectory: root)
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "samples/stdio.tcl: error: the policy refuses execve, so true could not start under it: errno 1 at samples/stdio.tcl:26:5\n")
        let missing = try runCordon(["run", "samples/dropnet.tcl", "--", "no-such-command-here"], currentDirectory: root)
        XCTAssertEqual(missing.status, 127)
    }

    func testBwrapReadsTheRawFilter() throws {
        let bpf = dir.appendingPathComponent("nonet.bpf").path
        XCTAssertEqual(try runCordon(["compile", "samples/dropnet.tcl", "-o", bpf], currentDirectory: root).status, 0)
        let run = try runShell("bwrap --dev-bind / / --seccomp 3 python3 -c \(shellQuote(python)) 3< \(bpf)")
        XCTAssertEqual(run.status, 0, run.stderr + " (bubblewrap comes from scripts/install-deps.sh)")
        XCTAssertEqual(run.stdout, "inet EINVAL\nunix ok\n")
    }

    func testCheckCatchesAStaleHeader() throws {
        let policy = dir.appendingPathComponent("p.tcl")
        try Data(try Data(contentsOf: root.appendingPathComponent("samples/dropnet.tcl"))).write(to: policy)
        XCTAssertEqual(try runCordon(["compile", "p.tcl", "-o", "filter.h"], currentDirectory: dir).status, 0)
        let fresh = try runCordon(["compile", "p.tcl", "--check", "-o", "filter.h"], currentDirectory: dir)
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertEqual(withoutWarnings(fresh.stderr), "")
        let text = try String(contentsOf: policy, encoding: .utf8).replacingOccurrences(of: "errno EINVAL", with: "errno EPERM")
        try Data(text.utf8).write(to: policy)
        let stale = try runCordon(["compile", "p.tcl", "--check", "-o", "filter.h"], currentDirectory: dir)
        XCTAssertEqual(stale.status, 1)
        XCTAssertTrue(withoutWarnings(stale.stderr).hasPrefix("filter.h is stale: it is not what the policy compiles to today.\n--- filter.h (on disk)\n+++ filter.h (compiled today)\n@@ -39,1 +39,1 @@\n"), stale.stderr)
        XCTAssertTrue(stale.stderr.contains("+    /* 0015 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1), /* return ERRNO(1); p.tcl:8 */"), stale.stderr)
        XCTAssertTrue(withoutWarnings(stale.stderr).hasSuffix("update it with: cordon compile p.tcl -o filter.h\n"), stale.stderr)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("filter.h"), encoding: .utf8).contains("ERRNO | 22"), true, "--check writes nothing")
    }

    func testExpectLinesInTheKernel() throws {
        let samples = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("samples").path)
            .filter { $0.hasSuffix(".tcl") }.sorted().map { "samples/\($0)" }
        let result = try runCordon(["test", "--kernel"] + samples, currentDirectory: root)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.hasSuffix(" passed, 0 failed\n"))
        // A policy whose expectation is wrong fails in the interpreter and in the kernel.
        try Data("x86_64 { if {$nr eq socket} { return errno EPERM }; return allow }\nexpect x86_64 {socket} allow\nexpect i386 {read} kill_process\n".utf8)
            .write(to: dir.appendingPathComponent("k.tcl"))
        let failing = try runCordon(["test", "--kernel", "k.tcl"], currentDirectory: dir)
        XCTAssertEqual(failing.status, 1)
        XCTAssertEqual(failing.stdout, """
            k.tcl:2:1: expect failed: x86_64 socket(family=0, type=0, protocol=0): expected allow, got errno 1 (EPERM) (decided at k.tcl:1:31)
            k.tcl:2:1: kernel: x86_64 socket(family=0, type=0, protocol=0): expected allow, the kernel's filter returned errno 1 (EPERM)
            1 passed, 1 failed

            """)
    }

    func testTheEmbeddedTemplateIsTheOneInTemplates() throws {
        let check = try runShell("scripts/embed-template.sh --check", currentDirectory: root)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
    }

    func testACustomTemplateAndCompilerErrors() throws {
        let broken = dir.appendingPathComponent("broken.c")
        try Data("#include \"cordon_filter.h\"\nthis is not C;\n".utf8).write(to: broken)
        let out = dir.appendingPathComponent("x.so").path
        let result = try runCordon(["preload", "samples/dropnet.tcl", "-o", out, "--template", broken.path], currentDirectory: root)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(withoutWarnings(result.stderr).hasPrefix("cordon preload: the C compiler (cc) failed:\n"), result.stderr)
        XCTAssertTrue(result.stderr.contains("error:"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}
