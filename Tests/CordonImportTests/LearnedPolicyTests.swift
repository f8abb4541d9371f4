import CordonImport
import CordonLinux
import CordonPolicy
import CordonTestSupport
import Foundation
import XCTest

/// The draft `cordon learn` writes, from calls given here: it allows exactly
/// what was seen (checked by the interpreter on every call and on calls
/// that differ), is deterministic, keeps hostile program names in comments,
/// and its expect lines pass. `--update` splices rules into a policy's text.
final class LearnedPolicyTests: XCTestCase {
    private func nr(_ name: String, _ arch: Arch = .x86_64) -> UInt32 { SyscallTable.forArch(arch).number(of: name)! }
    private func value(_ name: String, _ arch: Arch = .x86_64) -> UInt64 { UInt64(bitPattern: ConstantTable.value(of: name, arch: arch)!) }

    private struct Seen {
        let arch: Arch
        let nr: UInt32
        let args: [UInt64]
    }

    private func calls() -> (LearnedCalls, [Seen]) {
        let stream = SOCK_STREAM_VALUE | value("SOCK_CLOEXEC")
        var seen: [Seen] = [
            Seen(arch: .x86_64, nr: nr("read"), args: [3, 0x7FFF_0000, 4096, 0, 0, 0]),
            Seen(arch: .x86_64, nr: nr("read"), args: [4, 0x7FFF_1000, 10, 0, 0, 0]),
            Seen(arch: .x86_64, nr: nr("socket"), args: [value("AF_UNIX"), stream, 0, 0, 0, 0]),
            Seen(arch: .x86_64, nr: nr("openat"), args: [UInt64(bitPattern: -100), 0x5000, 0, 0, 0, 0]),
            Seen(arch: .x86_64, nr: nr("openat"), args: [UInt64(bitPattern: -100), 0x5008, value("O_WRONLY") | value("O_CREAT") | value("O_CLOEXEC"), 0o644, 0, 0]),
            Seen(arch: .x86_64, nr: nr("mmap"), args: [0, 4096, value("PROT_READ") | value("PROT_EXEC"), 2, 3, 0]),
            Seen(arch: .x86_64, nr: nr("ioctl"), args: [1, value("TCGETS"), 0x7FFF_2000, 0, 0, 0]),
            Seen(arch: .i386, nr: nr("read", .i386), args: [0, 0x800, 1, 0, 0, 0]),
        ]
        seen.append(Seen(arch: .x86_64, nr: nr("exit_group"), args: [0, 0, 0, 0, 0, 0]))
        var learned = LearnedCalls()
        let programs = ["sh", "evil\n}\nx86_64 { return allow }", "tool"]
        for (i, call) in seen.enumerated() {
            learned.add(auditArch: call.arch.auditArch, nr: call.nr, args: call.args, program: programs[i % programs.count])
        }
        return (learned, seen)
    }

    private let SOCK_STREAM_VALUE: UInt64 = 1

    private func check(_ text: String, path: String = "learned.tcl") throws -> IRPolicy {
        let result = FrontEnd.check(SourceFile(path: path, text: text), read: { _ in nil })
        XCTAssertEqual(result.diagnostics.map(\.description), [], text)
        return try XCTUnwrap(result.policy, text)
    }

