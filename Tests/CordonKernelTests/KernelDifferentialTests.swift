import CordonPolicy
import CordonCompiler
import CordonBPF
import CordonLinux
import CordonTestSupport
import Foundation
import XCTest

/// Random programs and inputs: the emulator against the live kernel, and the
/// validator's verdict against the kernel's. Seeded, so failures reproduce.
final class KernelDifferentialTests: XCTestCase {
    func testRandomProgramsEmulateAsTheKernelRunsThem() throws {
        var g = SeededGenerator(seed: 2026)
        let dir = try TestEnvironment.temporaryDirectory("kernel-random")
        var calls = 0, disagreements: [String] = []
        for i in 0..<120 {
            let program = RandomPrograms.valid(using: &g)
            let url = try KernelOracle.writeProgram(program.instructions, in: dir, name: "r\(i).bpf")
            var batch: [KernelOracle.Call] = []
            for _ in 0..<60 {
                let arch = Arch.required.randomElement(using: &g)!
                let (nr, args) = RandomPrograms.call(arch: arch, using: &g)
                batch.append(KernelOracle.Call(arch: arch, nr: nr, args: args))
            }
            do {
                disagreements += try KernelOracle.disagreements(program, batch, at: url).map { "program \(i): \($0)" }
            } catch {
                disagreements.append("program \(i): \(error)\n\(Listing.print(program.instructions))\ncalls: \(batch)")
            }
            calls += batch.count
        }
        print("random programs: 120 programs, \(calls) calls, \(disagreements.count) disagreements")
        XCTAssertEqual(disagreements, [])
    }

    /// The 1,000-rule policy compiles with its arguments in scratch memory
    /// (each cell stored once at the start, as the kernel's check of the
    /// code wants); the kernel loads it and decides as the emulator on
    /// calls aimed at every rule, and at upper words that are not 0.
    func testFieldsInScratchMemoryRunInTheKernel() throws {
        let result = FrontEnd.check(SourceFile(path: "k.tcl", text: GeneratedPolicies.thousandRules()), read: { _ in nil })
        let compiled = try Compiler.compile(try XCTUnwrap(result.policy), level: .optimizing).program
        XCTAssertTrue(compiled.instructions.contains { $0.code == 0x02 }, "stores to scratch memory")
        let dir = try TestEnvironment.temporaryDirectory("kernel-scratch")
        let url = try KernelOracle.writeProgram(compiled.instructions, in: dir)
        var calls: [KernelOracle.Call] = []
        let table = SyscallTable.forArch(.x86_64)
        for (i, name) in GeneratedPolicies.thousandRuleSyscalls.enumerated() {
            let nr = try XCTUnwrap(table.number(of: name))
            for v in 0..<9 as Range<UInt64> {
                let high: UInt64 = v == 8 ? 1 << 32 : 0
                calls.append(KernelOracle.Call(arch: .x86_64, nr: nr, args: [9, 9, 9].enumerated().map { $0.offset == i % 3 ? v | high : $0.element }))
                calls.append(KernelOracle.Call(arch: .x86_64, nr: nr, args: [v, (v + UInt64(i)) % 8, high | (v + 3) % 8]))
            }
        }
        XCTAssertEqual(try KernelOracle.disagreements(compiled, calls, at: url), [])
        print("scratch memory: \(compiled.count) instructions, \(calls.count) calls agree with the kernel")
    }

