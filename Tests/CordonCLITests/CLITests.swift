import CordonBPF
import CordonTestSupport
import Foundation
import XCTest

/// The commands of this foundation, driven as a user would drive them.
final class CLITests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try TestEnvironment.temporaryDirectory("cli")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// dropnet's x86_64 rule as a program: socket with a family other than AF_UNIX fails with EINVAL.
    let dropnet: [Instruction] = [
        .load(4), .jump(.eq, 0xC000_003E, jt: 0, jf: 8), .load(0), .jump(.ge, 0x4000_0000, jt: 6, jf: 0),
        .jump(.eq, 41, jt: 0, jf: 4), .load(16), .jump(.eq, 1, jt: 2, jf: 0), .ret(0x0005_0016),
        .ret(0x8000_0000), .ret(0x7FFF_0000), .ret(0x8000_0000),
    ]

    private func write(_ instructions: [Instruction], _ name: String = "f.bpf") throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(RawCodec.encode(instructions)).write(to: url)
        return url.path
    }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testDisasmPrintsTheListingAndGoseccoText() throws {
        let path = try write(dropnet)
        let listing = try runCordon(["disasm", path])
        XCTAssertEqual(listing.status, 0)
        XCTAssertEqual(listing.stdout, Listing.print(dropnet))
        XCTAssertTrue(listing.stdout.contains("0001: 0x15 0x00 0x08 0xc000003e  if (A != ARCH_X86_64) goto 0010\n"))
        XCTAssertTrue(listing.stdout.contains("if (A != socket) goto 0009"))
        let gosecco = try runCordon(["disasm", path, "--format", "gosecco"])
        XCTAssertEqual(gosecco.status, 0)
        XCTAssertTrue(gosecco.stdout.hasPrefix("ld_abs\t4\njeq_k\t00\t08\tC000003E\nld_abs\t0\njge_k\t06\t00\t40000000\n"), gosecco.stdout)
    }

    func testDisasmErrors() throws {
        let odd = try file("odd.bpf", "abc")
        XCTAssertEqual(try runCordon(["disasm", odd]).stderr, "\(odd): the file has 3 bytes, not a multiple of 8: it is not a raw BPF program\n")
        XCTAssertEqual(try runCordon(["disasm", odd]).status, 1)
        let missing = dir.appendingPathComponent("missing.bpf").path
        XCTAssertEqual(try runCordon(["disasm", missing]).stderr, "\(missing): cannot read the file: No such file or directory\n")
        XCTAssertEqual(try runCordon(["disasm"]).status, 2)
        XCTAssertEqual(try runCordon(["disasm", odd, "--format", "hex"]).status, 2)
    }

    func testAsmWritesRawBytesFromEitherText() throws {
        for (name, text) in [("l.txt", Listing.print(dropnet)), ("g.s", try GoseccoText.print(dropnet))] {
            let source = try file(name, text)
            let out = dir.appendingPathComponent(name + ".bpf").path
            let result = try runCordon(["asm", source, "-o", out])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual([UInt8](try Data(contentsOf: URL(fileURLWithPath: out))), RawCodec.encode(dropnet), name)
        }
        // Without -o the bytes go to standard output.
        let toStdout = try runCordon(["asm", try file("g2.s", "ret_k\t7FFF0000\n")])
        XCTAssertEqual([UInt8](toStdout.stdoutData), RawCodec.encode([.ret(0x7FFF_0000)]))
    }

    func testAsmErrorsAreLocatedAndLeaveTheOutputAlone() throws {
        let out = dir.appendingPathComponent("keep.bpf").path
        try Data("precious".utf8).write(to: URL(fileURLWithPath: out))
        let bad = try file("bad.s", "ld_abs\t4\nld_abz\t0\nret_k\t0\n")
        let result = try runCordon(["asm", bad, "-o", out])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "\(bad):2:1: error: unknown mnemonic 'ld_abz'\n")
        XCTAssertEqual(String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self), "precious")

        let refused = try file("refused.s", "ld_abs\t2\nret_k\t0\n")
        let refusal = try runCordon(["asm", refused, "-o", out])
        XCTAssertEqual(refusal.status, 1)
        XCTAssertEqual(refusal.stderr, "\(refused):1:1: error: instruction 0: load from offset 2 is not 4-byte aligned\n")
        XCTAssertEqual(String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self), "precious")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp") || $0.contains(".cordon-") }
        XCTAssertEqual(leftovers, [])
    }

    func testEmulateRunsARawProgram() throws {
        let path = try write(dropnet)
        let cases: [([String], String)] = [
            (["x86_64", "socket", "AF_INET"], "errno 22 (EINVAL)  at instruction 7  8 instructions executed\n"),
            (["x86_64", "socket", "AF_UNIX"], "allow  at instruction 9  8 instructions executed\n"),
            (["x86_64", "41", "2"], "errno 22 (EINVAL)  at instruction 7  8 instructions executed\n"),
            (["x86_64", "read"], "allow  at instruction 9  6 instructions executed\n"),
            (["x32", "read"], "kill_process  at instruction 10  5 instructions executed\n"),
            (["i386", "socket", "2"], "kill_process  at instruction 10  3 instructions executed\n"),
            (["x86_64", "socket", "-1"], "errno 22 (EINVAL)  at instruction 7  8 instructions executed\n"),
        ]
        for (args, expected) in cases {
            let result = try runCordon(["emulate", "--bpf", path] + args)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, expected, args.joined(separator: " "))
        }
        let traced = try runCordon(["emulate", "--bpf", path, "x86_64", "read", "--trace"])
        XCTAssertEqual(traced.stdout.split(separator: "\n").count, 7)
        XCTAssertTrue(traced.stdout.contains("  0009: 0x06 0x00 0x00 0x7fff0000  return ALLOW"))
    }

    func testEmulateErrors() throws {
        let path = try write(dropnet)
        let unknown = try runCordon(["emulate", "--bpf", path, "x86_64", "sockett"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "unknown syscall 'sockett' on x86_64\n")
        let arch = try runCordon(["emulate", "--bpf", path, "sparc", "read"])
        XCTAssertEqual(arch.status, 2)
        let value = try runCordon(["emulate", "--bpf", path, "x86_64", "read", "AF_NOPE"])
        XCTAssertEqual(value.status, 1)
        XCTAssertEqual(value.stderr, "'AF_NOPE' is neither an integer nor a known constant\n")
        let invalid = try write([.load(0)], "invalid.bpf")
        let refused = try runCordon(["emulate", "--bpf", invalid, "x86_64", "read"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "\(invalid): the kernel would refuse this program: instruction 0: the last instruction is LD|W|ABS, not a return\n")
    }

    /// The hand-written listing sample assembles and decides as its comments say.
    func testTheListingSample() throws {
        let out = dir.appendingPathComponent("nonet.bpf").path
        let asm = try runCordon(["asm", "samples/bpf/nonet-x86_64.lst", "-o", out], currentDirectory: TestEnvironment.packageRoot)
        XCTAssertEqual(asm.status, 0, asm.stderr)
        XCTAssertEqual(try runCordon(["emulate", "--bpf", out, "x86_64", "socket", "AF_INET"]).stdout,
                       "errno 22 (EINVAL)  at instruction 7  8 instructions executed\n")
        XCTAssertEqual(try runCordon(["emulate", "--bpf", out, "x32", "read"]).stdout,
                       "kill_process  at instruction 10  5 instructions executed\n")
    }

    func testUnknownCommandsAreUsageErrors() throws {
        let result = try runCordon(["frobnicate"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.hasPrefix("cordon: unknown command 'frobnicate'\nusage: cordon COMMAND"))
        XCTAssertEqual(try runCordon([]).status, 2)
        XCTAssertEqual(try runCordon(["--help"]).status, 0)
    }
}
