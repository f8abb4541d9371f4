import Foundation
import CordonLinux
import CordonTestSupport
import XCTest

/// The committed tables are what the scripts make from this machine's headers.
final class GeneratedTablesTests: XCTestCase {
    func testSyscallTablesMatchTheKernelHeaders() throws {
        let result = try runShell("scripts/gen-syscalls.sh --check", currentDirectory: TestEnvironment.packageRoot)
        XCTAssertEqual(result.status, 0, "gen-syscalls.sh --check failed:\n\(result.stdout)\n\(result.stderr)")
    }

    /// `cordon --version` names the Linux version of the tables: the version
    /// the generator reads, as the generated file's header says.
    func testTheTablesLinuxVersionIsTheGenerators() throws {
        let root = TestEnvironment.packageRoot
        let generated = try String(contentsOf: root.appendingPathComponent("Sources/CordonLinux/Generated/SyscallTables.swift"), encoding: .utf8)
        XCTAssertTrue(generated.contains("(PyPI,\n// version \(SyscallTable.linuxVersion),"), String(generated.prefix(300)))
        let script = try String(contentsOf: root.appendingPathComponent("scripts/gen-syscalls.sh"), encoding: .utf8)
        XCTAssertTrue(script.contains("pypi_package system-calls \(SyscallTable.linuxVersion))"))
    }

    /// The parameter table is what the script makes from Kafel's tables and the
    /// kernel's declarations; the script fails on a syscall without parameters.
    func testSyscallParameterTablesAreCurrent() throws {
        let result = try runShell("scripts/gen-syscall-args.sh --check", currentDirectory: TestEnvironment.packageRoot)
        XCTAssertEqual(result.status, 0, "gen-syscall-args.sh --check failed:\n\(result.stdout)\n\(result.stderr)")
    }

    /// A missing fact stops the generator: a copy of the data without
    /// socket's declaration source (Kafel's x86_64 table minus socket) fails.
    func testAMissingParameterFactIsAnError() throws {
        let root = TestEnvironment.packageRoot
        let dir = try TestEnvironment.temporaryDirectory("args-data")
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["kafel-i386.tsv", "kernel-syscalls.txt"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent("scripts/data/\(name)"), to: dir.appendingPathComponent(name))
        }
        let kafel = try String(contentsOf: root.appendingPathComponent("scripts/data/kafel-x86_64.tsv"), encoding: .utf8)
        try Data(kafel.split(separator: "\n").filter { !$0.hasPrefix("socket\t") }.joined(separator: "\n").utf8)
            .write(to: dir.appendingPathComponent("kafel-x86_64.tsv"))
        let result = try runShell("python3 scripts/python/syscall_args.py Sources/CordonLinux/Generated/SyscallTables.swift '\(dir.path)'",
                                  currentDirectory: root)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("x86_64 socket (41): no parameters known"), result.stderr)
    }

    func testConstantTablesMatchTheKernelHeaders() throws {
        let result = try runShell("scripts/gen-constants.sh --check", currentDirectory: TestEnvironment.packageRoot)
        XCTAssertEqual(result.status, 0, "gen-constants.sh --check failed:\n\(result.stdout)\n\(result.stderr)")
    }
}

/// Known syscall numbers, checked against the kernel's own tables.
final class SyscallTableTests: XCTestCase {
    func testKnownNumbers() {
        let cases: [(Arch, String, UInt32)] = [
            (.x86_64, "read", 0), (.x86_64, "socket", 41), (.x86_64, "execve", 59), (.x86_64, "openat2", 437),
            (.i386, "read", 3), (.i386, "socketcall", 102), (.i386, "socket", 359), (.i386, "execve", 11),
            (.x32, "read", 0x4000_0000), (.x32, "socket", 0x4000_0029), (.x32, "rt_sigaction", 0x4000_0200),
            (.aarch64, "openat", 56), (.aarch64, "socket", 198),
            (.arm, "socket", 281), (.arm, "cacheflush", 0xF0002), (.x86_64, "mseal", 462), (.x86_64, "uselib", 134),
            (.riscv64, "riscv_flush_icache", 259), (.riscv64, "read", 63),
        ]
        for (arch, name, number) in cases {
            XCTAssertEqual(SyscallTable.forArch(arch).number(of: name), number, "\(arch) \(name)")
            XCTAssertEqual(SyscallTable.forArch(arch).name(of: number), name, "\(arch) \(number)")
        }
    }