    func testTheDraftAllowsExactlyWhatWasSeen() throws {
        let (learned, seen) = calls()
        let text = LearnedPolicyWriter.write(learned, command: ["tool", "--flag", "it's"], defaultAction: .errno(1))
        XCTAssertEqual(text, LearnedPolicyWriter.write(learned, command: ["tool", "--flag", "it's"], defaultAction: .errno(1)), "deterministic")
        let policy = try check(text)
        for call in seen {
            XCTAssertEqual(Interpreter.decide(policy, SeccompData(arch: call.arch, nr: call.nr, args: call.args)).action, .allow, "\(call)")
        }
        // What was not seen is refused: another syscall, another socket
        // family, a writable executable mapping, another ioctl, an open
        // that truncates, x32, and an architecture without a block.
        let refused: [(Arch, UInt32, [UInt64])] = [
            (.x86_64, nr("write"), [1, 0, 1]),
            (.x86_64, nr("socket"), [value("AF_INET"), 1 | value("SOCK_CLOEXEC"), 0]),
            (.x86_64, nr("socket"), [value("AF_UNIX") | 0x1_0000_0000, 1 | value("SOCK_CLOEXEC"), 0]),  // read as AF_UNIX: the kernel reads an int
            (.x86_64, nr("mmap"), [0, 4096, value("PROT_READ") | value("PROT_WRITE") | value("PROT_EXEC"), 2, 3, 0]),
            (.x86_64, nr("ioctl"), [1, value("TIOCSTI"), 0]),
            (.x86_64, nr("openat"), [UInt64(bitPattern: -100), 0, value("O_WRONLY") | value("O_TRUNC")]),
            (.i386, nr("write", .i386), [1, 0, 1]),
        ]
        for (arch, number, args) in refused {
            let action = Interpreter.decide(policy, SeccompData(arch: arch, nr: number, args: args)).action
            if number == nr("socket"), args[0] > 0xFFFF_FFFF {
                XCTAssertEqual(action, .allow, "socket's family is compared at the int the kernel reads")
            } else {
                XCTAssertEqual(action, .errno(1), "\(arch) \(number) \(args)")
            }
        }
        XCTAssertEqual(Interpreter.decide(policy, SeccompData(arch: .aarch64, nr: 63)).action, .killProcess, "badarch kill_process")
        // The layout a reader sees.
        XCTAssertTrue(text.contains("#   tool --flag \"it's\"\n"), text)
        XCTAssertTrue(text.contains("\nbadarch kill_process\n"), text)
        XCTAssertTrue(text.contains("    # Reading and writing\n"), text)
        XCTAssertTrue(text.contains("$args(family) == AF_UNIX && $args(type) == (SOCK_STREAM|SOCK_CLOEXEC)"), text)
        XCTAssertTrue(text.contains("($args(flags) & (O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND)) == (O_WRONLY|O_CREAT)"), text)
        XCTAssertTrue(text.contains("$args(prot) == (PROT_READ|PROT_EXEC)"), text)
        XCTAssertTrue(text.contains("$args(cmd) == TCGETS"), text)
        XCTAssertTrue(text.contains("\ni386 {\n"), text)
        XCTAssertTrue(text.contains("    return errno EPERM\n"), text)
        XCTAssertTrue(text.contains("expect x86_64 {socket AF_UNIX 0x80001} allow\n"), text)
        XCTAssertTrue(text.contains("expect x86_64 ptrace {errno EPERM}\n"), text)
        // The hostile program name stays inside comments.
        XCTAssertFalse(text.contains("\n}\nx86_64 { return allow }"), text)
        // Every expect line passes.
        let report = PolicyTests.run(policy)
        XCTAssertEqual(report.failures.count, 0, "\(report.failures)")
        XCTAssertEqual(report.passed, text.components(separatedBy: "\nexpect ").count - 1)
    }

    func testTheDefaultActionIsTheOneGiven() throws {
        let (learned, _) = calls()
        let policy = try check(LearnedPolicyWriter.write(learned, command: ["x"], defaultAction: .killProcess))
        XCTAssertEqual(Interpreter.decide(policy, SeccompData(arch: .x86_64, nr: nr("ptrace"))).action, .killProcess)
        XCTAssertEqual(PolicyTests.run(policy).failures.count, 0)
    }

    /// Creat seen: open's flags are not limited (creat writes anyway, and the
    /// checker would warn that the limit is no limit).
    func testCreatLiftsTheOpenFlagsRule() throws {
        var learned = LearnedCalls()
        learned.add(auditArch: Arch.x86_64.auditArch, nr: nr("openat"), args: [0, 0, 0], program: "p")
        learned.add(auditArch: Arch.x86_64.auditArch, nr: nr("creat"), args: [0, 0o644], program: "p")
        let text = LearnedPolicyWriter.write(learned, command: ["p"], defaultAction: .errno(1))
        XCTAssertTrue(text.contains("# openat: any flags, since the run wrote files with creat."), text)
        _ = try check(text)
    }

