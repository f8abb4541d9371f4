import CordonBPF
import CordonCompiler
import CordonLinux
import CordonPolicy
import CordonTestSupport
import Foundation
import XCTest

/// 200 random filters written by libseccomp (Tests/Fixtures/libseccomp/random.c:
/// argument rules with every comparison operator, masked equality, 32- and
/// 64-bit values, one to three ABIs), lifted by `cordon decompile`'s lifter:
/// each lifted policy, compiled, decides every input a kernel can pass as
/// libseccomp's program does, and the emulator agrees on sampled inputs.
final class LibseccompDecompileTests: XCTestCase {
    func testRandomLibseccompFiltersDecompileExactly() throws {
        let dir = try TestEnvironment.temporaryDirectory("libseccomp-random")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/libseccomp/random.c").path
        let build = try runShell("cc -Wall -o '\(dir.path)/random' '\(source)' -lseccomp && '\(dir.path)/random' '\(dir.path)' 200 7")
        XCTAssertEqual(build.status, 0, "building the generator needs libseccomp-dev (scripts/install-deps.sh): \(build.stderr)")
        var g = SeededGenerator(seed: 8)
        var withArguments = 0, classes = 0
        for i in 0..<200 {
            let program = try RawCodec.decode([UInt8](Data(contentsOf: dir.appendingPathComponent("r\(i).bpf"))))
            let text = try PolicyLifter.lift(program, source: "r\(i).bpf")
            if text.contains("$args") { withArguments += 1 }
            let result = FrontEnd.check(SourceFile(path: "r\(i).tcl", text: text), read: { _ in nil })
            let policy = try XCTUnwrap(result.policy, "r\(i): \(result.diagnostics)")
            let compiled = try Compiler.compile(policy, level: .optimizing).program
            let store = WordSets()
            let found = try ProgramDiff.differences(program, compiled.instructions, in: store)
            classes += found.classes
            XCTAssertEqual(ProgramDiff.realizable(found.differences, in: store).count, 0, "r\(i)\n\(text)")
            XCTAssertEqual(PolicyTests.run(policy).failures.count, 0, "r\(i)")
            let emulator = Emulator(try Validator.validate(program))
            for _ in 0..<50 {
                let arch = Arch.required.randomElement(using: &g)!
                let (nr, args) = RandomPrograms.call(arch: arch, using: &g)
                let data = SeccompData(arch: arch, nr: nr, args: arch.argumentBits == 32 ? args.map { $0 & 0xFFFF_FFFF } : args)
                XCTAssertEqual(emulator.run(data).value, Interpreter.decide(policy, data).action.rawValue, "r\(i): \(data)")
            }
        }
        print("libseccomp: 200 random filters lifted and proved equal, \(withArguments) with argument rules, \(classes) classes compared")
        XCTAssertGreaterThan(withArguments, 100)
    }
}
