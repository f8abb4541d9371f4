import CordonBPF
import XCTest

/// Each kind of program the kernel refuses, with its reason and place.
final class ValidatorTests: XCTestCase {
    typealias Reason = Validator.Refusal.Reason

    private func refusals(_ program: [Instruction]) -> [Validator.Refusal] { Validator.refusals(program) }

    private func assertRefused(_ program: [Instruction], at index: Int?, _ reason: Reason, message: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        let found = refusals(program)
        XCTAssertEqual(found.first?.index, index, file: file, line: line)
        XCTAssertEqual(found.first?.reason, reason, file: file, line: line)
        XCTAssertEqual(found.first?.description, message, file: file, line: line)
        XCTAssertThrowsError(try Validator.validate(program), file: file, line: line)
    }

    func testAcceptsAMinimalProgram() throws {
        XCTAssertEqual(try Validator.validate([.ret(0x7FFF_0000)]).count, 1)
        XCTAssertEqual(try Validator.validate([.returnA]).count, 1)
    }

    func testLength() throws {
        assertRefused([], at: nil, .empty, message: "the program is empty: a filter has 1 to 4096 instructions")
        let longest = [Instruction](repeating: .loadImmediate(0), count: 4095) + [.ret(0)]
        XCTAssertNoThrow(try Validator.validate(longest))
        assertRefused(longest + [.ret(0)], at: nil, .tooLong(count: 4097),
                      message: "the program has 4097 instructions; the kernel accepts at most 4096")
    }

    func testOpcodesSeccompDoesNotAllow() {
        let refused: [(UInt16, String)] = [
            (0x28, "LD|H|ABS"), (0x30, "LD|B|ABS"), (0x40, "LD|W|IND"), (0xB1, "LDX|B|MSH"),
            (0x94, "ALU|MOD|K"), (0x9C, "ALU|MOD|X"), (0x0E, "RET|X"), (0x21, "LDX|W|ABS"), (0x08, "LD|H|IMM"),
            (0x25, "JMP|JGT|K"), // legal: JGT K is 0x25; used here to check the positive case below
        ]
        for (code, name) in refused where code != 0x25 {
            assertRefused([Instruction(code: code), .ret(0)], at: 0, .codeNotAllowed(code: code),
                          message: "instruction 0: opcode 0x\(String(code, radix: 16)) (\(name)) is not allowed in a seccomp filter")
        }
        XCTAssertNoThrow(try Validator.validate([.jump(.gt, 1, jt: 0, jf: 0), .ret(0)]))
    }

    func testLoadOffsets() {
        assertRefused([.load(2), .ret(0)], at: 0, .loadOffsetMisaligned(offset: 2),
                      message: "instruction 0: load from offset 2 is not 4-byte aligned")
        assertRefused([.load(64), .ret(0)], at: 0, .loadOffsetOutOfRange(offset: 64),
                      message: "instruction 0: load from offset 64 is past the end of seccomp_data (64 bytes)")
        XCTAssertNoThrow(try Validator.validate([.load(60), .ret(0)]))
    }

    func testALUConstants() {
        assertRefused([.loadImmediate(1), .alu(.div, 0), .ret(0)], at: 1, .divisionByZero,
                      message: "instruction 1: division by the constant 0")
        assertRefused([.alu(.lsh, 32), .ret(0)], at: 0, .shiftTooLarge(amount: 32),
                      message: "instruction 0: shift by 32; constant shifts must be below 32")
        assertRefused([.alu(.rsh, 40), .ret(0)], at: 0, .shiftTooLarge(amount: 40),
                      message: "instruction 0: shift by 40; constant shifts must be below 32")
        XCTAssertNoThrow(try Validator.validate([.alu(.lsh, 31), .alu(.div, 3), .aluX(.div), .ret(0)]))
    }

    func testScratchMemoryIndexes() {
        assertRefused([Instruction(code: 0x02, k: 16), .ret(0)], at: 0, .memoryIndexOutOfRange(index: 16),
                      message: "instruction 0: scratch memory cell 16 does not exist (there are 16)")
    }

    func testJumpTargets() {
        assertRefused([.jump(.eq, 0, jt: 1, jf: 0), .ret(0)], at: 0, .jumpOutOfRange(target: 2, length: 2),
                      message: "instruction 0: jump to 2 is outside the program (2 instructions; targets must come after the jump and before the end)")
        assertRefused([.jumpAlways(1), .ret(0)], at: 0, .jumpOutOfRange(target: 2, length: 2),
                      message: "instruction 0: jump to 2 is outside the program (2 instructions; targets must come after the jump and before the end)")
        assertRefused([.jumpAlways(0xFFFF_FFFF), .ret(0)], at: 0, .jumpOutOfRange(target: 1 + 0xFFFF_FFFF, length: 2),
                      message: "instruction 0: jump to 4294967296 is outside the program (2 instructions; targets must come after the jump and before the end)")
    }

    func testLastInstructionMustReturn() {
        assertRefused([.ret(0), .loadImmediate(0)], at: 1, .lastNotReturn(code: 0),
                      message: "instruction 1: the last instruction is LD|W|IMM, not a return")
    }

    func testScratchMemoryMustBeWrittenOnEveryPath() {
        // Written on the true path only, read after the join: refused.
        let oneSided: [Instruction] = [
            .load(0), .jump(.eq, 1, jt: 0, jf: 1), Instruction(code: 0x02, k: 2),
            Instruction(code: 0x60, k: 2), .returnA,
        ]
        assertRefused(oneSided, at: 3, .memoryReadBeforeWrite(index: 2),
                      message: "instruction 3: scratch memory cell 2 is read before it is written on some path")
        // Written before the branch: accepted.
        let written: [Instruction] = [
            .loadImmediate(3), Instruction(code: 0x02, k: 2), .load(0), .jump(.eq, 1, jt: 0, jf: 1),
            Instruction(code: 0x02, k: 2), Instruction(code: 0x60, k: 2), .returnA,
        ]
        XCTAssertNoThrow(try Validator.validate(written))
        assertRefused([Instruction(code: 0x61, k: 0), .ret(0)], at: 0, .memoryReadBeforeWrite(index: 0),
                      message: "instruction 0: scratch memory cell 0 is read before it is written on some path")
    }

    func testAllRefusalsAreReported() {
        let program: [Instruction] = [.load(3), .alu(.div, 0), Instruction(code: 0x94), .loadImmediate(0)]
        XCTAssertEqual(refusals(program).map(\.index), [0, 1, 2, 3])
    }
}
