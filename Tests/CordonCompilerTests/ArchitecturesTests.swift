import CordonBPF
import CordonCompiler
import CordonLinux
import CordonPolicy
import CordonTestSupport
import Foundation
import XCTest

/// The architectures this host cannot run (ppc64le, s390x, loongarch64):
/// the emulator and the interpreter agree on them, and s390x's big-endian
/// argument words sit where the kernel puts them.
final class ArchitecturesTests: XCTestCase {
    /// s390x, by hand: argument 1's high word is at offset 24 and its low
    /// word at 28 (big endian); ppc64le is little endian (low at 24).
    func testBigEndianArgumentOffsetsByHand() throws {
        let policy = try policyFrom("""
            s390x { if {$args(1) == 0x100000002} { return errno 1 }; return allow }
            ppc64le { if {$args(1) == 0x100000002} { return errno 1 }; return allow }
            """)
        for level in [OptimizationLevel.direct, .optimizing] {
            let program = try Compiler.compile(policy, level: level).program
            let loads = program.instructions.filter { $0.operation == .loadAbsolute }.map(\.k)
            XCTAssertTrue(loads.contains(24) && loads.contains(28), "\(level): \(loads)")
            let emulator = Emulator(program)
            let s390 = Arch.s390x.auditArch, ppc = Arch.ppc64le.auditArch
            XCTAssertEqual(s390, 0x8000_0016)
            XCTAssertEqual(ppc, 0xC000_0015)
            for arch in [Arch.s390x, .ppc64le] {
                let hit = SeccompData(arch: arch, nr: 1, args: [0, 0x1_0000_0002])
                let swapped = SeccompData(arch: arch, nr: 1, args: [0, 0x2_0000_0001])
                XCTAssertEqual(emulator.run(hit).value, SeccompReturn.errno(1).rawValue, "\(level) \(arch)")
                XCTAssertEqual(emulator.run(swapped).value, SeccompReturn.allow.rawValue, "\(level) \(arch)")
                XCTAssertEqual(Interpreter.decide(policy, hit).action, .errno(1))
            }
            // What the emulator loads at each offset, as the s390x kernel would lay it out.
            let data = SeccompData(arch: .s390x, nr: 7, instructionPointer: 0x1111_2222_3333_4444, args: [0xAAAA_BBBB_CCCC_DDDD])
            XCTAssertEqual(data.word(at: 8), 0x1111_2222)
            XCTAssertEqual(data.word(at: 12), 0x3333_4444)
            XCTAssertEqual(data.word(at: 16), 0xAAAA_BBBB)
            XCTAssertEqual(data.word(at: 20), 0xCCCC_DDDD)
            let little = SeccompData(arch: .ppc64le, nr: 7, args: [0xAAAA_BBBB_CCCC_DDDD])
            XCTAssertEqual(little.word(at: 16), 0xCCCC_DDDD)
        }
        let listing = Listing.print(try Compiler.compile(policy, level: .direct).program.instructions)
        XCTAssertTrue(listing.contains("A = args[1] high") && listing.contains("A = args[1] low"), listing)
    }

    /// Every syscall of the new architectures, with argument patterns that
    /// touch both words: -O0, -O2 and the interpreter agree.
    func testEmulatorAndInterpreterAgreeOnTheNewArchitectures() throws {
        let policy = try policyFrom("""
            arch {ppc64le s390x loongarch64} {
                if {$nr in {socket connect}} {
                    if {$args32(0) == AF_INET || $args(1) > 0xffffffff} { return errno EACCES }
                    if {($args(2) & 0xff00000000) != 0} { return trap 3 }
                }
                if {$nr eq "mprotect" && ($args(2) & PROT_EXEC)} { return kill }
                if {$nr eq "clone" && $ip >= 0x7f0000000000} { return log }
                return allow
            }
            """)
        let o0 = Emulator(try Compiler.compile(policy, level: .direct).program)
        let o2 = Emulator(try Compiler.compile(policy, level: .optimizing).program)
        let patterns: [[UInt64]] = [[], [2, 1, 0], [2, 0x1_0000_0001, 4], [0x1_0000_0002, 0, 0xff_0000_0000], [7, 7, 4]]
        var checked = 0
        for arch in [Arch.ppc64le, .s390x, .loongarch64] {
            for entry in SyscallTable.forArch(arch).entries {
                for args in patterns {
                    for ip: UInt64 in [0x400000, 0x7f00_0000_1000] {
                        let data = SeccompData(arch: arch, nr: entry.number, instructionPointer: ip, args: args)
                        let expected = Interpreter.decide(policy, data).action.rawValue
                        XCTAssertEqual(o0.run(data).value, expected, "-O0 \(arch) \(entry.name) \(args)")
                        XCTAssertEqual(o2.run(data).value, expected, "-O2 \(arch) \(entry.name) \(args)")
                        checked += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(checked, 10_000)
    }

    /// Names new in Linux 6.2 .. 7.2 are known, with the numbers the kernel gave them.
    func testSyscallsUpToLinux72() {
        let cases: [(Arch, String, UInt32)] = [
            (.x86_64, "mseal", 462), (.x86_64, "listmount", 458), (.x86_64, "uretprobe", 335), (.x86_64, "listns", 470),
            (.x86_64, "rseq_slice_yield", 471), (.riscv64, "riscv_hwprobe", 258), (.aarch64, "cachestat", 451),
            (.i386, "fchmodat2", 452), (.x32, "statmount", 0x4000_0000 + 457),
            (.ppc64le, "socket", 326), (.ppc64le, "switch_endian", 363), (.s390x, "socket", 359),
            (.s390x, "s390_runtime_instr", 342), (.loongarch64, "openat", 56), (.loongarch64, "clone3", 435),
        ]
        for (arch, name, number) in cases {
            XCTAssertEqual(SyscallTable.forArch(arch).number(of: name), number, "\(arch) \(name)")
        }
        XCTAssertNil(SyscallTable.forArch(.loongarch64).number(of: "open"))
        XCTAssertTrue(SyscallTable.forArch(.x86_64).retired.contains("uselib"))
        XCTAssertEqual(SyscallTable.forArch(.arm).name(of: 341), "sync_file_range2")
        XCTAssertEqual(SyscallTable.forArch(.arm).number(of: "arm_sync_file_range"), 341)
    }

    func testAuditArchValuesOfTheNewArchitectures() {
        XCTAssertEqual(ConstantTable.value(of: "AUDIT_ARCH_PPC64LE").map(UInt32.init), Arch.ppc64le.auditArch)
        XCTAssertEqual(ConstantTable.value(of: "AUDIT_ARCH_S390X").map(UInt32.init), Arch.s390x.auditArch)
        XCTAssertEqual(ConstantTable.value(of: "AUDIT_ARCH_LOONGARCH64").map(UInt32.init), Arch.loongarch64.auditArch)
        XCTAssertFalse(Arch.s390x.isLittleEndian)
        XCTAssertTrue(Arch.ppc64le.isLittleEndian && Arch.loongarch64.isLittleEndian && Arch.x86_64.isLittleEndian)
        XCTAssertEqual(Arch.of(auditArch: 0x8000_0016, nr: 5), .s390x)
        // ppc's O_DIRECTORY differs from x86's; loongarch64 takes the generic value.
        XCTAssertEqual(ConstantTable.value(of: "O_DIRECTORY", arch: .ppc64le), 0o40000)
        XCTAssertEqual(ConstantTable.value(of: "O_DIRECTORY", arch: .loongarch64), 0o200000)
    }
}
