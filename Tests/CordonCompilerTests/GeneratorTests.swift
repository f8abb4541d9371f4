import CordonBPF
import CordonCompiler
import CordonLinux
import CordonPolicy
import CordonTestSupport
import Foundation
import XCTest

/// What both generators promise, on the samples and on shaped policies.
final class GeneratorTests: XCTestCase {
    let samples = ["dropnet.tcl", "stdio.tcl", "build-nonet.tcl", "no-namespaces.tcl"]

    /// The syscall weights of the -O2 search tree are the measured mix's.
    func testTheWeightsAreTheMeasuredMix() throws {
        let mix = TestEnvironment.packageRoot.appendingPathComponent("../shared/data/syscall-mix-x86_64.tsv").standardizedFileURL
        guard FileManager.default.fileExists(atPath: mix.path) else { throw XCTSkip("../shared/data is not beside the project") }
        let result = try runShell("scripts/gen-weights.sh --check", currentDirectory: TestEnvironment.packageRoot)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
    }

    func testDropnetAtO0IsTheDropnetShape() throws {
        let compiled = try Compiler.compile(samplePolicy("dropnet.tcl"), level: .direct)
        try assertGolden(Listing.print(compiled.program.instructions), "dropnet.O0.listing")
    }

    func testDropnetAtO2() throws {
        let compiled = try Compiler.compile(samplePolicy("dropnet.tcl"), level: .optimizing)
        try assertGolden(Listing.print(compiled.program.instructions), "dropnet.O2.listing")
        let header = Emitter.emit(compiled, as: .c, EmitContext(name: "dropnet", policyPath: "samples/dropnet.tcl"))
        try assertGolden(String(decoding: header, as: UTF8.self), "dropnet.O2.h")
    }

    /// -O2 is never longer than -O0 on the samples and executes fewer
    /// instructions on average over every syscall of the required ABIs.
    func testO2IsSmallerAndFasterOnTheSamples() throws {
        for sample in samples {
            let policy = try samplePolicy(sample)
            let o0 = try Compiler.compile(policy, level: .direct), o2 = try Compiler.compile(policy, level: .optimizing)
            XCTAssertLessThanOrEqual(o2.program.count, o0.program.count, sample)
            let e0 = Emulator(o0.program), e2 = Emulator(o2.program)
            var executed0 = 0, executed2 = 0, calls = 0
            for arch in Arch.required {
                for entry in SyscallTable.forArch(arch).entries {
                    for args: [UInt64] in [[], [1, 2, 3], [2, 0x1_0000_0000, 7]] {
                        let data = SeccompData(arch: arch, nr: entry.number, args: args)
                        let r0 = e0.run(data), r2 = e2.run(data)
                        XCTAssertEqual(r0.value, r2.value, "\(sample) \(arch) \(entry.name)")
                        XCTAssertEqual(r2.value, Interpreter.decide(policy, data).action.rawValue)
                        executed0 += r0.executed
                        executed2 += r2.executed
                        calls += 1
                    }
                }
            }
            XCTAssertLessThan(executed2, executed0, sample)
            print("\(sample): -O0 \(o0.program.count) instructions, \(Double(executed0) / Double(calls)) executed on average; "
                  + "-O2 \(o2.program.count), \(Double(executed2) / Double(calls))")
        }
    }

    /// A 300-syscall allowlist dispatches by ranges, not a chain of JEQs.
    func testA300SyscallAllowlistUsesRangeDispatch() throws {
        // 300 of the table's 362 names, scattered, so the allowed numbers form many ranges.
        var g = SeededGenerator(seed: 300)
        let names = SyscallTable.forArch(.x86_64).entries.map(\.name).shuffled(using: &g).prefix(300)
        let policy = try policyFrom("x86_64 {\n    if {$nr in {\(names.joined(separator: " "))}} { return allow }\n    return errno EPERM\n}\n")
        let o2 = try Compiler.compile(policy, level: .optimizing)
        let o0 = try Compiler.compile(policy, level: .direct)
        let listing = Listing.print(o2.program.instructions)
        let jge = listing.split(separator: "\n").filter { $0.contains(" 0x35 ") }.count
        let jeq = listing.split(separator: "\n").filter { $0.contains(" 0x15 ") }.count
        XCTAssertGreaterThan(jge, 10, "range dispatch uses JGE")
        XCTAssertLessThan(jeq, 40, "no JEQ chain:\n\(listing)")
        var worst = 0, total = 0, total0 = 0
        let e2 = Emulator(o2.program), e0 = Emulator(o0.program)
        for entry in SyscallTable.forArch(.x86_64).entries {
            let data = SeccompData(arch: .x86_64, nr: entry.number)
            let r = e2.run(data)
            XCTAssertEqual(r.value, names.contains(entry.name) ? SeccompReturn.allow.rawValue : SeccompReturn.errno(1).rawValue)
            worst = max(worst, r.executed)
            total += r.executed
            total0 += e0.run(data).executed
        }
        let mean = Double(total) / Double(SyscallTable.forArch(.x86_64).entries.count)
        XCTAssertLessThanOrEqual(worst, 16, "a balanced search: the depth grows with log(ranges)")
        print("300-syscall allowlist: -O2 \(o2.program.count) instructions, mean \(mean) executed, worst \(worst); -O0 \(o0.program.count), mean \(Double(total0) / Double(SyscallTable.forArch(.x86_64).entries.count))")
    }

