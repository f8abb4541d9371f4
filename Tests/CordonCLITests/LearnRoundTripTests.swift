import CordonTestSupport
import Foundation
import XCTest

/// `cordon learn` on real workloads, round trip: learn a policy from one run
/// in one folder, then run the same workload in a twin folder under
/// `cordon run POLICY --report`: the same output and status, and no call
/// refused. Each learned policy also passes `cordon test --kernel`, which
/// replays its expect lines in the live kernel.
final class LearnRoundTripTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws { root = try TestEnvironment.temporaryDirectory("cordon-learn") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    private var cordon: String { TestEnvironment.cordon.path }

    /// A deterministic environment: git's identity and dates fixed, HOME in the test folder.
    private let environment = """
        export HOME="$PWD/home" GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=cordon GIT_AUTHOR_EMAIL=cordon@example.org \
        GIT_COMMITTER_NAME=cordon GIT_COMMITTER_EMAIL=cordon@example.org \
        GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' LC_ALL=C
        mkdir -p home

        """

    /// Learns `script` (a shell script run by sh) in a folder set up by
    /// `files`, replays it in a twin under --report, and checks both.
    /// Returns the learned policy's text.
    @discardableResult
    private func roundTrip(_ name: String, files: [String: String], script: String,
                           file: StaticString = #filePath, line: UInt = #line) throws -> String {
        var outcomes: [ProcessResult] = []
        let policy = root.appendingPathComponent("\(name).tcl").path
        for (i, mode) in ["learn", "replay"].enumerated() {
            let dir = root.appendingPathComponent("\(name)-\(i)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for (path, text) in files {
                let url = dir.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
            try script.write(to: dir.appendingPathComponent("workload.sh"), atomically: true, encoding: .utf8)
            let command = mode == "learn" ? "\(cordon) learn -o '\(policy)' -- sh workload.sh"
                : "\(cordon) run '\(policy)' --report -- sh workload.sh"
            outcomes.append(try runShell("cd '\(dir.path)' || exit 99\n" + environment + command))
        }
        let (learned, replayed) = (outcomes[0], outcomes[1])
        XCTAssertTrue(learned.stderr.contains("cordon learn: "), learned.stderr, file: file, line: line)
        XCTAssertEqual(replayed.stdout, learned.stdout, "stdout differs under the learned policy: \(replayed.stderr)", file: file, line: line)
        XCTAssertEqual(replayed.status, learned.status, replayed.stderr, file: file, line: line)
        let refused = replayed.stderr.split(separator: "\n").filter { $0.hasPrefix("cordon report:") }
        XCTAssertEqual(refused, [], "the learned policy refused calls of the same workload", file: file, line: line)
        let check = try runCordon(["check", policy])
        XCTAssertEqual(check.status, 0, check.stderr, file: file, line: line)
        XCTAssertFalse(check.stderr.contains("error:"), check.stderr, file: file, line: line)
        let test = try runCordon(["test", policy, "--kernel"])
        XCTAssertEqual(test.status, 0, test.stdout + test.stderr, file: file, line: line)
        XCTAssertTrue(test.stdout.hasSuffix(" passed, 0 failed\n"), test.stdout, file: file, line: line)
        return try String(contentsOfFile: policy, encoding: .utf8)
    }

    func testPythonWithSqliteAndThreads() throws {
        let app = """
            import sqlite3, threading
            db = sqlite3.connect('data.db', check_same_thread=False)
            db.execute('create table t (n integer)')
            lock = threading.Lock()
            def work(k):
                with lock:
                    db.execute('insert into t values (?)', (k,))
                    db.commit()
            threads = [threading.Thread(target=work, args=(i,)) for i in range(1, 5)]
            for t in threads: t.start()
            for t in threads: t.join()
            print('sum', db.execute('select sum(n) from t').fetchone()[0])
            """
        let policy = try roundTrip("python", files: ["app.py": app], script: "python3 app.py\n")
        XCTAssertTrue(policy.contains("x86_64 {"), policy)
        XCTAssertTrue(policy.contains("#   clone3") || policy.contains("# clone: clone_flags"), "threads were seen: \(policy)")
    }

    func testGitInitAddCommit() throws {
        let policy = try roundTrip("git", files: ["README": "hello\n", "src/main.c": "int main(void) { return 0; }\n"],
                                   script: "git init -q . && git add . && git commit -q -m first && git log --format=%H\n")
        XCTAssertTrue(policy.contains("git"), policy)
    }

    func testTarCreateAndExtract() throws {
        try roundTrip("tar", files: ["src/a.txt": "alpha\n", "src/b.txt": "beta\n"],
                      script: "tar czf a.tgz src && mkdir out && tar xzf a.tgz -C out && cat out/src/a.txt out/src/b.txt\n")
    }

    func testCcOfASmallProgram() throws {
        let source = "#include <stdio.h>\nint main(void) { puts(\"hello from cc\"); return 3; }\n"
        try roundTrip("cc", files: ["hello.c": source], script: "cc -O1 -o hello hello.c && ./hello\n")
    }

    func testMakeWithTwoTargets() throws {
        let makefile = "all: one two\none:\n\t@echo building one; echo 1 > one\ntwo: one\n\t@echo building two; cat one > two; echo 2 >> two\n"
        try roundTrip("make", files: ["Makefile": makefile], script: "make && cat two\n")
    }

    /// An i386 program gets an i386 block, and the kernel agrees on its expect lines.
    func testAnI386Program() throws {
        let probe = try runShell("cd '\(root.path)' && printf 'int main(void){return 0;}' > m.c && gcc -m32 -o m32 m.c")
        try XCTSkipIf(probe.status != 0, "this host cannot build i386 programs (scripts/install-deps.sh installs gcc-multilib): \(probe.stderr)")
        let source = "#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf(\"pid %d\\n\", getpid() > 0); return 0; }\n"
        let build = try runShell("cd '\(root.path)' && printf '%s' '\(source)' > p32.c && gcc -m32 -o p32 p32.c")
        XCTAssertEqual(build.status, 0, build.stderr)
        let policy = try roundTrip("i386", files: [:], script: "'\(root.path)/p32'\n")
        XCTAssertTrue(policy.contains("\ni386 {\n"), policy)
        XCTAssertTrue(policy.contains("expect i386 "), policy)
    }
}

/// `cordon learn`'s options and mistakes, and `--update` on a real workload.
final class LearnOptionsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try TestEnvironment.temporaryDirectory("cordon-learn-options") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func sh(_ command: String) throws -> ProcessResult {
        try runShell("cd '\(dir.path)' || exit 99\nexport LC_ALL=C\n" + command)
    }

