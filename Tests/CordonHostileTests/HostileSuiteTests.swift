import CordonBPF
import CordonCompiler
import CordonImport
import CordonLinux
import CordonPolicy
import CordonTestSupport
import Foundation
import XCTest

/// The hostile-input suite, in process: thousands of seeded inputs per
/// surface. For each: no crash, done in well under 10 s, and every refusal
/// located (a line and column inside the input, or an instruction index
/// that maps to a line). What is accepted goes through the rest of the
/// pipeline. The CLI surfaces (command lines, output paths) are in
/// HostileCLITests. Counts are printed as `hostile: SURFACE N cases ...`.
final class HostileSuiteTests: XCTestCase {
    /// Times one case; a case over 10 s is a hang.
    private func timed(_ what: @autoclosure () -> String, _ body: () throws -> Void) rethrows {
        let start = Date()
        try body()
        let seconds = Date().timeIntervalSince(start)
        XCTAssertLessThan(seconds, 10, "hang: \(what()) took \(seconds) s")
    }

    private func assertLocated(_ result: FrontEnd.Result, _ sources: [String: String], _ what: String) {
        for d in result.diagnostics {
            let text = d.location.file.bytes
            XCTAssertTrue((0...text.count).contains(d.location.offset), "\(what): \(d) outside its file")
            XCTAssertGreaterThanOrEqual(d.location.line, 1, what)
            XCTAssertFalse(d.rendered.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "\(what): raw control character in \(d.rendered)")
        }
        XCTAssertEqual(result.policy == nil, result.hasErrors, what)
    }

    /// What an accepted policy must survive: both generators (or their
    /// size error), every emitter, the validator, and agreement of the
    /// interpreter with both programs on a few calls.
    private func compileAndCompare(_ policy: IRPolicy, _ g: inout SeededGenerator, _ what: String) {
        for level in OptimizationLevel.allCases {
            guard let compiled = try? Compiler.compile(policy, level: level) else { continue }
            XCTAssertTrue(Validator.refusals(compiled.program.instructions).isEmpty, what)
            for format in OutputFormat.allCases {
                XCTAssertFalse(Emitter.emit(compiled, as: format, EmitContext(name: "p", policyPath: "p\u{1B}*/.tcl")).isEmpty, what)
            }
            let emulator = Emulator(compiled.program)
            for _ in 0..<8 {
                let arch = Arch.allCases.randomElement(using: &g)!
                let table = SyscallTable.forArch(arch)
                let nr = Bool.random(using: &g) ? table.entries.randomElement(using: &g)!.number : UInt32.random(in: 0...UInt32.max, using: &g)
                let data = SeccompData(arch: arch, nr: nr, args: (0..<6).map { _ in [0, 1, 2, 0xffffffff, UInt64.max, UInt64.random(in: 0...UInt64.max, using: &g)].randomElement(using: &g)! })
                XCTAssertEqual(emulator.run(data).value, Interpreter.decide(policy, data).action.rawValue, "\(what) at \(level) on \(data)")
            }
        }
    }

    func testPoliciesAndSourceTrees() {
        var g = SeededGenerator(seed: 0x5EC0_0001)
        var cases = 0, refused = 0, compiled = 0
        for n in 0..<3_000 {
            let text = HostileInputs.policy(&g)
            let files = n % 6 == 0 ? HostileInputs.sourceTree(&g) : ["inc.tcl": "set INC 1\n"]
            let what = "policy case \(n): \(text.prefix(200))"
            timed(what) {
                let result = FrontEnd.check(SourceFile(path: "p.tcl", text: (n % 6 == 0 ? "source f0.tcl\n" : "") + text),
                                            load: { path in files[(path as NSString).lastPathComponent].map { .text($0) } ?? .unreadable("no such file") })
                assertLocated(result, files, what)
                if let policy = result.policy {
                    compiled += 1
                    compileAndCompare(policy, &g, what)
                } else {
                    refused += 1
                }
            }
            cases += 1
        }
        print("hostile: policies and source trees \(cases) cases, \(refused) refused with located errors, \(compiled) compiled and compared")
        XCTAssertGreaterThan(compiled, 100)
        XCTAssertGreaterThan(refused, 1_000)
    }

