import CordonBPF
import CordonTestSupport
import CordonLinux
import XCTest

final class RawCodecTests: XCTestCase {
    func testEncodingIsSockFilterInHostOrder() throws {
        let bytes = RawCodec.encode([Instruction(code: 0x15, jt: 1, jf: 2, k: 0xC000_003E)])
        XCTAssertEqual(bytes, [0x15, 0x00, 0x01, 0x02, 0x3E, 0x00, 0x00, 0xC0])
        XCTAssertEqual(try RawCodec.decode(bytes), [Instruction(code: 0x15, jt: 1, jf: 2, k: 0xC000_003E)])
    }

    func testRefusesBadSizes() {
        XCTAssertThrowsError(try RawCodec.decode([])) { XCTAssertEqual($0 as? RawCodec.DecodeError, .empty) }
        XCTAssertThrowsError(try RawCodec.decode([1, 2, 3])) { XCTAssertEqual($0 as? RawCodec.DecodeError, .size(3)) }
    }
}

final class GoseccoTextTests: XCTestCase {
    /// The program and text of gosecco's own dumper and loader tests.
    let program: [Instruction] = [
        Instruction(code: 0x20, k: 0), Instruction(code: 0x15, jt: 0, jf: 8, k: 1), Instruction(code: 0x00, k: 12),
        Instruction(code: 0x04, k: 4), Instruction(code: 0x07), Instruction(code: 0x20, k: 0x14),
        Instruction(code: 0x15, jt: 0, jf: 3, k: 0), Instruction(code: 0x20, k: 0x10), Instruction(code: 0x1D, jt: 0, jf: 1),
        Instruction(code: 0x06, k: 0x7FFF_0000), Instruction(code: 0x06, k: 0),
    ]
    let text = "ld_abs\t0\njeq_k\t00\t08\t1\nld_imm\tC\nadd_k\t4\ntax\nld_abs\t14\njeq_k\t00\t03\t0\nld_abs\t10\njeq_x\t00\t01\nret_k\t7FFF0000\nret_k\t0\n"

    func testPrintsWhatGoseccoDumps() throws {
        XCTAssertEqual(try GoseccoText.print(program), text)
    }

    func testParsesWhatGoseccoLoads() throws {
        XCTAssertEqual(try GoseccoText.parse(text), program)
        XCTAssertEqual(try AssemblerText.parse(text), program)
        XCTAssertEqual(AssemblerText.detect(text), .gosecco)
    }

    func testTwoDigitJumpsInUpperCaseHex() throws {
        XCTAssertEqual(try GoseccoText.print([.jump(.set, 0xABC, jt: 0x1A, jf: 0xFF)]), "jset_k\t1A\tFF\tABC\n")
    }

    func testIgnoredFieldsAreKeptInTheFullForm() throws {
        let odd: [Instruction] = [Instruction(code: 0x1D, jt: 1, jf: 2, k: 5), Instruction(code: 0x20, jt: 7, jf: 0, k: 4), Instruction(code: 0x07, k: 9)]
        let text = try GoseccoText.print(odd)
        XCTAssertEqual(text, "jeq_x\t01\t02\t5\nld_abs\t07\t00\t4\ntax\t00\t00\t9\n")
        XCTAssertEqual(try GoseccoText.parse(text), odd)
    }

    func testEveryOpcodeHasAMnemonicAndRoundTrips() throws {
        let all = OpcodeTable.all.map { Instruction(code: $0.code, jt: $0.usesJumps ? 3 : 0, jf: $0.usesJumps ? 4 : 0, k: $0.usesK ? 0x1234 : 0) }
        XCTAssertEqual(try GoseccoText.parse(GoseccoText.print(all)), all)
        XCTAssertEqual(Set(OpcodeTable.all.map(\.mnemonic)).count, OpcodeTable.all.count)
    }

    func testLocatedErrors() {
        let cases: [(String, TextFormatError)] = [
            ("ld_abs\t0\nfrob\t1\n", TextFormatError(line: 2, column: 1, message: "unknown mnemonic 'frob'")),
            ("jeq_k\t00\n", TextFormatError(line: 1, column: 9, message: "expected jf here")),
            ("ret_k\tXYZ\n", TextFormatError(line: 1, column: 7, message: "k 'XYZ' is not a hexadecimal number")),
            ("ret_k\t0 9\n", TextFormatError(line: 1, column: 9, message: "unexpected field '9' after ret_k")),
            ("jeq_k\t100\t00\t0\n", TextFormatError(line: 1, column: 7, message: "jt 0x100 does not fit (at most 0xff)")),
            ("\n# nothing\n", TextFormatError(line: 1, column: 1, message: "no instructions found")),
        ]
        for (input, expected) in cases {
            XCTAssertThrowsError(try GoseccoText.parse(input), input) { XCTAssertEqual($0 as? TextFormatError, expected, input) }
        }
    }
}