    func testNamesMissingOnAnArchitecture() {
        XCTAssertNil(SyscallTable.forArch(.x86_64).number(of: "socketcall"))
        XCTAssertNil(SyscallTable.forArch(.aarch64).number(of: "open"))
        XCTAssertNil(SyscallTable.forArch(.i386).number(of: "no_such_call"))
    }

    func testEveryTableIsSortedAndNonEmpty() {
        for arch in Arch.allCases {
            let numbers = SyscallTable.forArch(arch).entries.map(\.number)
            XCTAssertGreaterThan(numbers.count, 250, "\(arch)")
            XCTAssertEqual(numbers, numbers.sorted(), "\(arch)")
            if arch == .x32 {
                XCTAssertTrue(numbers.allSatisfy { $0 & Arch.x32SyscallBit != 0 })
            }
        }
    }
}

final class ArchTests: XCTestCase {
    func testAuditArchValues() {
        XCTAssertEqual(Arch.x86_64.auditArch, 0xC000_003E)
        XCTAssertEqual(Arch.x32.auditArch, 0xC000_003E)
        XCTAssertEqual(Arch.i386.auditArch, 0x4000_0003)
        XCTAssertEqual(Arch.aarch64.auditArch, 0xC000_00B7)
        XCTAssertEqual(Arch.arm.auditArch, 0x4000_0028)
        XCTAssertEqual(Arch.riscv64.auditArch, 0xC000_00F3)
        XCTAssertEqual(ConstantTable.value(of: "AUDIT_ARCH_X86_64").map(UInt32.init), Arch.x86_64.auditArch)
        XCTAssertEqual(ConstantTable.value(of: "AUDIT_ARCH_I386").map(UInt32.init), Arch.i386.auditArch)
    }

    func testWidths() {
        XCTAssertEqual(Arch.i386.argumentBits, 32)
        XCTAssertEqual(Arch.arm.argumentBits, 32)
        XCTAssertEqual(Arch.x32.argumentBits, 64)
        XCTAssertEqual(Arch.x32.pointerBits, 32)
        XCTAssertEqual(Arch.x86_64.argumentBits, 64)
    }

    func testX32RoutingKeepsMinusOneOnX86_64() {
        XCTAssertEqual(Arch.of(auditArch: 0xC000_003E, nr: 0), .x86_64)
        XCTAssertEqual(Arch.of(auditArch: 0xC000_003E, nr: 0x4000_0000), .x32)
        XCTAssertEqual(Arch.of(auditArch: 0xC000_003E, nr: 0xFFFF_FFFF), .x86_64)
        XCTAssertEqual(Arch.of(auditArch: 0x4000_0003, nr: 0x4000_0000), .i386)
        XCTAssertNil(Arch.of(auditArch: 0x1234, nr: 0))
    }
}

