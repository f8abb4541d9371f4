import CordonLinux
import CordonPolicy
import XCTest

/// Every warning of the spec's section 6, with its place; warnings do not
/// stop a policy from compiling.
final class WarningTests: XCTestCase {
    private func warnings(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        let result = check(text)
        XCTAssertNotNil(result.policy, "warnings must not stop the policy", file: file, line: line)
        return result.diagnostics.map(\.description)
    }

    func testUnreachableCommands() {
        XCTAssertEqual(warnings("""
            x86_64 {
                return allow
                if {$nr == 1} { return log }
                return errno 1
            }
            i386 {
                if {$nr == 1} { return log } else { return errno 1 }
                return allow
            }
            """), [
            "p.tcl:3:5: warning: unreachable command: every path before it returns",
            "p.tcl:8:5: warning: unreachable command: every path before it returns",
        ])
    }

    func testTestsThatCanNeverBeTrueOrAreAlwaysTrue() {
        XCTAssertEqual(warnings("""
            x86_64 {
                if {$args(1) & O_ACCMODE == O_WRONLY} { return errno 1 }
                if {$args32(0) <= 0xffffffff} { return errno 2 }
                if {$args(0) < 0} { return errno 3 }
                if {($args(2) & 0xff) == 0x100} { return errno 4 }
                if {1 + 1 == 2} { return errno 5 }
                if {$nr == 1 || 0} { return errno 6 }
                return allow
            }
            """), [
            "p.tcl:2:9: warning: this test can never be true",
            "p.tcl:2:18: warning: '&' binds looser than '==', as in Tcl and C: this reads $args(1) & (O_ACCMODE == O_WRONLY); write ($args(1) & O_ACCMODE) == O_WRONLY if that is what you mean",
            "p.tcl:3:9: warning: this test is always true",
            "p.tcl:4:9: warning: this test can never be true",
            "p.tcl:5:10: warning: this test can never be true",
            "p.tcl:6:9: warning: this test is always true",
        ])
    }

    func testArchitectureDependentTruthIsNamedInSharedBlocks() {
        XCTAssertEqual(warnings("""
            arch {x86_64 i386} {
                if {$args(0) <= 0xffffffff} { return errno 2 }
                if {$arch eq "i386"} { return errno 3 }
                return allow
            }
            """).filter { !$0.contains("compares all 64 bits") }, ["p.tcl:2:9: warning: this test is always true on i386"])
    }

    /// §5a: a 64-bit test of an int-sized parameter, where the high half
    /// changes the decision, is named with a value, what happens, and the fix.
    func testTheWidthWarning() {
        let found = warnings("""
            x86_64 {
                if {$nr eq socket && $args(0) != AF_VSOCK} { return allow }
                if {$nr eq personality && $args(0) == 8} { return allow }
                if {$nr eq mmap && $args(2) == PROT_READ} { return allow }
                if {$nr eq openat && ($args(2) & 0xff) == 1} { return allow }
                if {$nr eq socketpair && $args(family) == 1} { return allow }
                return errno EPERM
            }
            i386 { if {$nr eq socket && $args(0) != AF_VSOCK} { return allow }; return errno EPERM }
            """)
        XCTAssertEqual(found.count, 2, "\(found)")
        XCTAssertEqual(found.first, "p.tcl:2:26: warning: $args(0) compares all 64 bits of socket's family, which the kernel reads as a 4-byte int on x86_64: "
            + "socket(family=0x100000028) is let through (allow at line 2), although the kernel reads family as 0x28, which this policy refuses "
            + "(errno 1 (EPERM) at line 7); compare $args(family) or $args32(0) instead")
        XCTAssertTrue(found.last?.hasPrefix("p.tcl:3:31: warning: $args(0) compares all 64 bits of personality's personality") == true)
        XCTAssertTrue(found.last?.contains("personality(personality=0x100000008) is refused (errno 1 (EPERM) at line 7), although the kernel reads personality as 0x8, which this policy allows") == true)
        // mmap's prot is declared unsigned long on x86_64 (8 bytes): no warning. A mask on
        // the low word, a named parameter, a 32-bit ABI: no warning either.
    }

    /// A shared block warns for each 64-bit architecture where the hole is.
    func testTheWidthWarningInASharedBlock() {
        let found = warnings("""
            arch {x86_64 aarch64 i386 s390x} {
                if {$nr eq socket && $args(0) == AF_INET} { return allow }
                return errno EPERM
            }
            """)
        // Once for each 64-bit architecture of the block, none for i386.
        XCTAssertEqual(found.count, 3, "\(found)")
        for (warning, arch) in zip(found, ["x86_64", "aarch64", "s390x"]) {
            XCTAssertTrue(warning.contains("a 4-byte int on \(arch): socket(family=0x100000002) is refused"), warning)
        }
    }

    func testSocketcallLeftOpenOnI386() {
        XCTAssertEqual(warnings("""
            i386 {
                if {$nr eq "connect"} { return errno EPERM }
                if {$nr in {socket bind io_uring_setup}} { return errno EPERM }
                return allow
            }
            """), ["p.tcl:2:16: warning: this i386 block filters connect but leaves socketcall open: i386 programs reach connect through socketcall(2), whose arguments seccomp cannot see"])
        XCTAssertEqual(warnings("""
            i386 {
                if {$nr eq "shmget"} { return errno EPERM }
                return allow
            }
            """), ["p.tcl:2:16: warning: this i386 block filters shmget but leaves ipc open: i386 programs reach shmget through ipc(2), whose arguments seccomp cannot see"])
        XCTAssertEqual(warnings("""
            i386 {
                if {$nr eq "socketcall"} { return errno ENOSYS }
                if {$nr eq "connect"} { return errno EPERM }
                if {$nr eq "io_uring_setup"} { return errno ENOSYS }
                return allow
            }
            """), [])
    }