    func testAssemblerText() {
        var g = SeededGenerator(seed: 0x5EC0_0002)
        var cases = 0, refused = 0, assembled = 0
        for n in 0..<2_000 {
            let text = HostileInputs.asmText(&g)
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count
            timed("asm case \(n)") {
                do {
                    let instructions = try AssemblerText.parse(text)
                    let numbers = AssemblerText.instructionLineNumbers(text)
                    XCTAssertEqual(numbers.count, instructions.count, "asm case \(n): every instruction has its line")
                    for refusal in Validator.refusals(instructions) {
                        if let index = refusal.index { XCTAssertLessThan(index, numbers.count, "asm case \(n)") }
                    }
                    assembled += 1
                } catch let error as TextFormatError {
                    XCTAssertTrue((1...max(1, lines)).contains(error.line), "asm case \(n): line \(error.line) of \(lines)")
                    XCTAssertGreaterThanOrEqual(error.column, 1)
                    refused += 1
                } catch {
                    XCTFail("asm case \(n): \(error)")
                }
            }
            cases += 1
        }
        print("hostile: asm text \(cases) cases, \(refused) refused at a line, \(assembled) parsed")
        XCTAssertGreaterThan(refused, 100)
    }

    func testRawPrograms() {
        var g = SeededGenerator(seed: 0x5EC0_0003)
        var cases = 0, valid = 0
        for n in 0..<2_000 {
            let bytes = HostileInputs.rawProgram(&g)
            timed("raw case \(n)") {
                guard let instructions = try? RawCodec.decode(bytes) else { return }
                let listing = Listing.print(instructions)
                XCTAssertEqual(try? Listing.parse(listing), instructions, "raw case \(n): listing round trip")
                guard let program = try? Validator.validate(instructions) else {
                    XCTAssertFalse(Validator.refusals(instructions).isEmpty)
                    return
                }
                valid += 1
                let emulator = Emulator(program)
                for _ in 0..<16 {
                    let data = SeccompData(arch: .x86_64, nr: UInt32.random(in: 0...400, using: &g), args: [UInt64.random(in: 0...UInt64.max, using: &g)])
                    XCTAssertLessThanOrEqual(emulator.run(data).executed, program.count, "raw case \(n): forward jumps only")
                }
            }
            cases += 1
        }
        print("hostile: raw programs \(cases) cases, \(valid) valid and emulated")
        XCTAssertGreaterThan(valid, 20)
    }

    /// An accepted profile always becomes a policy that checks without
    /// error and has exactly the filter's blocks: no profile string turns
    /// into code.
    func testDockerProfiles() throws {
        let docker = try [UInt8](Data(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/docker/default.json")))
        let small = Array("""
            {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1, "archMap": [{"architecture": "SCMP_ARCH_X86_64",
             "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}], "syscalls": [
             {"names": ["read", "write", "socket"], "action": "SCMP_ACT_ALLOW", "comment": "",
              "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}], "includes": {"caps": ["CAP_SYS_ADMIN"], "minKernel": "4.8"}},
             {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "comment": "", "excludes": {"arches": ["amd64"]}}]}
            """.utf8)
        var g = SeededGenerator(seed: 0x5EC0_0004)
        var cases = 0, refused = 0, converted = 0
        for n in 0..<2_000 {
            let bytes = HostileInputs.profile(n % 20 == 0 ? docker : small, &g)
            timed("profile case \(n)") {
                do {
                    let profile = try Profile.decode(bytes)
                    let resolved = ResolvedProfile(profile, ImportOptions(capabilities: n % 2 == 0 ? ["CAP_SYS_ADMIN"] : []))
                    let text = try PolicyWriter.write(resolved, source: "p\u{1B}{}.json", notice: ["x\n}", "{"])
                    let result = FrontEnd.check(SourceFile(path: "p.tcl", text: text), read: { _ in nil })
                    XCTAssertFalse(result.hasErrors, "profile case \(n): \(result.diagnostics.first.map(\.description) ?? "")")
                    XCTAssertEqual(Set(result.policy?.blocks.map(\.arch) ?? []), Set(resolved.arches), "profile case \(n): blocks")
                    converted += 1
                } catch let error as ImportError {
                    if let line = error.line {
                        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
                        XCTAssertTrue((1...lines).contains(line), "profile case \(n): line \(line) of \(lines)")
                    }
                    XCTAssertFalse(error.message.unicodeScalars.contains { $0.value < 0x20 }, "profile case \(n): raw control character in \(error.message)")
                    refused += 1
                } catch {
                    XCTFail("profile case \(n): \(error)")
                }
            }
            cases += 1
        }
        print("hostile: Docker JSON \(cases) cases, \(refused) refused, \(converted) converted and checked")
        XCTAssertGreaterThan(refused, 200)
        XCTAssertGreaterThan(converted, 200)
    }
}
