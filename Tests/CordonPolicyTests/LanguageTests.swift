import CordonLinux
import Foundation
import CordonPolicy
import XCTest

/// The spec's example and every construct of the language, by behaviour.
final class LanguageTests: XCTestCase {
    let dropnet = """
        # dropnet: no network except local sockets
        i386 {
            if {$nr eq "socketcall"} {
                return errno ENOSYS
            }
            if {$nr eq "socket"} {
                if {$args(0) != PF_LOCAL} {
                    return errno EINVAL
                }
            }
            return allow
        }

        x86_64 {
            if {$nr eq "socket"} {
                if {$args(0) != PF_LOCAL} {
                    return errno EINVAL
                }
            }
            return allow
        }
        """

    func testTheSpecExample() throws {
        let result = check(dropnet)
        // The spec's example restricts socket and leaves io_uring open: the
        // sibling warning says so (language.md §6). Its x86_64 block compares
        // all 64 bits of socket's int family: the width warning says so (§5a).
        XCTAssertEqual(result.diagnostics.filter { $0.id != .siblingAllowed && $0.id != .argumentWidth }.map(\.description), [])
        XCTAssertEqual(result.diagnostics.filter { $0.id == .argumentWidth }.map(\.location.line), [16])
        XCTAssertEqual(result.diagnostics.filter { $0.id == .siblingAllowed }.map(\.location.line), [6, 15])
        let p = result.policy
        XCTAssertEqual(decide(p, .x86_64, "socket", [2]), "errno 22")
        XCTAssertEqual(decide(p, .x86_64, "socket", [1]), "allow")
        XCTAssertEqual(decide(p, .x86_64, "socket", [0x1_0000_0001]), "errno 22", "a 64-bit argument compares all 64 bits")
        XCTAssertEqual(decide(p, .x86_64, "read"), "allow")
        XCTAssertEqual(decide(p, .i386, "socketcall", [1]), "errno 38")
        XCTAssertEqual(decide(p, .i386, "socket", [2]), "errno 22")
        XCTAssertEqual(decide(p, .i386, "socket", [1]), "allow")
        XCTAssertEqual(decide(p, .x32, "socket", [1]), "kill_process", "x32 has no block: badarch")
        XCTAssertEqual(decide(p, .aarch64, "read"), "kill_process")
        // The deciding return's location.
        let decision = Interpreter.decide(p!, SeccompData(arch: .x86_64, nr: 41, args: [2]))
        XCTAssertEqual(decision.location?.description, "p.tcl:17:13")
    }

    /// The spec's inline examples, each in a policy.
    func testTheSpecsInlineExamples() throws {
        let p = policy("""
            set MAXFD 1024
            set M {O_WRONLY | O_RDWR}
            set NET {socket connect bind}
            x86_64 {
                if {$nr eq "dup2" && $args(1) >= $MAXFD} { return errno EBADF }
                if {$nr eq "openat" && ($args(2) & O_ACCMODE) == O_WRONLY} { return errno EACCES }
                if {$nr eq "open" && ($args(1) & $M)} { return errno EROFS }
                if {$nr eq "mmap"} {
                    if {$args(2) & PROT_EXEC} { return errno EPERM }
                }
                if {$nr in $NET} {
                    if {$args(0) in {AF_UNIX AF_INET}} { return allow }
                    return errno EAFNOSUPPORT
                }
                return allow
            }
            arch {i386} {
                if {$arch eq "i386"} { return errno ENOSYS }
                return allow
            }
            expect x86_64 {socket AF_INET} allow
            """)
        XCTAssertEqual(decide(p, .x86_64, "dup2", [0, 1024]), "errno 9")
        XCTAssertEqual(decide(p, .x86_64, "dup2", [0, 1023]), "allow")
        XCTAssertEqual(decide(p, .x86_64, "openat", [0, 0, UInt64(1 | 0o100)]), "errno 13")
        XCTAssertEqual(decide(p, .x86_64, "openat", [0, 0, 2]), "allow")
        XCTAssertEqual(decide(p, .x86_64, "open", [0, 2]), "errno 30")
        XCTAssertEqual(decide(p, .x86_64, "open", [0, 0]), "allow")
        XCTAssertEqual(decide(p, .x86_64, "mmap", [0, 4096, 7]), "errno 1")
        XCTAssertEqual(decide(p, .x86_64, "socket", [1]), "allow")
        XCTAssertEqual(decide(p, .x86_64, "socket", [2]), "allow")
        XCTAssertEqual(decide(p, .x86_64, "bind", [10]), "errno 97")
        XCTAssertEqual(decide(p, .i386, "read"), "errno 38")
        XCTAssertEqual(PolicyTests.run(p!).passed, 1)
    }

