import CordonTestSupport
import Foundation
import XCTest

/// `cordon diff` and `cordon explain` through the binary, on samples, on
/// OpenSSH's hand-written filter (Tests/Fixtures/openssh, with its licence)
/// and on a policy against its committed version.
final class InspectTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try TestEnvironment.temporaryDirectory("cordon-inspect")
        for name in ["nonet.tcl", "dropnet.tcl", "docker-default.tcl"] {
            try FileManager.default.copyItem(at: TestEnvironment.packageRoot.appendingPathComponent("samples/\(name)"),
                                             to: dir.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/openssh/preauth-x86_64.bpf"),
                                         to: dir.appendingPathComponent("preauth.bpf"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private var cordon: String { TestEnvironment.cordon.path }

    private func sh(_ command: String) throws -> ProcessResult {
        try runShell("cd '\(dir.path)' || exit 99\n" + command)
    }

    func testDiffOfTwoSamples() throws {
        let result = try sh("\(cordon) diff nonet.tcl dropnet.tcl 2>/dev/null")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.hasPrefix("# ARCH  SYSCALLS  CONDITION  nonet.tcl -> dropnet.tcl\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\nx86_64  io_uring_setup  always  errno 38 (ENOSYS) -> allow\n"), result.stdout)
        // nonet reads socket's family as the kernel does (an int); dropnet compares 64 bits.
        XCTAssertTrue(result.stdout.contains("\nx86_64  socket  args[0] low == 1 && args[0] high != 0  allow -> errno 22 (EINVAL)\n"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("9 differences (16 classes compared)\n"), result.stdout)
    }

    func testAFilterEqualsItselfAndItsCompiledForms() throws {
        let result = try sh("""
            \(cordon) compile nonet.tcl -O0 --format raw -o o0.bpf && \(cordon) compile nonet.tcl --format raw -o o2.bpf
            \(cordon) diff o0.bpf o2.bpf && \(cordon) diff nonet.tcl o0.bpf && \(cordon) diff preauth.bpf preauth.bpf
            """)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("o0.bpf and o2.bpf decide alike on every input"), result.stdout)
    }

    /// The CI gate: a change that newly allows ptrace on x86_64 fails it.
    func testDiffAgainstTheCommittedPolicy() throws {
        let result = try sh("""
            export GIT_CONFIG_NOSYSTEM=1 HOME="$PWD" GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
            git init -q . && git add nonet.tcl && git commit -q -m policy
            \(cordon) diff --from-git HEAD nonet.tcl; echo "same: $?"
            sed -i 's/^arch {x86_64 x32} {$/arch {x86_64 x32} {\\n    if {$nr eq "ptrace"} { return allow }/' nonet.tcl
            sed -i 's/^i386 {$/i386 {\\n    if {$nr eq "ptrace"} { return errno EPERM }/' nonet.tcl
            \(cordon) diff --from-git HEAD nonet.tcl; echo "changed: $?"
            """)
        XCTAssertTrue(result.stdout.contains("decide alike on every input"), result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("same: 0\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\ni386  ptrace  always  allow -> errno 1 (EPERM)\n"), result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("changed: 1\n"), result.stdout)
        let missing = try sh("\(cordon) diff --from-git no-such-rev nonet.tcl")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("git show no-such-rev:./nonet.tcl"), missing.stderr)
    }

    /// `--from-git` reads the files a policy sources from the same revision:
    /// a change only in a sourced file is a difference, and a sourced file
    /// not yet committed is an error naming it.
    func testDiffFromGitReadsSourcedFilesAtTheRevision() throws {
        let result = try sh("""
            export GIT_CONFIG_NOSYSTEM=1 HOME="$PWD" GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
            mkdir -p policy && printf 'set NET {socket connect}\\n' > policy/net.tcl
            printf 'source net.tcl\\nx86_64 {\\n    if {$nr in $NET} { return errno EPERM }\\n    return allow\\n}\\n' > policy/app.tcl
            git init -q . && git add policy && git commit -q -m policy
            \(cordon) diff --from-git HEAD policy/app.tcl; echo "same: $?"
            printf 'set NET {socket}\\n' > policy/net.tcl
            \(cordon) diff --from-git HEAD policy/app.tcl; echo "changed: $?"
            printf 'source extra.tcl\\nx86_64 {\\n    return allow\\n}\\n' > policy/new.tcl && git add policy/new.tcl && git commit -q -m new
            touch policy/extra.tcl
            \(cordon) diff --from-git HEAD policy/new.tcl; echo "uncommitted: $?"
            """)
        XCTAssertTrue(result.stdout.contains("same: 0\n"), result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("\nx86_64  connect  always  errno 1 (EPERM) -> allow\n"), result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("changed: 1\n"), result.stdout)
        XCTAssertTrue(result.stdout.contains("uncommitted: 1\n"), result.stdout)
        XCTAssertTrue(result.stderr.contains("policy/new.tcl@HEAD:1:8: error: cannot read 'policy/extra.tcl': git show HEAD:./policy/extra.tcl"), result.stderr)
    }

    func testExplain() throws {
        let docker = try sh("\(cordon) explain docker-default.tcl 2>/dev/null")
        XCTAssertEqual(docker.status, 0, docker.stderr)
        XCTAssertTrue(docker.stdout.hasPrefix("x86_64\n  errno 1 (EPERM): "), docker.stdout)
        // The hole issue 9 measured, seen from the program alone.
        XCTAssertTrue(docker.stdout.contains("\n    socket  args[0] high != 0  allow\n"), docker.stdout)
        let ssh = try sh("\(cordon) explain preauth.bpf")
        XCTAssertEqual(ssh.status, 0, ssh.stderr)
        XCTAssertTrue(ssh.stdout.contains("  errno 13 (EACCES): open stat fstat lstat shmget shmat shmdt openat newfstatat statx\n"), ssh.stdout)
        XCTAssertTrue(ssh.stdout.contains("    mprotect  args[2] low <= 3 && args[2] high == 0  allow\n"), ssh.stdout)
    }

    /// OpenSSH's filter lifted into a policy: the header says diff proved it
    /// equal, cordon diff agrees, and its expect lines pass in the kernel.
    func testDecompileOpenSSHsFilter() throws {
        let result = try sh("\(cordon) decompile preauth.bpf -o ssh.tcl && \(cordon) diff ssh.tcl preauth.bpf 2>/dev/null && \(cordon) test ssh.tcl --kernel 2>/dev/null")
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("decide alike on every input"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix(" passed, 0 failed\n"), result.stdout)
        let text = try String(contentsOf: dir.appendingPathComponent("ssh.tcl"), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# Decompiled by cordon decompile from preauth.bpf: 232 instructions, "), text)
        XCTAssertTrue(text.contains("# cordon diff proved it equal to the program on every input the kernel can pass"), text)
        XCTAssertEqual(try sh("\(cordon) decompile preauth.bpf -o preauth.bpf").status, 2, "the output may not be the input")
    }

    /// Each new command says how it is used, and what it does, under --help.
    func testHelpOfTheNewCommands() throws {
        for name in ["run", "learn", "dump", "diff", "explain", "decompile"] {
            let help = try runCordon([name, "--help"])
            XCTAssertEqual(help.status, 0, name)
            XCTAssertTrue(help.stdout.hasPrefix("usage: cordon \(name) "), help.stdout)
        }
        XCTAssertTrue(try runCordon(["learn", "--help"]).stdout.contains("it does not enforce"))
        XCTAssertTrue(try runCordon(["run", "--help"]).stdout.contains("audit enforces nothing"))
        // `cordon help COMMAND` is the same text; an unknown one is a usage error.
        XCTAssertEqual(try runCordon(["help", "diff"]).stdout, try runCordon(["diff", "--help"]).stdout)
        let unknown = try runCordon(["help", "frob"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.hasPrefix("cordon help: unknown command 'frob'"), unknown.stderr)
        let version = try runCordon(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("cordon 0."), version.stdout)
        XCTAssertTrue(version.stdout.contains("syscall tables: Linux 7.2 (9 architectures)"), version.stdout)
        // The commit the binary was built from (the CommitStamp build plugin).
        let head = try runShell("git -C \(TestEnvironment.packageRoot.path) rev-parse --short=12 HEAD").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let commit = try XCTUnwrap(version.stdout.split(separator: "\n").first { $0.hasPrefix("commit: ") }, version.stdout)
        XCTAssertNotNil(commit.wholeMatch(of: /commit: [0-9a-f]{12}(-dirty)?/), String(commit))
        if !head.isEmpty { XCTAssertTrue(commit.hasPrefix("commit: \(head)"), "\(commit) is not HEAD \(head): a stale stamp") }
    }

    /// A program outside the analysis's subset is refused at its instruction.
    func testAnInstructionTheAnalysisCannotFollowIsNamed() throws {
        try "0000: 0x20 0x00 0x00 0x00000010\n0001: 0x04 0x00 0x00 0x00000001\n0002: 0x15 0x00 0x01 0x00000000\n0003: 0x06 0x00 0x00 0x7fff0000\n0004: 0x06 0x00 0x00 0x80000000\n".write(
            to: dir.appendingPathComponent("add.lst"), atomically: true, encoding: .utf8)
        let result = try sh("\(cordon) asm add.lst -o add.bpf && \(cordon) explain add.bpf")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("instruction 1: arithmetic other than AND on a loaded word"), result.stderr)
    }
}
