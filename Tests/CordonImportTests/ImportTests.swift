import CordonBPF
import CordonCompiler
import CordonImport
import CordonLinux
import CordonPolicy
import CordonTestSupport
import Foundation
import XCTest

/// Docker's default profile, converted: the policy decides every syscall as
/// the JSON does, read directly, with and without the argument values its
/// rules test; so does the compiled -O2 program.
final class ImportTests: XCTestCase {
    let fixture = TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/docker/default.json")

    private func profile() throws -> Profile {
        try Profile.decode([UInt8](Data(contentsOf: fixture)))
    }

    private func convert(_ options: ImportOptions = ImportOptions()) throws -> (ResolvedProfile, IRPolicy, String) {
        let resolved = ResolvedProfile(try profile(), options)
        let text = try PolicyWriter.write(resolved, source: "default.json")
        let result = FrontEnd.check(SourceFile(path: "docker.tcl", text: text), read: { _ in nil })
        XCTAssertEqual(result.diagnostics.filter { $0.severity == .error }.map(\.description), [])
        return (resolved, try XCTUnwrap(result.policy), text)
    }

    /// The argument values the profile's rules test, one off either side,
    /// and values that match none.
    private func argumentSets(_ profile: Profile) -> [[UInt64]] {
        var values: Set<UInt64> = [0, 1, 2, 0xFFFF_FFFF, 0x1_0000_0000, .max, 0x7E02_0000, 0x7E02_0001, 0x11]
        for rule in profile.syscalls ?? [] {
            for c in rule.args ?? [] {
                values.formUnion([c.value, c.value &+ 1, c.value &- 1, c.valueTwo ?? 0, ~c.value, c.value | 0x100])
            }
        }
        var sets: [[UInt64]] = [[]]
        for v in values.sorted() { sets.append([v, v, 0, 0, 0, 0]) }
        return sets
    }

    func testTheShippedSampleIsWhatImportWrites() throws {
        let notice = try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/docker/NOTICE"), encoding: .utf8)
        let lines = notice.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let text = try PolicyWriter.write(ResolvedProfile(try profile(), ImportOptions()), source: "default.json",
                                          notice: lines.last == "" ? Array(lines.dropLast()) : lines)
        let sample = try String(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("samples/docker-default.tcl"), encoding: .utf8)
        XCTAssertEqual(text, sample, "samples/docker-default.tcl is stale: cordon import Tests/Fixtures/docker/default.json --notice Tests/Fixtures/docker/NOTICE -o samples/docker-default.tcl")
        XCTAssertTrue(sample.contains("Licensed under the Apache License, Version 2.0"))
    }

    func testThePolicyDecidesEverySyscallAsTheProfileDoes() throws {
        let (resolved, policy, _) = try convert()
        let program = try Compiler.compile(policy, level: .optimizing).program
        let emulator = Emulator(program)
        let sets = argumentSets(resolved.profile)
        var compared = 0, allowed = 0
        for arch in [Arch.x86_64, .i386, .x32] {
            var numbers = SyscallTable.forArch(arch).entries.map(\.number)
            numbers += arch == .x32 ? [0x4000_0000 | 600, 0x4000_03FF] : [600, 1023, 0xFFFF_FFFF]
            for nr in numbers {
                for args in sets {
                    let data = SeccompData(arch: arch, nr: nr, args: args)
                    let expected = try ProfileSemantics.decide(resolved, arch: arch, nr: nr, args: data.args)
                    let decided = Interpreter.decide(policy, data).action
                    XCTAssertEqual(decided, expected, "\(arch) nr \(nr) args \(args)")
                    XCTAssertEqual(emulator.run(data).value, expected.rawValue, "-O2: \(arch) nr \(nr) args \(args)")
                    compared += 1
                    if expected == .allow { allowed += 1 }
                }
            }
        }
        print("docker-default: \(compared) syscall/argument cases compared (\(allowed) allowed), -O2 program \(program.count) instructions")
        XCTAssertGreaterThan(compared, 40_000)
    }

    func testWhatDockersProfileDecides() throws {
        let (_, policy, _) = try convert()
        func decide(_ arch: Arch, _ name: String, _ args: [UInt64] = []) -> SeccompReturn {
            Interpreter.decide(policy, SeccompData(arch: arch, nr: SyscallTable.forArch(arch).number(of: name)!, args: args)).action
        }
        XCTAssertEqual(decide(.x86_64, "read"), .allow)
        XCTAssertEqual(decide(.x86_64, "socket", [2]), .allow)
        XCTAssertEqual(decide(.x86_64, "socket", [40]), .errno(1), "AF_VSOCK is refused")
        XCTAssertEqual(decide(.x86_64, "socket", [38]), .errno(1))
        XCTAssertEqual(decide(.x86_64, "clone", [0x11]), .allow)
        XCTAssertEqual(decide(.x86_64, "clone", [0x1000_0000]), .errno(1), "CLONE_NEWUSER needs CAP_SYS_ADMIN")
        XCTAssertEqual(decide(.x86_64, "clone3"), .errno(38))
        XCTAssertEqual(decide(.x86_64, "mount"), .errno(1))
        XCTAssertEqual(decide(.x86_64, "ptrace"), .allow, "minKernel 4.8 is taken as met")
        XCTAssertEqual(decide(.i386, "socketcall", [1]), .allow, "i386 reaches socket through socketcall (cordon warns)")
        XCTAssertEqual(decide(.x32, "read"), .allow)
        XCTAssertEqual(Interpreter.decide(policy, SeccompData(arch: .aarch64, nr: 63)).action, .killProcess, "not in the filter: badarch")
    }

