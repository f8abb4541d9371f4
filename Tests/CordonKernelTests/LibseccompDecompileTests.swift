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

    /// Docker's default profile as runc loads it into libseccomp (Debian's
    /// python3-seccomp, Tests/Fixtures/libseccomp/profile.py): `cordon
    /// decompile` writes it with names (`$args(family)`, clone's flags by
    /// name), `cordon diff` of the program and the lift finds nothing, and
    /// the emulator agrees with the lifted policy's interpreter on sampled inputs.
    func testDockersProfileAsLibseccompBuildsIt() throws {
        let dir = try TestEnvironment.temporaryDirectory("libseccomp-docker")
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = TestEnvironment.packageRoot.path
        let built = try runShell("/usr/bin/python3 '\(root)/Tests/Fixtures/libseccomp/profile.py' '\(root)/Tests/Fixtures/docker/default.json' docker.bpf",
                                 currentDirectory: dir)
        XCTAssertEqual(built.status, 0, "needs python3-seccomp (scripts/install-deps.sh): \(built.stderr)")
        let lift = try runCordon(["decompile", "docker.bpf", "-o", "docker.tcl"], currentDirectory: dir)
        XCTAssertEqual(lift.status, 0, lift.stderr)
        let text = try String(contentsOf: dir.appendingPathComponent("docker.tcl"), encoding: .utf8)
        XCTAssertTrue(text.contains("# cordon diff proved it equal to the program on every input the kernel can pass"), text)
        XCTAssertTrue(text.contains("\nbadarch kill_thread\n"), text)
        for block in ["x86_64 {", "i386 {", "x32 {"] { XCTAssertTrue(text.contains("\n\(block)\n"), block) }
        // The high-word hole, written as libseccomp tests it: the low word by name, the high word apart.
        XCTAssertTrue(text.contains("if {$nr eq socket && !($args(family) == AF_ALG || $args(family) == AF_VSOCK) && ($args(0) & 0xffffffff00000000) == 0} {"), text)
        XCTAssertTrue(text.contains("if {$nr eq socket && $args(0) >= 0x100000000} {\n        return allow"), text)
        XCTAssertTrue(text.contains("($args(clone_flags) & (CLONE_NEWNS|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNET)) == 0"), text)
        let same = try runCordon(["diff", "docker.bpf", "docker.tcl"], currentDirectory: dir)
        XCTAssertEqual(same.status, 0, same.stdout + same.stderr)
        XCTAssertTrue(same.stdout.contains("decide alike on every input"), same.stdout)
        let check = try runCordon(["test", "docker.tcl"], currentDirectory: dir)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)

        // An independent emulator: libseccomp's program against the lifted policy's interpreter.
        let program = try RawCodec.decode([UInt8](Data(contentsOf: dir.appendingPathComponent("docker.bpf"))))
        let result = FrontEnd.check(SourceFile(path: "docker.tcl", text: text), read: { _ in nil })
        let policy = try XCTUnwrap(result.policy, "\(result.diagnostics)")
        let emulator = Emulator(try Validator.validate(program))
        var g = SeededGenerator(seed: 11)
        for _ in 0..<5000 {
            let arch = [Arch.x86_64, .i386, .x32, .aarch64].randomElement(using: &g)!
            var (nr, args) = RandomPrograms.call(arch: arch, using: &g)
            if Bool.random(using: &g) { nr = arch == .x32 ? 41 | Arch.x32SyscallBit : SyscallTable.forArch(arch).number(of: "socket") ?? nr }
            let data = SeccompData(arch: arch, nr: nr, args: arch.argumentBits == 32 ? args.map { $0 & 0xFFFF_FFFF } : args)
            XCTAssertEqual(emulator.run(data).value, Interpreter.decide(policy, data).action.rawValue, "\(data)")
        }
    }

    /// What cordon's import of Docker's profile and libseccomp's build of it
    /// disagree on, by `cordon diff`: only the badarch action (libseccomp's
    /// KILL, a thread; cordon's kill_process) and syscalls this libseccomp
    /// cannot name (runc skips them, so they fall to the default errno),
    /// which the import allows. The argument rules (socket's high word,
    /// personality, clone's flags) decide alike on every input.
    func testTheImportAndLibseccompDisagreeOnlyWhereLibseccompLacksNames() throws {
        let dir = try TestEnvironment.temporaryDirectory("libseccomp-docker-import")
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = TestEnvironment.packageRoot.path
        let built = try runShell("/usr/bin/python3 '\(root)/Tests/Fixtures/libseccomp/profile.py' '\(root)/Tests/Fixtures/docker/default.json' docker.bpf",
                                 currentDirectory: dir)
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertEqual(try runCordon(["import", "\(root)/Tests/Fixtures/docker/default.json", "-o", "docker.tcl"], currentDirectory: dir).status, 0)
        let diff = try runCordon(["diff", "docker.bpf", "docker.tcl"], currentDirectory: dir)
        XCTAssertEqual(diff.status, 1, diff.stdout + diff.stderr)
        var unknown: [String: [String]] = [:]
        for line in diff.stdout.split(separator: "\n").dropFirst().dropLast() {
            let fields = line.components(separatedBy: "  ")
            XCTAssertEqual(fields.count, 4, String(line))
            guard fields.count == 4 else { continue }
            if fields[3] == "kill_thread -> kill_process" {
                XCTAssertEqual(fields[1...2], ["any syscall", "always"], String(line))
                continue
            }
            XCTAssertEqual(fields[2...3], ["always", "errno 1 (EPERM) -> allow"], String(line))
            unknown[fields[0], default: []] += fields[1].split(separator: " ").map(String.init)
        }
        XCTAssertFalse(unknown.isEmpty, diff.stdout)
        // Each such name is one libseccomp does not know on that architecture
        // (resolve_syscall gives -1, or a negative pseudo number where libseccomp
        // thinks the syscall does not exist there).
        let arches = ["x86_64": "X86_64", "i386": "X86", "x32": "X32"]
        for (arch, names) in unknown {
            let script = "import seccomp\nfor n in \(names.map { "'\($0)'" }):\n    try:\n        if seccomp.resolve_syscall(seccomp.Arch.\(arches[arch] ?? "?"), n) >= 0:\n            print('known', n)\n    except Exception:\n        pass\n"
            try script.write(to: dir.appendingPathComponent("known.py"), atomically: true, encoding: .utf8)
            let known = try runShell("/usr/bin/python3 known.py", currentDirectory: dir)
            XCTAssertEqual(known.status, 0, known.stderr)
            XCTAssertEqual(known.stdout, "", "\(arch): libseccomp knows these, yet its filter refuses them: \(known.stdout)")
        }
    }
}