    /// §5: errno aliases resolve: the C library's ENOTSUP (EOPNOTSUPP on
    /// Linux) and the kernel's own EWOULDBLOCK and EDEADLOCK.
    func testErrnoAliasesResolve() throws {
        let p = policy("x86_64 {\n    if {$nr eq socket} { return errno ENOTSUP }\n    if {$nr eq bind} { return errno EWOULDBLOCK }\n"
                       + "    if {$nr eq listen} { return errno EDEADLOCK }\n    return allow\n}\n")
        XCTAssertNotNil(p)
        XCTAssertEqual(decide(p, .x86_64, "socket"), "errno 95")
        XCTAssertEqual(decide(p, .x86_64, "socket"), decide(policy("x86_64 {\n    return errno EOPNOTSUPP\n}\n"), .x86_64, "socket"))
        XCTAssertEqual(decide(p, .x86_64, "bind"), decide(policy("x86_64 {\n    return errno EAGAIN\n}\n"), .x86_64, "bind"))
        XCTAssertEqual(decide(p, .x86_64, "listen"), decide(policy("x86_64 {\n    return errno EDEADLK\n}\n"), .x86_64, "listen"))
    }

    func testX32RoutingAndMinusOne() throws {
        let p = policy("""
            x86_64 { if {$nr == -1} { return errno 1 }; return allow }
            x32 { return errno 2 }
            """)
        XCTAssertEqual(Interpreter.decide(p!, SeccompData(nr: 0xFFFF_FFFF, arch: Arch.x86_64.auditArch)).action, .errno(1))
        XCTAssertEqual(Interpreter.decide(p!, SeccompData(nr: 0x4000_0000, arch: Arch.x86_64.auditArch)).action, .errno(2))
        XCTAssertEqual(Interpreter.decide(p!, SeccompData(nr: 0, arch: Arch.x86_64.auditArch)).action, .allow)
        XCTAssertEqual(Interpreter.decide(p!, SeccompData(nr: 0, arch: 0x1234)).action, .killProcess)
        let x32nr = policy("x32 { if {$nr eq read} { return errno 3 }; if {$nr == 0x40000001} { return errno 4 }; return allow }")
        XCTAssertEqual(decide(x32nr, .x32, "read"), "errno 3")
        XCTAssertEqual(decide(x32nr, .x32, "write"), "errno 4")
    }

    func testEveryAction() throws {
        let actions = ["allow": "allow", "log": "log", "kill_process": "kill_process", "kill": "kill_process",
                       "kill_thread": "kill_thread", "trap": "trap 0", "trap 7": "trap 7", "errno 13": "errno 13",
                       "errno EACCES": "errno 13", "{errno EPERM}": "errno 1", "trace": "trace 0", "trace 65535": "trace 65535",
                       "notify": "notify", "errno 4095": "errno 4095"]
        for (written, decided) in actions {
            XCTAssertEqual(decide(policy("x86_64 { return \(written) }"), .x86_64, "read"), decided, written)
        }
        let withBadarch = policy("badarch errno EPERM\nx86_64 { return allow }")
        XCTAssertEqual(decide(withBadarch, .i386, "read"), "errno 1")
        XCTAssertEqual(Interpreter.decide(withBadarch!, SeccompData(arch: .i386, nr: 3)).location?.description, "p.tcl:1:9")
    }

    func testIfElseifElseAndThen() throws {
        let p = policy("""
            x86_64 {
                if {$nr eq read} then { return errno 1 } elseif {$nr eq write} then {
                    return errno 2
                } elseif {$nr == 3} { return errno 3 } else { return allow }
            }
            """)
        XCTAssertEqual(decide(p, .x86_64, "read"), "errno 1")
        XCTAssertEqual(decide(p, .x86_64, "write"), "errno 2")
        XCTAssertEqual(decide(p, .x86_64, "close"), "errno 3")
        XCTAssertEqual(decide(p, .x86_64, "fstat"), "allow")
    }