    func testSiblingsLeftOpen() {
        XCTAssertEqual(warnings("""
            x86_64 {
                if {$nr eq "open" && ($args(1) & O_ACCMODE) != O_RDONLY} { return errno EACCES }
                if {$nr eq "execve"} { return errno EPERM }
                if {$nr eq "openat2"} { return errno ENOSYS }
                return allow
            }
            """), [
            "p.tcl:2:16: warning: x86_64 restricts open but allows openat whatever its arguments: they all open files (glibc's open() calls openat)",
            "p.tcl:2:16: warning: x86_64 restricts open but allows creat whatever its arguments: they all open files (glibc's open() calls openat)",
            "p.tcl:2:16: warning: x86_64 restricts open but allows io_uring_setup whatever its arguments: io_uring opens files, creates sockets and connects without a syscall seccomp sees: refuse io_uring_setup",
            "p.tcl:3:16: warning: x86_64 restricts execve but allows execveat whatever its arguments: both run programs",
        ])
        // An allowlist that never names open is not warned about.
        XCTAssertEqual(warnings("x86_64 { if {$nr in {openat read}} { return allow }; return errno EPERM }"), [])
    }

    /// Every family of the sibling table: restricting one member while a
    /// sibling is always allowed is warned; refusing the sibling too is not.
    func testEveryFamilyOfTheSiblingTable() {
        for family in SiblingSyscalls.families {
            let table = SyscallTable.forArch(.x86_64)
            guard let restricted = family.restricted.first(where: { table.number(of: $0) != nil }),
                  let sibling = family.siblings.first(where: { $0 != restricted && table.number(of: $0) != nil }) else {
                XCTFail("\(family.restricted): no pair on x86_64")
                continue
            }
            let open = warnings("x86_64 {\n    if {$nr eq \"\(restricted)\"} { return errno EPERM }\n    return allow\n}\n")
            XCTAssertTrue(open.contains("p.tcl:2:16: warning: x86_64 restricts \(restricted) but allows \(sibling) whatever its arguments: \(family.why)"),
                          "\(restricted)/\(sibling): \(open)")
            let closed = warnings("x86_64 {\n    if {$nr in {\(family.restricted.filter { table.number(of: $0) != nil }.joined(separator: " ")) \(family.siblings.filter { table.number(of: $0) != nil }.joined(separator: " "))}} { return errno EPERM }\n    if {$nr eq io_uring_setup} { return errno ENOSYS }\n    return allow\n}\n")
            XCTAssertFalse(closed.contains { $0.contains("allows \(sibling)") }, "\(restricted)/\(sibling): \(closed)")
        }
    }

    func testSyscallMissingOnAnArchitectureOfASharedBlock() {
        XCTAssertEqual(warnings("""
            arch {x86_64 i386} {
                if {$nr eq "socketcall"} { return errno ENOSYS }
                return allow
            }
            """), ["p.tcl:2:16: warning: syscall 'socketcall' does not exist on x86_64; it matches nothing there"])
    }
}

final class DiagnosticFormatTests: XCTestCase {
    func testRenderedLikeACompiler() {
        let result = check("x86_64 {\n\tif {$nr eq \"sockett\"} {\n\t\treturn allow\n\t}\n\treturn allow\n}\n")
        XCTAssertEqual(result.diagnostics.map(\.rendered), [
            "p.tcl:2:13: error: unknown syscall 'sockett' on x86_64; did you mean 'socket'?\n\tif {$nr eq \"sockett\"} {\n\t           ^\n",
        ])
    }

    func testNotesPointAtTheFirstDefinition() {
        let result = check("set A 1\nset A 2\nx86_64 { return allow }\n")
        XCTAssertEqual(result.diagnostics.first?.rendered,
                       "p.tcl:2:1: error: 'A' is already set\nset A 2\n^\np.tcl:1:1: note: first set here\nset A 1\n^\n")
    }

    func testAllErrorsAreReportedInOrder() {
        let result = check("x86_64 { if {$nr eq sockett} { return allow }; return frob }\ni386 { return errno EPERMM }\nfrob\n")
        XCTAssertEqual(result.diagnostics.map(\.description), [
            "p.tcl:1:21: error: unknown syscall 'sockett' on x86_64; did you mean 'socket'?",
            "p.tcl:1:55: error: unknown action 'frob'",
            "p.tcl:2:21: error: unknown errno name 'EPERMM'; did you mean 'EPERM'?",
            "p.tcl:3:1: error: unknown command 'frob'",
        ])
    }

    func testIncludeCycles() {
        let files = ["a.tcl": "source b.tcl\n", "b.tcl": "source a.tcl\n"]
        let result = check("source b.tcl\nx86_64 { return allow }\n", path: "a.tcl", files: files)
        XCTAssertEqual(result.diagnostics.map(\.description), ["b.tcl:1:8: error: include cycle: a.tcl -> b.tcl -> a.tcl"])
        let selfInclude = check("source p.tcl\nx86_64 { return allow }\n", files: ["p.tcl": "source p.tcl\n"])
        XCTAssertEqual(selfInclude.diagnostics.map(\.description), ["p.tcl:1:8: error: include cycle: p.tcl -> p.tcl"])
    }

    func testErrorsInsideSourcedFilesNameThatFile() {
        let result = check("source lib/net.tcl\nx86_64 { return allow }\n", files: ["lib/net.tcl": "set NET {socket\n"])
        XCTAssertEqual(result.diagnostics.map(\.description), ["lib/net.tcl:1:9: error: unterminated brace: this '{' has no matching '}'"])
    }
}