final class ConstantTableTests: XCTestCase {
    func testKnownValues() {
        let cases: [(String, Int64)] = [
            ("EINVAL", 22), ("EPERM", 1), ("ENOSYS", 38), ("AF_UNIX", 1), ("PF_LOCAL", 1), ("AF_INET", 2),
            ("AF_INET6", 10), ("SOCK_STREAM", 1), ("SOCK_CLOEXEC", 0o2000000), ("IPPROTO_TCP", 6),
            ("O_WRONLY", 1), ("O_RDWR", 2), ("O_ACCMODE", 3), ("O_CREAT", 0o100), ("O_LARGEFILE", 0o100000),
            ("AT_FDCWD", -100), ("F_SETFL", 4), ("CLONE_NEWUSER", 0x1000_0000), ("CLONE_NEWNS", 0x20000),
            ("CLONE_INTO_CGROUP", 0x2_0000_0000), ("PROT_EXEC", 4), ("MAP_SHARED", 1), ("MADV_DONTNEED", 4),
            ("PR_SET_NO_NEW_PRIVS", 38), ("TIOCSTI", 0x5412), ("TIOCLINUX", 0x541C), ("FIONREAD", 0x541B),
            ("SECCOMP_RET_ALLOW", 0x7FFF_0000), ("SECCOMP_SET_MODE_FILTER", 1), ("SIGKILL", 9), ("SIGSYS", 31),
            ("SYS_SOCKET", 1), ("SYS_CONNECT", 3), ("PTRACE_TRACEME", 0), ("RLIMIT_NOFILE", 7),
            // The groups a real policy needed (issue 9): socket options, memfd, getrandom,
            // futex, keyctl, the bpf(2) commands (an enum), io_uring flags and opcodes (an enum).
            ("IP_TTL", 2), ("IPV6_V6ONLY", 26), ("SO_REUSEADDR", 2), ("SO_PEERCRED", 17), ("SOL_SOCKET", 1),
            ("SOL_TCP", 6), ("TCP_NODELAY", 1), ("MSG_DONTWAIT", 0x40), ("MFD_CLOEXEC", 1), ("MFD_ALLOW_SEALING", 2),
            ("GRND_NONBLOCK", 1), ("GRND_RANDOM", 2), ("FUTEX_WAIT", 0), ("FUTEX_PRIVATE_FLAG", 128), ("SIGSYS", 31),
            ("KEYCTL_JOIN_SESSION_KEYRING", 1), ("BPF_MAP_CREATE", 0), ("BPF_PROG_LOAD", 5),
            ("IORING_SETUP_SQPOLL", 2), ("IORING_OP_SOCKET", 45),
        ]
        for (name, value) in cases {
            XCTAssertEqual(ConstantTable.value(of: name), value, name)
        }
    }

    func testPerArchitectureOverrides() {
        XCTAssertEqual(ConstantTable.value(of: "O_DIRECTORY", arch: .x86_64), 0o200000)
        XCTAssertEqual(ConstantTable.value(of: "O_DIRECTORY", arch: .i386), 0o200000)
        XCTAssertEqual(ConstantTable.value(of: "O_DIRECTORY", arch: .arm), 0o40000)
        XCTAssertEqual(ConstantTable.value(of: "O_DIRECTORY", arch: .aarch64), 0o40000)
        XCTAssertEqual(ConstantTable.value(of: "O_DIRECTORY", arch: .riscv64), 0o200000)
        XCTAssertEqual(ConstantTable.value(of: "EINVAL", arch: .arm), 22)
    }

    func testErrnoNames() {
        XCTAssertEqual(ConstantTable.errno(named: "EACCES"), 13)
        XCTAssertEqual(ConstantTable.errnoName(of: 22), "EINVAL")
        XCTAssertNil(ConstantTable.errno(named: "AF_UNIX"))
        XCTAssertGreaterThan(ConstantTable.errnoNames.count, 120)
    }

    func testPointersAndFunctionsAreNotConstants() {
        XCTAssertNil(ConstantTable.value(of: "SIG_DFL"))
        XCTAssertNil(ConstantTable.value(of: "MAP_FAILED"))
        XCTAssertNil(ConstantTable.value(of: "SIGRTMIN"))
    }
}