    func testUpdateAddsRulesFirstInTheBlockAndANewBlockWhereThereWasNone() throws {
        let original = """
            # mine
            x86_64 {
                if {$nr eq socket} { return errno EACCES }
                return errno EPERM
            }
            badarch errno ENOSYS
            expect x86_64 read {errno EPERM}

            """
        let before = try check(original, path: "p.tcl")
        var lacking = LearnedCalls()
        lacking.add(auditArch: Arch.x86_64.auditArch, nr: nr("read"), args: [0, 0, 0], program: "p")
        lacking.add(auditArch: Arch.x86_64.auditArch, nr: nr("socket"), args: [value("AF_UNIX"), 1, 0], program: "p")
        lacking.add(auditArch: Arch.i386.auditArch, nr: nr("read", .i386), args: [0, 0, 0], program: "p")
        let text = try PolicyUpdate.apply(lacking, to: original, path: "p.tcl", policy: before, command: ["p", "arg"])
        XCTAssertTrue(text.hasPrefix("# mine\nx86_64 {\n    # Added by cordon learn --update: x86_64 calls of `p arg` this policy did not allow.\n"), text)
        XCTAssertTrue(text.contains("    if {$nr eq socket} { return errno EACCES }\n    return errno EPERM\n}\n"), "the policy's own text is kept")
        let after = try check(text, path: "p.tcl")
        XCTAssertEqual(Interpreter.decide(after, SeccompData(arch: .x86_64, nr: nr("read"))).action, .allow)
        XCTAssertEqual(Interpreter.decide(after, SeccompData(arch: .x86_64, nr: nr("socket"), args: [value("AF_UNIX"), 1, 0])).action, .allow)
        XCTAssertEqual(Interpreter.decide(after, SeccompData(arch: .x86_64, nr: nr("socket"), args: [value("AF_INET"), 1, 0])).action, .errno(13))
        XCTAssertEqual(Interpreter.decide(after, SeccompData(arch: .i386, nr: nr("read", .i386))).action, .allow)
        XCTAssertEqual(Interpreter.decide(after, SeccompData(arch: .i386, nr: nr("write", .i386))).action, .errno(38),
                       "the new i386 block refuses the rest as badarch did")
        XCTAssertEqual(Interpreter.decide(after, SeccompData(arch: .aarch64, nr: 1)).action, .errno(38))
        // The old expect line now fails: the run showed that read is needed.
        XCTAssertEqual(PolicyTests.run(after).failures.count, 1)
    }

    func testUpdateOfASharedBlockAndOfABlockInASourcedFile() throws {
        let shared = "arch {x86_64 x32} {\n    return errno EPERM\n}\n"
        var lacking = LearnedCalls()
        lacking.add(auditArch: Arch.x86_64.auditArch, nr: nr("getpid"), args: [], program: "p")
        let text = try PolicyUpdate.apply(lacking, to: shared, path: "s.tcl", policy: try check(shared, path: "s.tcl"), command: ["p"])
        XCTAssertTrue(text.hasPrefix("arch {x86_64 x32} {\n    # Added by cordon learn --update"), text)
        XCTAssertTrue(text.contains("# This block is shared"), text)
        _ = try check(text, path: "s.tcl")

        let root = "source inner.tcl\n"
        let inner = "x86_64 {\n    return errno EPERM\n}\n"
        let result = FrontEnd.check(SourceFile(path: "/p/root.tcl", text: root), read: { $0.hasSuffix("inner.tcl") ? inner : nil })
        let policy = try XCTUnwrap(result.policy, "\(result.diagnostics)")
        XCTAssertThrowsError(try PolicyUpdate.apply(lacking, to: root, path: "/p/root.tcl", policy: policy, command: ["p"])) { error in
            XCTAssertTrue("\(error)".contains("a sourced file"), "\(error)")
        }
    }
}