    func testSwitch() throws {
        let p = policy("""
            x86_64 {
                switch -- $nr {
                    read - write { return errno 1 }
                    41 { return errno 2 }
                    default { return allow }
                }
            }
            arch {i386} {
                switch $args(0) AF_INET { return errno 3 } 10 - 17 { return errno 4 }
                switch -exact $nr {socketcall {return errno 5}}
                return allow
            }
            """)
        XCTAssertEqual(decide(p, .x86_64, "read"), "errno 1")
        XCTAssertEqual(decide(p, .x86_64, "write"), "errno 1")
        XCTAssertEqual(decide(p, .x86_64, "socket"), "errno 2")
        XCTAssertEqual(decide(p, .x86_64, "close"), "allow")
        XCTAssertEqual(decide(p, .i386, "socket", [2]), "errno 3")
        XCTAssertEqual(decide(p, .i386, "socket", [10]), "errno 4")
        XCTAssertEqual(decide(p, .i386, "socket", [17]), "errno 4")
        XCTAssertEqual(decide(p, .i386, "socketcall", [1]), "errno 5")
        XCTAssertEqual(decide(p, .i386, "read", [1]), "allow")
    }

    func testInNiAndSetLists() throws {
        let p = policy("""
            set NET {socket connect bind}
            set ONE read
            x86_64 {
                if {$nr in $NET} { return errno 1 }
                if {$nr in $ONE} { return errno 2 }
                if {$args(0) in {AF_INET AF_INET6 99}} { return errno 3 }
                if {$nr ni {close fstat}} { return errno 4 }
                return allow
            }
            """)
        XCTAssertEqual(decide(p, .x86_64, "connect"), "errno 1")
        XCTAssertEqual(decide(p, .x86_64, "read"), "errno 2")
        XCTAssertEqual(decide(p, .x86_64, "close", [99]), "errno 3")
        XCTAssertEqual(decide(p, .x86_64, "close", [10]), "errno 3")
        XCTAssertEqual(decide(p, .x86_64, "write"), "errno 4")
        XCTAssertEqual(decide(p, .x86_64, "fstat"), "allow")
    }

    func testExpressionsFollowTclPrecedenceAndArithmetic() throws {
        let p = policy("""
            set M {O_WRONLY | O_RDWR}
            set BIG {1 << 40}
            x86_64 {
                if {($args(1) & O_ACCMODE) == O_WRONLY} { return errno 1 }
                if {$args(1) & $M} { return errno 2 }
                if {$args(0) == -7 / 2} { return errno 3 }
                if {$args(0) == -7 % 2} { return errno 4 }
                if {$args(0) == (-16 >> 2)} { return errno 5 }
                if {$args(0) == $BIG + 2 * 3} { return errno 6 }
                if {$args(0) == (~0 ^ 0xff)} { return errno 7 }
                if {!($args(2) < 10) && $args(2) <= 0b1111} { return errno 8 }
                if {$args32(3) == -1 || $args(3) == 0o17} { return errno 9 }
                return allow
            }
            """)
        XCTAssertEqual(decide(p, .x86_64, "read", [0, 1]), "errno 1")
        XCTAssertEqual(decide(p, .x86_64, "read", [0, 2]), "errno 2")
        XCTAssertEqual(decide(p, .x86_64, "read", [UInt64(bitPattern: -4)]), "errno 3", "Tcl: -7 / 2 is -4")
        XCTAssertEqual(decide(p, .x86_64, "read", [1]), "errno 4", "Tcl: -7 % 2 is 1")
        XCTAssertEqual(decide(p, .x86_64, "read", [UInt64(bitPattern: -4)]), "errno 3")
        XCTAssertEqual(decide(p, .x86_64, "read", [(1 << 40) + 6]), "errno 6")
        XCTAssertEqual(decide(p, .x86_64, "read", [~UInt64(0xFF)]), "errno 7")
        XCTAssertEqual(decide(p, .x86_64, "read", [0, 0, 12]), "errno 8")
        XCTAssertEqual(decide(p, .x86_64, "read", [0, 0, 9]), "allow")
        XCTAssertEqual(decide(p, .x86_64, "read", [0, 0, 0, 0xFFFF_FFFF]), "errno 9")
        XCTAssertEqual(decide(p, .x86_64, "read", [0, 0, 0, 0x1_FFFF_FFFF]), "errno 9", "args32 sees the low half")
        XCTAssertEqual(decide(p, .x86_64, "read", [0, 0, 0, 15]), "errno 9")
        let shifts = policy("x86_64 { if {$args(0) == (-16 >> 2)} { return errno 5 }; return allow }")
        XCTAssertEqual(decide(shifts, .x86_64, "read", [UInt64(bitPattern: -4)]), "errno 5", ">> is arithmetic")
    }