final class ValueSyntaxTests: XCTestCase {
    func testIntegers() {
        XCTAssertEqual(ValueSyntax.integer("0"), 0)
        XCTAssertEqual(ValueSyntax.integer("42"), 42)
        XCTAssertEqual(ValueSyntax.integer("0x1F"), 31)
        XCTAssertEqual(ValueSyntax.integer("0o17"), 15)
        XCTAssertEqual(ValueSyntax.integer("0b101"), 5)
        XCTAssertEqual(ValueSyntax.integer("-1"), UInt64.max)
        XCTAssertEqual(ValueSyntax.integer("18446744073709551615"), UInt64.max)
        XCTAssertEqual(ValueSyntax.integer("-9223372036854775808"), 1 << 63)
        XCTAssertNil(ValueSyntax.integer("010"), "a decimal with a leading zero is ambiguous")
        XCTAssertNil(ValueSyntax.integer("18446744073709551616"))
        XCTAssertNil(ValueSyntax.integer("0x"))
        XCTAssertNil(ValueSyntax.integer("-"))
        XCTAssertNil(ValueSyntax.integer("twelve"))
    }

    func testArgumentsAreCutOn32BitABIs() {
        XCTAssertEqual(ValueSyntax.argument("-1", arch: .x86_64), UInt64.max)
        XCTAssertEqual(ValueSyntax.argument("-1", arch: .i386), 0xFFFF_FFFF)
        XCTAssertEqual(ValueSyntax.argument("-1", arch: .x32), UInt64.max)
        XCTAssertEqual(ValueSyntax.argument("AF_INET", arch: .x86_64), 2)
        XCTAssertEqual(ValueSyntax.argument("AT_FDCWD", arch: .i386), 0xFFFF_FF9C)
        XCTAssertNil(ValueSyntax.argument("AF_NOPE", arch: .x86_64))
    }

    func testSyscalls() {
        XCTAssertEqual(ValueSyntax.syscall("socket", arch: .x86_64), 41)
        XCTAssertEqual(ValueSyntax.syscall("read", arch: .x32), 0x4000_0000)
        XCTAssertEqual(ValueSyntax.syscall("41", arch: .x86_64), 41)
        XCTAssertEqual(ValueSyntax.syscall("-1", arch: .x86_64), 0xFFFF_FFFF)
        XCTAssertNil(ValueSyntax.syscall("socketcall", arch: .x86_64))
        XCTAssertNil(ValueSyntax.syscall("0x100000000", arch: .x86_64))
    }
}

final class SeccompReturnTests: XCTestCase {
    func testDecoding() {
        XCTAssertEqual(SeccompReturn(rawValue: 0x7FFF_0000), .allow)
        XCTAssertEqual(SeccompReturn(rawValue: 0x0005_0016), .errno(22))
        XCTAssertEqual(SeccompReturn(rawValue: 0x8000_0000), .killProcess)
        XCTAssertEqual(SeccompReturn(rawValue: 0), .killThread)
        XCTAssertEqual(SeccompReturn(rawValue: 0x0003_0005), .trap(5))
        XCTAssertEqual(SeccompReturn(rawValue: 0x7FF0_0007), .trace(7))
        XCTAssertEqual(SeccompReturn(rawValue: 0x7FFC_0000), .log)
        XCTAssertEqual(SeccompReturn(rawValue: 0x7FC0_0000), .userNotif)
        XCTAssertEqual(SeccompReturn(rawValue: 0x0001_0000), .unknown(0x0001_0000))
    }

    func testTextForms() {
        XCTAssertEqual(SeccompReturn.errno(22).description, "errno 22")
        XCTAssertEqual(SeccompReturn.trap(0).description, "trap 0")
        XCTAssertEqual(SeccompReturn.killProcess.description, "kill_process")
        XCTAssertEqual(SeccompReturn.userNotif.description, "notify")
        XCTAssertEqual(SeccompReturn.errno(22).listingText, "ERRNO(22)")
        XCTAssertEqual(SeccompReturn.allow.macroName, "SECCOMP_RET_ALLOW")
        for value: UInt32 in [0x7FFF_0000, 0x0005_0016, 0x8000_0000, 0, 0x0003_FFFF, 0x7FF0_0001, 0x7FFC_0000, 0x7FC0_0000] {
            XCTAssertEqual(SeccompReturn(rawValue: value).rawValue, value)
        }
    }
}