    private var cordon: String { TestEnvironment.cordon.path }

    /// Learn `tar czf`, then `--update` with `tar xzf`: the policy gains only
    /// what extracting needed, and extracting then runs with nothing refused.
    func testUpdateAddsWhatTheSecondWorkloadLacked() throws {
        let setup = try sh("mkdir -p src out && echo alpha > src/a.txt && \(cordon) learn -o tar.tcl -- tar czf a.tgz src")
        XCTAssertEqual(setup.status, 0, setup.stderr)
        let before = try String(contentsOf: dir.appendingPathComponent("tar.tcl"), encoding: .utf8)
        let refused = try sh("\(cordon) run tar.tcl --report -- tar xzf a.tgz -C out")
        XCTAssertTrue(refused.stderr.contains("cordon report: tar["), "extracting needs more than creating: \(refused.stderr)")

        let update = try sh("rm -rf out && mkdir out && \(cordon) learn --update tar.tcl -- tar xzf a.tgz -C out")
        XCTAssertEqual(update.status, 0, update.stderr)
        XCTAssertTrue(update.stderr.contains("cordon learn: added rules for "), update.stderr)
        let after = try String(contentsOf: dir.appendingPathComponent("tar.tcl"), encoding: .utf8)
        XCTAssertTrue(after.contains("# Added by cordon learn --update: x86_64 calls of `tar xzf a.tgz -C out`"), after)
        XCTAssertGreaterThan(after.count, before.count)
        let clean = try sh("rm -rf out && mkdir out && \(cordon) run tar.tcl --report -- tar xzf a.tgz -C out && cat out/src/a.txt")
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertEqual(clean.stdout, "alpha\n")
        XCTAssertFalse(clean.stderr.contains("cordon report:"), clean.stderr)
        let again = try sh("rm -rf out && mkdir out && \(cordon) learn --update tar.tcl -o copy.tcl -- tar xzf a.tgz -C out")
        XCTAssertTrue(again.stderr.contains("the policy allowed all the command did; tar.tcl is unchanged"), again.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("copy.tcl").path))
    }

    func testDefaultActionAndMistakes() throws {
        let given = try sh("\(cordon) learn --default 'errno EACCES' -o p.tcl -- true")
        XCTAssertEqual(given.status, 0, given.stderr)
        let text = try String(contentsOf: dir.appendingPathComponent("p.tcl"), encoding: .utf8)
        XCTAssertTrue(text.contains("    return errno EACCES\n"), text)
        XCTAssertEqual(try runCordon(["test", dir.appendingPathComponent("p.tcl").path, "--kernel"]).status, 0)

        let injected = try sh("\(cordon) learn --default 'allow } x86_64 {' -- true")
        XCTAssertEqual(injected.status, 2)
        XCTAssertTrue(injected.stderr.contains("--default"), injected.stderr)
        let unknown = try sh("\(cordon) learn --default 'errno ENOTANERRNO' -- true")
        XCTAssertEqual(unknown.status, 2, unknown.stderr)
        XCTAssertEqual(try sh("\(cordon) learn -o p.tcl").status, 2, "no command")
        let directory = try sh("mkdir -p d && \(cordon) learn -o d -- true")
        XCTAssertEqual(directory.status, 2, directory.stderr)
        let missing = try sh("\(cordon) learn -o q.tcl -- ./no-such-program")
        XCTAssertEqual(missing.status, 127, missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("q.tcl").path), "nothing written")
        let status = try sh("\(cordon) learn -o s.tcl -- sh -c 'exit 5'")
        XCTAssertEqual(status.status, 5, "the command's status")
    }

    /// A program names itself (prctl PR_SET_NAME) with terminal escapes: the
    /// report shows them as notation, and the learned comment too.
    func testAProgramsOwnNameCannotReachTheTerminalRaw() throws {
        try FileManager.default.copyItem(at: TestEnvironment.packageRoot.appendingPathComponent("samples/nonet.tcl"),
                                         to: dir.appendingPathComponent("nonet.tcl"))
        let program = "import ctypes, socket\nctypes.CDLL(None).prctl(15, b'x\\x1b[2Jy', 0, 0, 0)\nsocket.socket()"
        try program.write(to: dir.appendingPathComponent("name.py"), atomically: true, encoding: .utf8)
        let python = "\"$(python3 -c 'import sys; print(sys.executable)')\""
        let audit = try sh("\(cordon) run nonet.tcl --audit -- \(python) name.py")
        XCTAssertEqual(audit.status, 0, audit.stderr)
        XCTAssertFalse(audit.stderr.contains("\u{1B}"), audit.stderr)
        XCTAssertTrue(audit.stderr.contains("x<U+001B>[2Jy["), audit.stderr)
        let learn = try sh("\(cordon) learn -o n.tcl -- \(python) name.py")
        XCTAssertEqual(learn.status, 0, learn.stderr)
        let text = try String(contentsOf: dir.appendingPathComponent("n.tcl"), encoding: .utf8)
        XCTAssertFalse(text.contains("\u{1B}"))
        XCTAssertEqual(try runCordon(["check", dir.appendingPathComponent("n.tcl").path]).status, 0)
    }
}
