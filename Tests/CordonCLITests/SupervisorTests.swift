import CordonTestSupport
import Foundation
import XCTest

/// `cordon run --audit` and `--report` through the built binary: the
/// supervisor's reports, exit statuses, signals, what it leaves behind, and
/// what happens when it dies. Filters load only in cordon's child.
final class SupervisorTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try TestEnvironment.temporaryDirectory("cordon-supervisor")
        try FileManager.default.copyItem(at: TestEnvironment.packageRoot.appendingPathComponent("samples/nonet.tcl"),
                                         to: dir.appendingPathComponent("nonet.tcl"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func sh(_ command: String) throws -> ProcessResult {
        try runShell("cd '\(dir.path)' || exit 99\n" + command)
    }

    private var cordon: String { TestEnvironment.cordon.path }

    /// The example: audit reports the socket call with its line and
    /// lets it through; --report refuses it with EACCES and reports the same.
    func testAuditLetsThroughAndReportEnforcesWithTheDecidingLine() throws {
        let program = "import socket; s = socket.socket(); print('created', s.family.name)"
        let audit = try sh("\(cordon) run nonet.tcl --audit -- python3 -c \"\(program)\"")
        XCTAssertEqual(audit.status, 0, audit.stderr)
        XCTAssertEqual(audit.stdout, "created AF_INET\n")
        let line = "socket(family=AF_INET, type=SOCK_STREAM|SOCK_CLOEXEC, protocol=0) -> errno 13 (EACCES) at nonet.tcl:10:56"
        XCTAssertTrue(audit.stderr.contains("cordon audit: python3["), audit.stderr)
        XCTAssertTrue(audit.stderr.contains(line), audit.stderr)
        XCTAssertTrue(audit.stderr.contains("let through (audit enforces nothing)"), audit.stderr)

        let report = try sh("\(cordon) run nonet.tcl --report -- python3 -c \"\(program)\"")
        XCTAssertEqual(report.status, 1)
        XCTAssertTrue(report.stderr.contains("PermissionError: [Errno 13]"), report.stderr)
        XCTAssertTrue(report.stderr.contains("cordon report: python3["), report.stderr)
        XCTAssertTrue(report.stderr.contains(line), report.stderr)
    }

    /// Repeats are counted, not repeated; --report-file takes the lines, with counts.
    func testRepeatsAreCountedAndTheReportFileHasThem() throws {
        let program = "import socket\nfor i in range(5): socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)\nprint('ok')"
        try program.write(to: dir.appendingPathComponent("five.py"), atomically: true, encoding: .utf8)
        let live = try sh("\(cordon) run nonet.tcl --audit -- python3 five.py")
        XCTAssertEqual(live.status, 0, live.stderr)
        let perCall = live.stderr.split(separator: "\n").filter { $0.hasPrefix("cordon audit: python3[") }
        XCTAssertEqual(perCall.count, 1, live.stderr)
        XCTAssertTrue(live.stderr.contains("cordon audit: 5x python3["), live.stderr)
        XCTAssertTrue(live.stderr.contains("5 calls the policy does not allow, 1 distinct"), live.stderr)

        let filed = try sh("\(cordon) run nonet.tcl --audit --report-file report.txt -- python3 five.py")
        XCTAssertEqual(filed.status, 0, filed.stderr)
        XCTAssertEqual(filed.stdout, "ok\n")
        XCTAssertFalse(filed.stderr.contains("socket("), "the lines go to the file only: \(filed.stderr)")
        let text = try String(contentsOf: dir.appendingPathComponent("report.txt"), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("python3["), text)
        XCTAssertTrue(text.contains("socket(family=AF_INET6, type=SOCK_DGRAM|SOCK_CLOEXEC, protocol=0) -> errno 13 (EACCES) at nonet.tcl:10:56  (5 calls)\n"), text)
    }

    /// Calls that differ only in what the policy never reads (here the path
    /// pointer and the mode) are one line: the same path to the same return.
    func testCallsThatDifferOnlyInUnreadArgumentsAreRepeats() throws {
        try "x86_64 {\n    if {$nr eq openat && ($args(flags) & O_CREAT)} { return errno EACCES }\n    return allow\n}\n".write(
            to: dir.appendingPathComponent("nocreate.tcl"), atomically: true, encoding: .utf8)
        let program = "import os\nfor i, name in enumerate(['a', 'bb', 'ccc']):\n    try: os.open(name, os.O_CREAT | os.O_WRONLY, 0o600 + i)\n    except PermissionError: print('refused', name)"
        try program.write(to: dir.appendingPathComponent("create.py"), atomically: true, encoding: .utf8)
        // The interpreter itself: a wrapper script (pyenv's) would open /dev/null for writing.
        let result = try sh("\(cordon) run nocreate.tcl --report -- \"$(python3 -c 'import sys; print(sys.executable)')\" create.py")
        XCTAssertEqual(result.stdout, "refused a\nrefused bb\nrefused ccc\n", result.stderr)
        let lines = result.stderr.split(separator: "\n").filter { $0.contains("openat(") }
        XCTAssertEqual(lines.count, 2, "one line when first seen, one count: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("cordon report: 3x python3"), result.stderr)
        XCTAssertTrue(result.stderr.contains("flags=O_WRONLY|O_CREAT|O_CLOEXEC"), result.stderr)
    }

    /// Children are followed: a call made by a grandchild is reported too,
    /// under its own program name.
    func testChildrenAndThreadsAreSupervised() throws {
        let program = "import socket, threading\nt = threading.Thread(target=lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW if False else socket.SOCK_STREAM))\nt.start(); t.join()"
        try program.write(to: dir.appendingPathComponent("thread.py"), atomically: true, encoding: .utf8)
        let result = try sh("\(cordon) run nonet.tcl --audit -- sh -c 'python3 thread.py && echo done'")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "done\n")
        XCTAssertTrue(result.stderr.contains("socket(family=AF_INET, type=SOCK_STREAM|SOCK_CLOEXEC"), result.stderr)
    }

    /// cordon never loads a filter itself: the child does (Seccomp: 2 in
    /// /proc), its parent cordon stays unfiltered (Seccomp: 0).
    func testTheSupervisorItselfIsUnfiltered() throws {
        let result = try sh("\(cordon) run nonet.tcl --audit -- sh -c 'grep Seccomp: /proc/$PPID/status; grep Seccomp: /proc/$$/status'")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.replacingOccurrences(of: "\t", with: " "), "Seccomp: 0\nSeccomp: 2\n")
    }

    func testExitStatusIsTheCommands() throws {
        XCTAssertEqual(try sh("\(cordon) run nonet.tcl --audit -- sh -c 'exit 7'").status, 7)
        XCTAssertEqual(try sh("\(cordon) run nonet.tcl --report -- sh -c 'kill -TERM $$'").status, 128 + 15)
        let missing = try sh("\(cordon) run nonet.tcl --audit -- ./no-such-program")
        XCTAssertEqual(missing.status, 127)
        XCTAssertTrue(missing.stderr.contains("no-such-program"), missing.stderr)
    }

    /// A kill decision under --report ends the process (sched_yield: a call
    /// python makes only when asked, and no wrapper script on the way does), with the status the
    /// kernel's own kill gives (128 + SIGSYS).
    func testReportCarriesOutAKill() throws {
        try "x86_64 {\n    if {$nr eq \"sched_yield\"} { return kill_process }\n    return allow\n}\n".write(
            to: dir.appendingPathComponent("kill.tcl"), atomically: true, encoding: .utf8)
        let result = try sh("\(cordon) run kill.tcl --report -- python3 -c 'import os; print(\"before\", flush=True); os.sched_yield(); print(\"after\")'")
        XCTAssertEqual(result.status, 128 + 31, result.stderr)
        XCTAssertEqual(result.stdout, "before\n")
        XCTAssertTrue(result.stderr.contains("sched_yield() -> kill_process at kill.tcl:2:33"), result.stderr)
        XCTAssertTrue(result.stderr.contains("killed by the policy"), result.stderr)
    }

    /// SIGTERM sent to cordon reaches the command; what the command left
    /// running when it ended is killed.
    func testSignalsAreForwardedAndNothingIsLeftRunning() throws {
        let forwarded = try sh("""
            \(cordon) run nonet.tcl --audit -- sh -c 'trap "echo got TERM; exit 3" TERM; echo ready; for i in $(seq 400); do sleep 0.05; done' > out.txt &
            pid=$!
            for i in $(seq 100); do grep -q ready out.txt 2>/dev/null && break; sleep 0.05; done
            kill -TERM $pid; wait $pid; echo "status $?"; cat out.txt
            kill -KILL $pid 2>/dev/null
            """)
        XCTAssertEqual(forwarded.stdout, "status 3\nready\ngot TERM\n", forwarded.stderr)

        let left = try sh("""
            \(cordon) run nonet.tcl --audit -- sh -c 'sleep 300 & echo $!'
            """)
        XCTAssertEqual(left.status, 0, left.stderr)
        let pid = Int32(left.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertNotNil(pid)
        if let pid {
            XCTAssertEqual(kill(pid, 0), -1, "the background sleep \(pid) was left running")
            XCTAssertEqual(errno, ESRCH)
        }
    }

    /// SIGKILL the supervisor mid-run: the kernel closes the listener, and
    /// every call the filter would have sent it fails with ENOSYS. The
    /// command goes on filtered, and nothing the policy refuses gets through.
    func testKillingTheSupervisorFailsClosed() throws {
        let program = """
            import errno, socket, time, sys
            out = open(sys.argv[1], 'w', buffering=1)
            for i in range(30):
                try:
                    socket.socket().close(); out.write('created\\n')
                except OSError as e:
                    out.write(errno.errorcode[e.errno] + '\\n')
                time.sleep(0.05)
            out.write('end\\n')
            """
        try program.write(to: dir.appendingPathComponent("loop.py"), atomically: true, encoding: .utf8)
        let result = try sh("""
            \(cordon) run nonet.tcl --audit -- python3 loop.py log.txt 2>/dev/null &
            pid=$!
            for i in $(seq 200); do grep -q created log.txt 2>/dev/null && break; sleep 0.02; done
            kill -KILL $pid
            for i in $(seq 200); do grep -q end log.txt 2>/dev/null && break; sleep 0.05; done
            cat log.txt
            """)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.last, "end", result.stdout + result.stderr)
        guard let firstRefused = lines.firstIndex(where: { $0 != "created" }) else { return XCTFail(result.stdout) }
        XCTAssertGreaterThan(firstRefused, 0, "audit let the first sockets through")
        let after = lines[firstRefused..<(lines.count - 1)]
        XCTAssertFalse(after.isEmpty)
        XCTAssertEqual(Set(after), ["ENOSYS"], "after the supervisor died: \(lines)")
    }

    func testUsageMistakes() throws {
        let both = try sh("\(cordon) run nonet.tcl --audit --report -- true")
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("--audit and --report exclude each other"), both.stderr)
        let fileAlone = try sh("\(cordon) run nonet.tcl --report-file r.txt -- true")
        XCTAssertEqual(fileAlone.status, 2)
        XCTAssertTrue(fileAlone.stderr.contains("--report-file needs --audit or --report"), fileAlone.stderr)
        let intoPolicy = try sh("\(cordon) run nonet.tcl --audit --report-file nonet.tcl -- true")
        XCTAssertEqual(intoPolicy.status, 2, "the report may not overwrite the policy")
    }
}