    func testValidatorAcceptsExactlyWhatTheKernelAccepts() throws {
        var g = SeededGenerator(seed: 4096)
        let dir = try TestEnvironment.temporaryDirectory("kernel-validate")
        var programs: [[Instruction]] = (0..<150).map { _ in RandomPrograms.possiblyInvalid(using: &g) }
        // The hand-made refusals of ValidatorTests, and the limits.
        programs += [
            [], [Instruction(code: 0x94), .ret(0)], [Instruction(code: 0x0E)], [.load(2), .ret(0)], [.load(64), .ret(0)],
            [.alu(.div, 0), .ret(0)], [.alu(.lsh, 32), .ret(0)], [Instruction(code: 0x02, k: 16), .ret(0)],
            [.jumpAlways(1), .ret(0)], [.ret(0), .loadImmediate(0)], [Instruction(code: 0x60, k: 0), .ret(0)],
            [.load(0), .jump(.eq, 1, jt: 0, jf: 1), Instruction(code: 0x02, k: 2), Instruction(code: 0x60, k: 2), .returnA],
            [Instruction](repeating: .loadImmediate(0), count: 4095) + [.ret(0)],
            [Instruction](repeating: .loadImmediate(0), count: 4096) + [.ret(0)],
        ]
        var accepted = 0, refused = 0, mismatches: [String] = []
        for (i, program) in programs.enumerated() {
            let url = dir.appendingPathComponent("v\(i).bpf")
            if program.isEmpty {
                // An empty file is no program; the kernel's answer for length 0 is EINVAL.
                XCTAssertFalse(Validator.refusals(program).isEmpty)
                continue
            }
            try Data(RawCodec.encode(program)).write(to: url)
            let kernel = try KernelOracle.loadErrno(url)
            let ours = Validator.refusals(program)
            if (kernel == nil) != ours.isEmpty {
                mismatches.append("program \(i): kernel \(kernel.map { "refused \($0)" } ?? "accepted"), validator \(ours.map(\.description))\n\(Listing.print(program))")
            }
            if let kernel { XCTAssertEqual(kernel, EINVAL, "program \(i)"); refused += 1 } else { accepted += 1 }
        }
        print("validator vs kernel: \(accepted) accepted, \(refused) refused, \(mismatches.count) mismatches")
        XCTAssertEqual(mismatches, [])
        XCTAssertGreaterThan(accepted, 10)
        XCTAssertGreaterThan(refused, 50)
    }

    /// `int $0x80` from a 64-bit process: the kernel passes the upper halves of
    /// the registers on in `seccomp_data.args`. A filter for i386 must compare
    /// the low word only, or a 64-bit process can slip past it.
    func testInt80PassesUpperRegisterHalvesToTheFilter() throws {
        let dir = try TestEnvironment.temporaryDirectory("kernel-int80")
        // if (args[0] high == 0) return ALLOW else return ERRNO(1)
        let program = try Validator.validate([.load(20), .jump(.eq, 0, jt: 0, jf: 1), .ret(0x7FFF_0000), .ret(0x0005_0001)])
        let url = try KernelOracle.writeProgram(program.instructions, in: dir)
        let answers = try KernelOracle.ask(url, [
            KernelOracle.Call(arch: .i386, nr: 20, args: [0x1_0000_0005]),
            KernelOracle.Call(arch: .i386, nr: 20, args: [5]),
        ])
        guard case .returned(let high, _) = answers[0], case .returned(let low, _) = answers[1] else {
            return XCTFail("unexpected answers \(answers)")
        }
        XCTAssertEqual(high, 3, "the upper half reached the filter")
        XCTAssertEqual(low, 2)
    }

    func testTheKernelSeesTheInstructionPointerTheEmulatorIsGiven() throws {
        let dir = try TestEnvironment.temporaryDirectory("kernel-ip")
        // Return ERRNO(low byte of ip) via RET A, then compare paths.
        let program = try Validator.validate([.load(8), .jump(.eq, 0, jt: 0, jf: 1), .ret(0), .load(12), .jump(.gt, 0, jt: 0, jf: 1), .ret(1), .ret(2)])
        let url = try KernelOracle.writeProgram(program.instructions, in: dir)
        let answers = try KernelOracle.ask(url, [KernelOracle.Call(arch: .x86_64, nr: 39, args: []), KernelOracle.Call(arch: .i386, nr: 20, args: [])])
        for answer in answers {
            guard case .returned(let index, let ip) = answer else { return XCTFail("\(answer)") }
            XCTAssertNotEqual(ip, 0)
            XCTAssertEqual(index, ip >> 32 > 0 ? 5 : 6)
        }
    }
}

/// The syscalls the kernel never filters are refused by the probe with a reason.
final class KernelProbeRefusalTests: XCTestCase {
    func testUnfilteredSyscallsAreRefusedWithAReason() throws {
        let dir = try TestEnvironment.temporaryDirectory("kernel-unfiltered")
        let url = try KernelOracle.writeProgram([.ret(0x7FFF_0000)], in: dir)
        let result = try runCordon(["kernel-probe", url.path], input: "x86_64 335\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "cordon kernel-probe: call 0: x86_64 syscall uretprobe never reaches a seccomp filter on recent kernels, so the kernel cannot be asked about it\n")
        // The same numbers on i386 are filtered as usual.
        XCTAssertEqual(try KernelOracle.ask(url, [KernelOracle.Call(arch: .i386, nr: 335, args: [])]).count, 1)
    }
}
