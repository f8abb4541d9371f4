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
        let text = try Decompiler.decompile(program, source: what).text
        let result = FrontEnd.check(SourceFile(path: "lifted.tcl", text: text), read: { _ in nil })
        let errors = result.diagnostics.filter { $0.severity == .error }
        XCTAssertEqual(errors.map(\.description), [], "\(what)\n\(text)", file: file, line: line)
        let policy = try XCTUnwrap(result.policy, file: file, line: line)
        let compiled = try Compiler.compile(policy, level: .optimizing).program
        let store = WordSets()
        let found = try ProgramDiff.differences(program, compiled.instructions, in: store)
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
    /// (CORDON_DECOMPILE_PROGRAMS=1000 for the measurement). Every
    /// one is lifted and proved, those too large for the flat form nested,
    /// but for programs of over a million paths, refused with that reason.
    func testRandomPrograms() throws {
        let wanted = Int(ProcessInfo.processInfo.environment["CORDON_DECOMPILE_PROGRAMS"] ?? "") ?? 40
        var generator = PolicyGenerator(seed: 31337)
        var lifted = 0, nested = 0, refused: [String] = []
        while lifted + refused.count < wanted {
            guard let policy = try? policyFrom(generator.policy()),
                  let program = try? Compiler.compile(policy, level: lifted % 3 == 0 ? .direct : .optimizing).program else { continue }
            do {
                let text = try liftAndCheck(program.instructions, "random \(lifted)", samples: 40)
                if text.contains("\n        if {") { nested += 1 }
                lifted += 1
            } catch {
                refused.append("\(error)")
                // CORDON_DECOMPILE_FAILURES=DIR keeps each refused program for a look.
                if let dir = ProcessInfo.processInfo.environment["CORDON_DECOMPILE_FAILURES"] {
                    try Data(RawCodec.encode(program.instructions)).write(to: URL(fileURLWithPath: dir).appendingPathComponent("refused-\(refused.count).bpf"))
                }
            }
        }
        print("decompile: \(lifted) random programs lifted and proved equal (\(nested) nested), \(refused.count) refused: \(Set(refused))")
        // The one refusal allowed: a program whose paths number over a million
        // (sharing in its code that neither form can write without unfolding it).
        XCTAssertEqual(refused.filter { !$0.contains("splits its inputs into more than") }, [])
        XCTAssertLessThanOrEqual(refused.count * 100, wanted, "at most 1% refused")
    }

    /// A program whose classes are too many for the flat form is written
    /// nested, as the program makes its tests, and still proved.
    func testTheNestedFormWhereClassesAreTooMany() throws {
        var rules = ""
        for i in 0..<14 {
            rules += "    if {$nr in {read write} && $args(0) == \(i) && ($args(1) & 0x\(String(1 << (i % 16), radix: 16))) != 0} { return errno \(i + 1) }\n"
            rules += "    if {$nr in {read write} && $args(2) > \(i * 7) && $args32(3) == \(i)} { return trace \(i) }\n"
        }
        let policy = try policyFrom("x86_64 {\n\(rules)    return allow\n}\n")
        let program = try Compiler.compile(policy, level: .optimizing).program.instructions
        let text = try liftAndCheck(program, "many.bpf", samples: 500)
        XCTAssertTrue(text.contains("\n        if {"), text)
        XCTAssertTrue(text.contains("# cordon diff proved it equal"), text)
    }
}
