import CordonTestSupport
import Foundation
import XCTest

/// Findings 8, 9 and 10 of the trust issue, in the live kernel (every
/// filter is loaded by a child process): a thread that exists before the
/// filter is installed is filtered too (TSYNC), through the C header, the
/// .so and `cordon run`; a .so filter does not pile up over nested execs;
/// `cordon preload` says what a .so cannot filter.
final class ThreadsAndExecTests: XCTestCase {
    let root = TestEnvironment.packageRoot
    var dir: URL!

    override func setUpWithError() throws {
        dir = try TestEnvironment.temporaryDirectory("threads")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func preload(_ policy: String, _ output: String) throws -> String {
        let so = dir.appendingPathComponent(output).path
        let result = try runCordon(["preload", policy, "-o", so], currentDirectory: root)
        XCTAssertEqual(result.status, 0, result.stderr)
        return so
    }

    /// Python: a thread is started and waits; then the filter is installed
    /// by `install`; then the thread calls socket(AF_INET).
    private func pythonThreadCheck(install: String) -> String {
        """
        import ctypes, errno, socket, threading
        go = threading.Event(); out = []
        def worker():
            go.wait()
            try:
                socket.socket(); out.append("thread NOT filtered")
            except OSError as e:
                out.append("thread " + errno.errorcode[e.errno])
        t = threading.Thread(target=worker); t.start()
        \(install)
        go.set(); t.join(); print(out[0])
        """
    }

    func testAThreadStartedBeforeTheHeaderInstallsIsFiltered() throws {
        XCTAssertEqual(try runCordon(["compile", "samples/nonet.tcl", "-o", dir.appendingPathComponent("nonet.h").path], currentDirectory: root).status, 0)
        // _DEFAULT_SOURCE for usleep; it also makes unistd.h declare syscall(),
        // which the header declares again, compatibly.
        let program = """
            #define _DEFAULT_SOURCE
            #include "nonet.h"
            #include <errno.h>
            #include <pthread.h>
            #include <stdio.h>
            #include <sys/socket.h>
            #include <unistd.h>
            static volatile int go;
            static int result = -1;
            static void *worker(void *unused) {
                (void)unused;
                while (!go) usleep(1000);
                result = socket(AF_INET, SOCK_STREAM, 0) < 0 ? errno : 0;
                return 0;
            }
            int main(void) {
                pthread_t t;
                pthread_create(&t, 0, worker, 0);
                usleep(20000);
                if (nonet_install() != 0) { perror("nonet_install"); return 2; }
                go = 1;
                pthread_join(t, 0);
                puts(result == EACCES ? "thread EACCES" : "thread NOT filtered");
                return 0;
            }
            """
        try Data(program.utf8).write(to: dir.appendingPathComponent("t.c"))
        let build = try runShell("cc -std=c99 -Wall -Wextra -Werror -pthread t.c -o t && ./t", currentDirectory: dir)
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertEqual(build.stdout, "thread EACCES\n")
    }

    func testAThreadStartedBeforeTheSharedObjectLoadsIsFiltered() throws {
        let so = try preload("samples/nonet.tcl", "nonet.so")
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                    ["python3", "-c", pythonThreadCheck(install: "ctypes.CDLL(\(String(reflecting: so)))")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "thread EACCES\n")
    }

    func testEveryThreadUnderCordonRunIsFiltered() throws {
        let result = try runCordon(["run", "samples/nonet.tcl", "--", "python3", "-c", pythonThreadCheck(install: "pass")], currentDirectory: root)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "thread EACCES\n")
    }

    /// 200 nested execs under LD_PRELOAD with the Docker sample's filter:
    /// the filter is loaded once; before, the kernel refused the 80th copy.
    func testTwoHundredNestedExecsKeepOneFilter() throws {
        let so = try preload("samples/docker-default.tcl", "docker.so")
        try Data("""
            n=$1
            if [ "$n" -gt 0 ]; then exec /bin/sh "$0" $((n - 1)); fi
            grep Seccomp_filters /proc/self/status
            """.utf8).write(to: dir.appendingPathComponent("chain.sh"))
        let result = try runShell("LD_PRELOAD=\(so) /bin/sh chain.sh 200", currentDirectory: dir)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "Seccomp_filters:\t1\n")
    }

    /// The .so recognises only its own filter, by asking the kernel: another
    /// filter (another .so, or an outer `cordon run`) does not make it skip.
    func testOnlyItsOwnFilterMakesTheSharedObjectSkipLoading() throws {
        let nonet = try preload("samples/nonet.tcl", "nonet.so")
        let dropnet = try preload("samples/dropnet.tcl", "dropnet.so")
        let count = "grep Seccomp_filters /proc/self/status"
        var result = try runShell("LD_PRELOAD=\(nonet) /bin/sh -c 'LD_PRELOAD=\(dropnet) /bin/sh -c \"\(count)\"'")
        XCTAssertEqual(result.stdout, "Seccomp_filters:\t2\n", result.stderr)
        try Data("x86_64 { return allow }\narch {i386 x32} { return allow }\n".utf8).write(to: dir.appendingPathComponent("open.tcl"))
        result = try runShell("\(TestEnvironment.cordon.path) run open.tcl -- env LD_PRELOAD=\(nonet) /bin/sh -c '\(count)'", currentDirectory: dir)
        XCTAssertEqual(result.stdout, "Seccomp_filters:\t2\n", result.stderr)
        // With no filter at all, it loads.
        result = try runShell("LD_PRELOAD=\(nonet) /bin/sh -c '\(count)'")
        XCTAssertEqual(result.stdout, "Seccomp_filters:\t1\n", result.stderr)
    }

    func testPreloadSaysWhatASharedObjectCannotFilter() throws {
        let result = try runCordon(["preload", "samples/nonet.tcl", "-o", dir.appendingPathComponent("n.so").path], currentDirectory: root)
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stderr.hasPrefix("note: "), result.stderr)
        for words in ["Static programs", "setuid", "without a slash", "cordon run POLICY -- COMMAND"] {
            XCTAssertTrue(result.stderr.contains(words), "\(words): \(result.stderr)")
        }
    }
}