    /// language.md §5: constant arithmetic is Tcl's, on exact integers; the
    /// result meets the field's range only where it is compared.
    func testConstantArithmeticIsExact() throws {
        let p = policy("""
            set BIG {0xffffffffffffffff >> 4}
            x86_64 {
                if {$args(0) == $BIG} { return errno 1 }
                if {$args(1) == (-1 >> 4)} { return errno 2 }
                if {$args(2) == (1 << 70) >> 10} { return errno 3 }
                if {$args(3) == 0xffffffffffffffff + 1 - 2} { return errno 4 }
                if {$args32(4) == -0x80000000} { return errno 5 }
                if {0xffffffffffffffff > -1 && $args(5) == 0xffffffffffffffff / 2} { return errno 6 }
                return allow
            }
            """)
        XCTAssertEqual(decide(p, .x86_64, "read", [0x0FFF_FFFF_FFFF_FFFF]), "errno 1")
        XCTAssertEqual(decide(p, .x86_64, "read", [UInt64.max]), "allow", "0xffffffffffffffff >> 4 is not -1")
        XCTAssertEqual(decide(p, .x86_64, "read", [1, UInt64.max]), "errno 2", "-1 >> 4 is -1")
        XCTAssertEqual(decide(p, .x86_64, "read", [1, 0, 1 << 60]), "errno 3", "an intermediate beyond 64 bits is exact")
        XCTAssertEqual(decide(p, .x86_64, "read", [1, 0, 0, UInt64.max - 1]), "errno 4")
        XCTAssertEqual(decide(p, .x86_64, "read", [1, 0, 0, 0, 0x8000_0000]), "errno 5")
        XCTAssertEqual(decide(p, .x86_64, "read", [1, 0, 0, 0, 0, UInt64.max / 2]), "errno 6", "constants compare exactly, not as 64-bit patterns")
        XCTAssertEqual(messages("x86_64 { if {$args(0) == 1 << 64} { return errno 1 }; return allow }"),
                       ["p.tcl:1:26: error: constant 0x10000000000000000 does not fit $args(0), a 64-bit field: use -9223372036854775808..18446744073709551615"])
        XCTAssertEqual(messages("x86_64 { if {$args32(0) == 0xffffffffffffffff} { return errno 1 }; return allow }"),
                       ["p.tcl:1:28: error: constant 0xffffffffffffffff does not fit $args32(0), a 32-bit field: use -2147483648..4294967295"])
        XCTAssertEqual(messages("x86_64 { if {$args(0) == (1 << 200) >> 190} { return errno 1 }; return allow }"),
                       ["p.tcl:1:29: error: constant arithmetic beyond 128 bits: no field can hold the result"])
    }

    func testComparisonsAreUnsignedAndMinusOneFollowsTheFieldWidth() throws {
        let p = policy("x86_64 { if {$args(0) > 5} { return errno 1 }; if {$args(1) == -1} { return errno 2 }; return allow }")
        XCTAssertEqual(decide(p, .x86_64, "read", [UInt64.max]), "errno 1")
        XCTAssertEqual(decide(p, .x86_64, "read", [0, UInt64.max]), "errno 2")
        XCTAssertEqual(decide(p, .x86_64, "read", [0, 0xFFFF_FFFF]), "allow")
        let i386 = policy("i386 { if {$args(1) == -1} { return errno 2 }; return allow }")
        XCTAssertEqual(decide(i386, .i386, "read", [0, 0xFFFF_FFFF]), "errno 2", "on i386 $args is $args32")
        let low = Interpreter.decide(i386!, SeccompData(nr: 3, arch: Arch.i386.auditArch, args: [0, 0xFFFF_FFFF_FFFF_FFFF]))
        XCTAssertEqual(low.action, .errno(2), "only the low word counts on i386, even with the upper half set")
    }

