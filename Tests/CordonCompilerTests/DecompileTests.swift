import CordonBPF
import CordonCompiler
import CordonLinux
import CordonOracle
import CordonPolicy
import CordonTestSupport
import Foundation
import XCTest

/// `cordon decompile`'s lifter: the policy it writes for a program, compiled
/// again, decides every input the kernel can pass as the program does (by
/// exact diff), the emulator running the program agrees with the
/// interpreter running the lifted policy on sampled inputs, and the lifted
/// expect lines pass. On every sample at -O0 and -O2, OpenSSH's hand-written
/// filter, and the oracle's random programs.
final class DecompileTests: XCTestCase {
    /// Lifts `program` and checks it; returns the lifted policy's text.
    @discardableResult
    private func liftAndCheck(_ program: [Instruction], _ what: String, samples: Int = 200,
                              file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let text = try PolicyLifter.lift(program, source: what)
        let result = FrontEnd.check(SourceFile(path: "lifted.tcl", text: text), read: { _ in nil })
        let errors = result.diagnostics.filter { $0.severity == .error }
        XCTAssertEqual(errors.map(\.description), [], "\(what)\n\(text)", file: file, line: line)
        let policy = try XCTUnwrap(result.policy, file: file, line: line)
        let compiled = try Compiler.compile(policy, level: .optimizing).program
        let store = WordSets()
        let found = try ProgramDiff.differences(program, compiled.instructions, in: store, limit: 400_000)
        XCTAssertEqual(ProgramDiff.realizable(found.differences, in: store).count, 0, "\(what)\n\(text)", file: file, line: line)
        let report = PolicyTests.run(policy)
        XCTAssertEqual(report.failures.count, 0, "\(what): \(report.failures)", file: file, line: line)
        // The program in the emulator against the lifted policy in the interpreter.
        let emulator = Emulator(try Validator.validate(program))
        var inputs = InputGenerator(policy: policy, seed: 99)
        for _ in 0..<samples {
            let (_, data) = inputs.next()
            // On i386 and arm the kernel passes 32-bit values: other inputs cannot happen.
            if Arch.of(auditArch: data.arch, nr: data.nr)?.argumentBits == 32,
               data.instructionPointer > 0xFFFF_FFFF || data.args.contains(where: { $0 > 0xFFFF_FFFF }) { continue }
            XCTAssertEqual(emulator.run(data).value, Interpreter.decide(policy, data).action.rawValue, "\(what): \(data)", file: file, line: line)
        }
        return text
    }

    func testSamplesAtO0AndO2() throws {
        for name in ["nonet.tcl", "dropnet.tcl", "stdio.tcl", "build-nonet.tcl", "no-namespaces.tcl", "docker-default.tcl"] {
            let policy = try samplePolicy(name)
            for level in [OptimizationLevel.direct, .optimizing] {
                try liftAndCheck(try Compiler.compile(policy, level: level).program.instructions, "\(name) \(level)")
            }
        }
    }

    func testOpenSSHsPreauthFilter() throws {
        let url = TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/openssh/preauth-x86_64.bpf")
        let program = try RawCodec.decode([UInt8](Data(contentsOf: url)))
        let text = try liftAndCheck(program, "preauth-x86_64.bpf", samples: 2000)
        XCTAssertTrue(text.contains("\nbadarch kill_thread\n"), text)
        XCTAssertTrue(text.contains("    if {$nr in {open stat fstat lstat shmget shmat shmdt openat newfstatat statx}} {\n        return errno EACCES\n"), text)
    }

    /// The oracle's random policies, compiled: 40 in the suite
    /// (CORDON_DECOMPILE_PROGRAMS=1000 for the measurement).
    func testRandomPrograms() throws {
        let wanted = Int(ProcessInfo.processInfo.environment["CORDON_DECOMPILE_PROGRAMS"] ?? "") ?? 40
        var generator = PolicyGenerator(seed: 31337)
        var lifted = 0, tooLarge: [String] = []
        while lifted + tooLarge.count < wanted {
            guard let policy = try? policyFrom(generator.policy()),
                  let program = try? Compiler.compile(policy, level: lifted % 3 == 0 ? .direct : .optimizing).program else { continue }
            do {
                try liftAndCheck(program.instructions, "random \(lifted)", samples: 40)
                lifted += 1
            } catch {
                // A set the lifter writes as thousands of masked patterns can
                // make a policy too large to compile again: counted, never wrong.
                tooLarge.append("\(error)")
            }
        }
        print("decompile: \(lifted) random programs lifted and proved equal, \(tooLarge.count) too large to write back: \(Set(tooLarge))")
        XCTAssertLessThanOrEqual(tooLarge.count * 20, wanted, "at most 5% too large")
    }
}
