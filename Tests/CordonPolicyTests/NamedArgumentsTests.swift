import CordonLinux
import CordonOracle
import CordonPolicy
import XCTest

/// `$args(NAME)` (language.md §5a): resolved where the path fixes the
/// syscall, read at the parameter's width, an error with did-you-mean otherwise.
final class NamedArgumentsTests: XCTestCase {
    func testResolvedWhereThePathFixesTheSyscall() {
        let p = policy("""
            x86_64 {
                if {$nr eq socket && $args(family) == AF_VSOCK} { return errno 1 }
                switch $nr {
                    openat { if {$args(flags) & O_WRONLY} { return errno 2 } }
                    fchmod { if {$args(mode) == 0o777} { return errno 3 } }
                }
                if {$nr in {socket socketpair} && $args(type) == SOCK_RAW} { return errno 4 }
                if {$nr ne "clone"} { return allow }
                if {$args(clone_flags) & CLONE_NEWUSER} { return errno 5 }
                return allow
            }
            s390x {
                if {$nr eq clone && ($args(clone_flags) & CLONE_NEWUSER)} { return errno 5 }
                return allow
            }
            """)
        // family is an int: the high half is not read, so 0x100000028 is AF_VSOCK too.
        XCTAssertEqual(decide(p, .x86_64, "socket", [0x1_0000_0028]), "errno 1")
        XCTAssertEqual(decide(p, .x86_64, "socket", [2]), "allow")
        XCTAssertEqual(decide(p, .x86_64, "openat", [0, 0, 0x1_0000_0001]), "errno 2")
        // mode is a umode_t: 16 bits.
        XCTAssertEqual(decide(p, .x86_64, "fchmod", [3, 0x1_0001_01FF]), "errno 3")
        XCTAssertEqual(decide(p, .x86_64, "socketpair", [1, 0x7_0000_0003]), "errno 4")
        // After `if {$nr ne clone} {return}`, only clone reaches: clone_flags is 64-bit (unsigned long).
        XCTAssertEqual(decide(p, .x86_64, "clone", [0x1000_0000]), "errno 5")
        // s390x's clone takes the stack first (CLONE_BACKWARDS2): its flags are argument 1.
        XCTAssertEqual(decide(p, .s390x, "clone", [0, 0x1000_0000]), "errno 5")
        XCTAssertEqual(decide(p, .s390x, "clone", [0x1000_0000, 0]), "allow")
    }

    func testSharedBlocksResolveEachArchitecture() {
        let p = policy("""
            arch {x86_64 i386 aarch64} {
                if {$nr eq socket && $args(family) == AF_INET} { return errno 1 }
                return allow
            }
            """)
        XCTAssertEqual(decide(p, .x86_64, "socket", [0xFFFF_FFFF_0000_0002]), "errno 1")
        XCTAssertEqual(decide(p, .i386, "socket", [2]), "errno 1")
        XCTAssertEqual(decide(p, .aarch64, "socket", [2]), "errno 1")
    }

    func testErrors() {
        XCTAssertEqual(messages("x86_64 { if {$args(family) == 1} { return kill }; return allow }").first.map { String($0.prefix(67)) },
                       "p.tcl:1:14: error: $args(family) needs the syscall to be known here")
        XCTAssertEqual(messages("x86_64 { if {$nr eq socket && $args(famliy) == 1} { return kill }; return allow }"),
                       ["p.tcl:1:31: error: socket has no parameter 'famliy' on x86_64; did you mean 'family'? (its parameters: family, type, protocol)"])
        XCTAssertEqual(messages("x86_64 { if {$nr in {socket bind} && $args(family) == 1} { return kill }; return allow }"),
                       ["p.tcl:1:38: error: bind has no parameter 'family' on x86_64 (its parameters: fd, umyaddr, addrlen)"])
        XCTAssertEqual(messages("x86_64 { if {$nr in {read pread64} && $args(count) == 1} { return kill }; return allow }"), [])
        XCTAssertEqual(messages("i386 { if {$nr eq pread64 && $args(pos) == 0} { return kill }; return allow }"),
                       ["p.tcl:1:30: error: on i386, pread64's pos is a 64-bit value split over two arguments: compare $args32(3) (low word) and $args32(4) (high word)"])
        XCTAssertEqual(messages("x86_64 { if {$nr == 1000 && $args(fd) == 1} { return kill }; return allow }"),
                       ["p.tcl:1:29: error: $args(fd): x86_64 has no syscall numbered 1000, so it has no parameters to name"])
        let disagree = messages("x86_64 { if {$nr in {socket mmap} && $args(flags) == 1} { return kill }; return allow }")
        XCTAssertEqual(disagree.count, 1)
        XCTAssertTrue(disagree.first?.contains("has no parameter 'flags'") == true, "\(disagree)")
    }