    func testSharedBlocksResolveNamesPerArchitecture() throws {
        let result = check("""
            arch {x86_64 i386} {
                if {$arch eq "i386" && $nr eq "socketcall"} { return errno 1 }
                if {$nr eq "socket"} { return errno 2 }
                if {$nr in {socketcall read}} { return errno 3 }
                return allow
            }
            """)
        XCTAssertEqual(result.diagnostics.filter { $0.id != .siblingAllowed }.map(\.description), [
            "p.tcl:2:35: warning: syscall 'socketcall' does not exist on x86_64; it matches nothing there",
            "p.tcl:4:17: warning: syscall 'socketcall' does not exist on x86_64; it matches nothing there",
        ])
        let p = result.policy
        XCTAssertEqual(decide(p, .i386, "socketcall"), "errno 1")
        XCTAssertEqual(decide(p, .i386, "socket"), "errno 2")
        XCTAssertEqual(decide(p, .x86_64, "socket"), "errno 2")
        XCTAssertEqual(decide(p, .x86_64, "read"), "errno 3")
        XCTAssertEqual(decide(p, .x86_64, "write"), "allow")
    }

    func testPerArchitectureConstants() throws {
        let p = policy("arch {x86_64 arm} { if {$args(1) & O_DIRECTORY} { return errno 20 }; return allow }")
        XCTAssertEqual(decide(p, .x86_64, "openat", [0, 0o200000]), "errno 20")
        XCTAssertEqual(decide(p, .arm, "openat", [0, 0o40000]), "errno 20")
        XCTAssertEqual(decide(p, .arm, "openat", [0, 0o200000]), "allow")
    }

    func testTclSyntax() throws {
        let p = policy("""
            # a comment; with a semicolon
            set A 1 ;# a trailing comment
            x86_64 {
                # comments { with braces } balance
                if {$nr eq \\
                    "read"} { return errno 1 }
                if {$nr eq "write" &&
                    $args(0) == $A} { return errno 2 }
                set B {{nested} {braces}}
                if {$nr eq close} {return errno 3}; return allow
            }
            """)
        XCTAssertEqual(decide(p, .x86_64, "read"), "errno 1")
        XCTAssertEqual(decide(p, .x86_64, "write", [1]), "errno 2")
        XCTAssertEqual(decide(p, .x86_64, "close"), "errno 3")
        XCTAssertEqual(decide(p, .x86_64, "fstat"), "allow")
    }

    func testSourceIncludesRelativeToTheIncludingFile() throws {
        let files = ["dir/net.tcl": "set NET {socket connect}\nsource more/x.tcl\n", "dir/more/x.tcl": "set X 7\n"]
        let result = check("source net.tcl\nx86_64 { if {$nr in $NET || $args32(0) == $X} { return errno 1 }; return allow }",
                            path: "dir/p.tcl", files: files)
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        XCTAssertEqual(decide(result.policy, .x86_64, "connect"), "errno 1")
        XCTAssertEqual(decide(result.policy, .x86_64, "read", [7]), "errno 1")
    }

    func testExpectLines() throws {
        let p = policy(dropnet + """

            expect x86_64 {socket AF_INET} {errno EINVAL}
            expect i386 {socket -1} {errno EINVAL}
            expect x32 {read} kill_process
            expect x86_64 {41 1} allow
            expect x86_64 {socket AF_UNIX} {errno EINVAL}
            """)
        let report = PolicyTests.run(p!)
        XCTAssertEqual(report.passed, 4)
        XCTAssertEqual(report.failures.map(\.text), [
            "p.tcl:26:1: expect failed: x86_64 socket(family=AF_UNIX, type=0, protocol=0): expected errno 22 (EINVAL), got allow (decided at p.tcl:20:5)"
        ])
    }
}

/// The complete examples of docs/language.md compile without errors.
final class DocumentationExampleTests: XCTestCase {
    func testLanguageDocExamplesCompile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/language.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        var checked = 0
        for block in text.components(separatedBy: "```tcl\n").dropFirst() {
            let code = block.components(separatedBy: "```")[0]
            let firstWord = code.split(whereSeparator: { $0 == " " || $0 == "\n" }).first.map(String.init) ?? ""
            guard firstWord != "if" else { continue }  // a fragment of a block
            let result = check(code, path: "doc.tcl")
            XCTAssertEqual(result.diagnostics.filter { $0.severity == .error }.map(\.description), [], code)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 4)
    }
}