    func testOptionsChooseTheRules() throws {
        let (_, admin, _) = try convert(ImportOptions(capabilities: ["CAP_SYS_ADMIN"]))
        let clone = SeccompData(arch: .x86_64, nr: 56, args: [0x1000_0000])
        XCTAssertEqual(Interpreter.decide(admin, clone).action, .allow)
        XCTAssertEqual(Interpreter.decide(admin, SeccompData(arch: .x86_64, nr: 165)).action, .allow, "mount with CAP_SYS_ADMIN")
        let (_, old, text) = try convert(ImportOptions(kernel: [4, 4]))
        XCTAssertEqual(Interpreter.decide(old, SeccompData(arch: .x86_64, nr: 101)).action, .errno(1), "ptrace needs minKernel 4.8")
        XCTAssertTrue(text.contains("includes.minKernel 4.8"))
        let (resolved, arm, armText) = try convert(ImportOptions(host: "arm64"))
        XCTAssertEqual(resolved.arches, [.aarch64, .arm])
        XCTAssertTrue(armText.contains("\naarch64 {\n") && armText.contains("\narm {\n"))
        XCTAssertEqual(Interpreter.decide(arm, SeccompData(arch: .arm, nr: SyscallTable.forArch(.arm).number(of: "arm_fadvise64_64")!)).action, .allow)
        XCTAssertEqual(Interpreter.decide(arm, SeccompData(arch: .x86_64, nr: 0)).action, .killProcess)
    }

    func testRepeatedIndexesAreAlternatives() throws {
        let json = """
            {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
              {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
               "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 9, "op": "SCMP_CMP_EQ"}]},
              {"names": ["write"], "action": "SCMP_ACT_LOG",
               "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 2, "value": 4096, "op": "SCMP_CMP_LE"}]},
              {"names": ["kill"], "action": "SCMP_ACT_KILL"},
              {"names": ["uname"], "action": "SCMP_ACT_TRACE", "errnoRet": 7}
            ]}
            """
        let resolved = ResolvedProfile(try Profile.decode(Array(json.utf8)), ImportOptions())
        let text = try PolicyWriter.write(resolved, source: "t.json")
        XCTAssertTrue(text.contains("if {$nr eq \"personality\" && ($args(0) == 8 || $args(0) == 9)} {"), text)
        XCTAssertTrue(text.contains("if {$nr eq \"write\" && $args(0) == 1 && $args(2) <= 4096} {"), text)
        let policy = try XCTUnwrap(FrontEnd.check(SourceFile(path: "t.tcl", text: text), read: { _ in nil }).policy)
        for (nr, args, expected) in [(135 as UInt32, [8 as UInt64], SeccompReturn.allow), (135, [9], .allow), (135, [10], .errno(1)),
                                     (1, [1, 0, 4096], .log), (1, [1, 0, 4097], .errno(1)), (62, [], .killThread), (63, [], .trace(7))] {
            let data = SeccompData(arch: .x86_64, nr: nr, args: args)
            XCTAssertEqual(Interpreter.decide(policy, data).action, expected, "nr \(nr) \(args)")
            XCTAssertEqual(try ProfileSemantics.decide(resolved, arch: .x86_64, nr: nr, args: data.args), expected)
        }
    }

    func testBadProfilesAreClearErrors() throws {
        XCTAssertThrowsError(try Profile.decode(Array("{\"defaultAction\": ".utf8))) {
            XCTAssertEqual(($0 as? ImportError)?.rendered(path: "p.json"), "p.json:1:19: error: not valid JSON: unexpected end of input")
        }
        XCTAssertThrowsError(try Profile.decode(Array("{\"syscalls\": []}".utf8))) {
            XCTAssertEqual(($0 as? ImportError)?.rendered(path: "p.json"), "p.json:1:1: error: the profile has no \"defaultAction\"")
        }
        XCTAssertThrowsError(try Profile.decode(Array("{\"defaultAction\": \"SCMP_ACT_FROB\"}".utf8))) {
            XCTAssertEqual(($0 as? ImportError)?.rendered(path: "p.json"), "p.json:1:1: error: unknown action \"SCMP_ACT_FROB\" (did you mean SCMP_ACT_LOG?)")
        }
        let dir = try TestEnvironment.temporaryDirectory("import")
        try Data("not json".utf8).write(to: dir.appendingPathComponent("bad.json"))
        let result = try runCordon(["import", "bad.json", "-o", "out.tcl"], currentDirectory: dir)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "bad.json:1:1: error: not valid JSON: invalid character 'n' looking for the beginning of a value\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.tcl").path))
    }

    func testTheCommandLine() throws {
        let dir = try TestEnvironment.temporaryDirectory("import")
        let result = try runCordon(["import", fixture.path, "-o", "p.tcl", "--cap", "CAP_SYS_ADMIN", "--cap", "CAP_SYS_PTRACE", "--arch", "x86_64"], currentDirectory: dir)
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOf: dir.appendingPathComponent("p.tcl"), encoding: .utf8)
        XCTAssertTrue(text.contains("capabilities CAP_SYS_ADMIN CAP_SYS_PTRACE"))
        let check = try runCordon(["check", "p.tcl"], currentDirectory: dir)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(try runCordon(["import", fixture.path, "--arch", "sparc"], currentDirectory: dir).status, 2)
    }
}