final class ListingTests: XCTestCase {
    /// dropnet's x86_64 shape, as a generator would write it.
    let program: [Instruction] = [
        .load(4), .jump(.eq, 0xC000_003E, jt: 0, jf: 8), .load(0), .jump(.ge, 0x4000_0000, jt: 6, jf: 0),
        .jump(.eq, 41, jt: 0, jf: 4), .load(16), .jump(.eq, 1, jt: 2, jf: 0), .ret(0x0005_0016),
        .ret(0x8000_0000), .ret(0x7FFF_0000), .ret(0x8000_0000),
    ]

    func testMeanings() {
        let expected = """
            0000: 0x20 0x00 0x00 0x00000004  A = arch
            0001: 0x15 0x00 0x08 0xc000003e  if (A != ARCH_X86_64) goto 0010
            0002: 0x20 0x00 0x00 0x00000000  A = nr
            0003: 0x35 0x06 0x00 0x40000000  if (A >= 0x40000000) goto 0010
            0004: 0x15 0x00 0x04 0x00000029  if (A != socket) goto 0009
            0005: 0x20 0x00 0x00 0x00000010  A = args[0] low (socket's family)
            0006: 0x15 0x02 0x00 0x00000001  if (A == 0x1) goto 0009
            0007: 0x06 0x00 0x00 0x00050016  return ERRNO(22)
            0008: 0x06 0x00 0x00 0x80000000  return KILL_PROCESS
            0009: 0x06 0x00 0x00 0x7fff0000  return ALLOW
            0010: 0x06 0x00 0x00 0x80000000  return KILL_PROCESS

            """
        XCTAssertEqual(Listing.print(program), expected)
    }

    func testSyscallNamesFollowTheArchitectureChecked() {
        let twoArches: [Instruction] = [
            .load(4), .jump(.eq, 0x4000_0003, jt: 0, jf: 3), .load(0), .jump(.eq, 102, jt: 0, jf: 3), .ret(0),
            .load(0), .jump(.eq, 0x4000_0029, jt: 0, jf: 1), .ret(1), .ret(2),
        ]
        let lines = Listing.print(twoArches).split(separator: "\n")
        XCTAssertTrue(lines[1].hasSuffix("if (A != ARCH_I386) goto 0005"), String(lines[1]))
        XCTAssertTrue(lines[3].hasSuffix("if (A != socketcall) goto 0007"), String(lines[3]))
        // After the join the architecture is unknown: the number stays a number.
        XCTAssertTrue(lines[6].hasSuffix("if (A != 0x40000029) goto 0008"), String(lines[6]))
    }

    func testOtherMeanings() {
        let program: [Instruction] = [
            Instruction(code: 0x80), Instruction(code: 0x01, k: 3), .aluX(.add), .alu(.and, 0xFF), Instruction(code: 0x84),
            Instruction(code: 0x02, k: 1), Instruction(code: 0x60, k: 1), Instruction(code: 0x07), Instruction(code: 0x87),
            .load(12), .load(60), .jumpAlways(0), .jump(.set, 4, jt: 1, jf: 0), .jump(.gt, 9, jt: 1, jf: 2),
            .ret(0x0003_0000), .ret(0x7FF0_0005), .returnA,
        ]
        XCTAssertEqual(Listing.meanings(program), [
            "A = len", "X = 0x3", "A += X", "A &= 0xff", "A = -A", "mem[1] = A", "A = mem[1]", "X = A", "A = X",
            "A = ip high", "A = args[5] high", "goto 0012", "if (A & 0x4) goto 0014", "if (A > 0x9) goto 0015 else goto 0016",
            "return TRAP(0)", "return TRACE(5)", "return A",
        ])
    }

    func testRoundTrip() throws {
        XCTAssertEqual(try Listing.parse(Listing.print(program)), program)
        XCTAssertEqual(AssemblerText.detect(Listing.print(program)), .listing)
    }

    func testLocatedErrors() {
        let cases: [(String, TextFormatError)] = [
            ("0001: 0x06 0x00 0x00 0x00000000\n", TextFormatError(line: 1, column: 1, message: "instruction index 1 out of order; expected 0")),
            ("0000: 0x06 0x00 0x00\n", TextFormatError(line: 1, column: 21, message: "expected k here")),
            ("0000: 0x06 0x00 0xGG 0x0\n", TextFormatError(line: 1, column: 17, message: "jf '0xGG' is not a hexadecimal number")),
            ("# c\nzero: 0x06\n", TextFormatError(line: 2, column: 1, message: "expected an instruction index such as '0000:', found 'zero:'")),
        ]
        for (input, expected) in cases {
            XCTAssertThrowsError(try Listing.parse(input), input) { XCTAssertEqual($0 as? TextFormatError, expected, input) }
        }
    }

    /// raw -> listing -> raw and raw -> gosecco -> raw are the identity on random valid programs.
    func testRoundTripsOnRandomPrograms() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            let program = RandomPrograms.valid(using: &generator)
            XCTAssertEqual(try Listing.parse(Listing.print(program.instructions)), program.instructions)
            XCTAssertEqual(try GoseccoText.parse(GoseccoText.print(program.instructions)), program.instructions)
            XCTAssertEqual(try RawCodec.decode(RawCodec.encode(program.instructions)), program.instructions)
        }
    }
}