    /// Every syscall allowed whatever its arguments sits on a path that reads
    /// only arch and nr, so the kernel's action cache can hold it.
    func testArgumentFreeAllowsStayCacheable() throws {
        for sample in samples {
            let policy = try samplePolicy(sample)
            let o2 = try Compiler.compile(policy, level: .optimizing)
            var cacheable = 0
            for block in policy.blocks where ActionCache.kernelCaches(block.arch) {
                for entry in SyscallTable.forArch(block.arch).entries {
                    let residual = Specializer.specialize(block.statements, nr: entry.number)
                    guard case .return(.allow, _)? = residual.first else { continue }
                    XCTAssertTrue(ActionCache.isConstantAllow(o2.program, auditArch: block.arch.auditArch, nr: entry.number),
                                  "\(sample): \(block.arch) \(entry.name) is allowed outright but not cacheable")
                    cacheable += 1
                }
            }
            XCTAssertGreaterThan(cacheable, 0, sample)
        }
    }

    func testAPolicyTooLargeForTheKernelIsAClearError() throws {
        // Each rule tests another argument than the one before: no load is shared,
        // so each costs five instructions (two loads, two compares, a return).
        // Every constant has its own upper word, so no field can be kept in
        // scratch memory (NormalizedFields needs one shared upper word).
        let rules = (0..<900).map { "    if {$args(\($0 % 6)) == \(UInt64($0 + 1) << 32 | UInt64($0 * 7))} { return errno \($0 % 4000 + 1) }" }.joined(separator: "\n")
        let policy = try policyFrom("x86_64 {\n\(rules)\n    return allow\n}\n")
        XCTAssertThrowsError(try Compiler.compile(policy, level: .optimizing)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("the filter needs at least "), text)
            XCTAssertTrue(text.contains("instructions at -O2; the kernel accepts at most 4096"), text)
        }
    }

    /// The same policy with one upper word for every constant fits: each
    /// argument is kept in scratch memory and a test is one load and one jump.
    func testManyEqualityTestsOfOneUpperWordFitWithFieldsInScratchMemory() throws {
        let rules = (0..<900).map { "    if {$args(\($0 % 6)) == \(0x1_0000_0000 + $0 * 7)} { return errno \($0 % 4000 + 1) }" }.joined(separator: "\n")
        let policy = try policyFrom("x86_64 {\n\(rules)\n    return allow\n}\n")
        let program = try Compiler.compile(policy, level: .optimizing).program
        XCTAssertLessThan(program.count, 4096)
        XCTAssertTrue(program.instructions.contains { $0 == .store(1) } && program.instructions.contains { $0 == .loadMemory(6) })
        let emulator = Emulator(program)
        for i in [0, 1, 5, 450, 899] {
            var args = [UInt64](repeating: 0, count: 6)
            args[i % 6] = 0x1_0000_0000 + UInt64(i * 7)
            XCTAssertEqual(emulator.run(SeccompData(arch: .x86_64, nr: 0, args: args)).value, 0x0005_0000 | UInt32(i % 4000 + 1))
            args[i % 6] = UInt64(i * 7)  // the upper word 0: no rule's
            XCTAssertEqual(emulator.run(SeccompData(arch: .x86_64, nr: 0, args: args)).value, 0x7FFF_0000)
        }
    }

    func testSixtyFourBitComparisonsAtTheirEdges() throws {
        let policy = try policyFrom("""
            x86_64 {
                if {$args(0) > 0xffffffff} { return errno 1 }
                if {$args(1) >= 0x100000000} { return errno 2 }
                if {$args(2) < 0x8000000000000000} { return errno 3 }
                if {($args(3) & 0xffffffff00000000) == 0x500000000} { return errno 4 }
                if {$args(4) & 0x8000000000000001} { return errno 5 }
                return allow
            }
            """)
        let values: [UInt64] = [0, 1, 0xFFFF_FFFF, 0x1_0000_0000, 0x5_0000_0000, 0x5_0000_0001, 1 << 63, .max, 0x7FFF_FFFF_FFFF_FFFF]
        for level in OptimizationLevel.allCases {
            let emulator = Emulator(try Compiler.compile(policy, level: level).program)
            for a in values {
                for slot in 0..<5 {
                    var args = [UInt64](repeating: 0x9000_0000_0000_0000, count: 6)
                    args[slot] = a
                    if slot != 2 { args[2] = 1 << 63 }
                    let data = SeccompData(arch: .x86_64, nr: 0, args: args)
                    XCTAssertEqual(emulator.run(data).value, Interpreter.decide(policy, data).action.rawValue, "\(level) slot \(slot) 0x\(String(a, radix: 16))")
                }
            }
        }
    }
}

/// A policy from the oracle (seed 2026, policy 5622) that tests `$nr` deep
/// inside argument checks: specialized per number it needs over 4096
/// instructions, so -O2 compiles it as written, and it still fits and agrees.
final class SpecializationFallbackTests: XCTestCase {
    func testNrTestsDeepInsideArgumentChecksStillCompileAtO2() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/nr-tests-deep-in-argument-checks.tcl")
        let policy = try policyFrom(String(contentsOf: url, encoding: .utf8))
        let o2 = try Compiler.compile(policy, level: .optimizing)
        let o0 = try Compiler.compile(policy, level: .direct)
        XCTAssertLessThanOrEqual(o2.program.count, o0.program.count)
        var inputs = SeededGenerator(seed: 5622)
        let emulator = Emulator(o2.program)
        for _ in 0..<20_000 {
            let arch = [Arch.x86_64, .x32, .i386].randomElement(using: &inputs)!
            let (nr, args) = RandomPrograms.call(arch: arch, using: &inputs)
            let data = SeccompData(arch: arch, nr: nr, instructionPointer: [0, 0x7F00_0000_0000].randomElement(using: &inputs)!, args: args)
            XCTAssertEqual(emulator.run(data).value, Interpreter.decide(policy, data).action.rawValue)
        }
    }
}