    /// Every syscall of every architecture has its parameters in the table,
    /// within six argument slots; split values only on 32-bit ABIs.
    func testEverySyscallHasItsParameters() {
        for arch in Arch.allCases {
            for entry in SyscallTable.forArch(arch).entries {
                guard let parameters = SyscallParameters.of(entry.name, arch: arch) else {
                    XCTFail("\(arch) \(entry.name) has no parameter entry")
                    continue
                }
                for p in parameters {
                    XCTAssertTrue([2, 4, 8].contains(p.width), "\(arch) \(entry.name) \(p)")
                    XCTAssertLessThanOrEqual(p.slot + (p.isSplit ? 1 : 0), 5, "\(arch) \(entry.name)")
                    if p.isSplit { XCTAssertEqual(arch.argumentBits, 32) }
                }
            }
        }
        func place(_ arch: Arch, _ name: String, _ parameter: String) -> String? {
            SyscallParameters.parameter(parameter, of: name, arch: arch).map { "\($0.width)@\($0.slot)" }
        }
        XCTAssertEqual(place(.x86_64, "socket", "family"), "4@0")
        XCTAssertEqual(place(.x86_64, "openat", "mode"), "2@3")
        XCTAssertEqual(place(.x86_64, "mprotect", "prot"), "8@2")
        XCTAssertEqual(place(.i386, "pread64", "pos"), "8@3")
        XCTAssertEqual(place(.arm, "pread64", "pos"), "8@4")  // EABI: a 64-bit pair starts at an even register
        XCTAssertEqual(place(.s390x, "clone", "clone_flags"), "8@1")
        XCTAssertEqual(place(.aarch64, "clone", "tls"), "8@3")
        XCTAssertEqual(place(.x86_64, "clone", "tls"), "8@4")
        XCTAssertEqual(place(.x86_64, "mseal", "flags"), "8@2")  // the merged kernel, not Kafel's draft
        XCTAssertEqual(place(.riscv64, "riscv_hwprobe", "flags"), "4@4")
        XCTAssertEqual(place(.x32, "ioctl", "arg"), "4@2")  // x32's compat ioctl reads a compat_ulong_t
        XCTAssertFalse(SyscallParameters.isImplemented("uselib", arch: .x86_64))
    }

    /// The oracle's policies name parameters and cover the new architectures,
    /// and each one checks without errors (the oracle then compares the
    /// interpreter, -O0, -O2, the C header and the kernel on them).
    func testTheOraclesPoliciesNameParametersOnEveryArchitecture() {
        var generator = PolicyGenerator(seed: 77)
        var named = 0, arches: Set<String> = []
        for _ in 0..<300 {
            let text = generator.policy()
            let result = check(text)
            XCTAssertFalse(result.diagnostics.contains { $0.severity == .error }, "\(result.diagnostics.prefix(3))\n\(text)")
            if text.range(of: #"\$args\([a-z_]"#, options: .regularExpression) != nil { named += 1 }
            for arch in Arch.allCases where text.contains(arch.rawValue) { arches.insert(arch.rawValue) }
        }
        XCTAssertGreaterThan(named, 30)
        XCTAssertEqual(arches, Set(Arch.allCases.map(\.rawValue)))
    }
}
