import CordonBPF
import CordonLinux
import XCTest

/// Every opcode of the emulator against results computed by hand.
final class EmulatorTests: XCTestCase {
    let data = SeccompData(nr: 0x29, arch: 0xC000_003E, instructionPointer: 0x1122_3344_5566_7788,
                           args: [0xAAAA_BBBB_CCCC_DDDD, 1, 2, 3, 4, 0xFFFF_FFFF_0000_0005])

    private func run(_ instructions: [Instruction], _ input: SeccompData? = nil,
                     file: StaticString = #filePath, line: UInt = #line) throws -> Emulator.Outcome {
        let program = try Validator.validate(instructions)
        return Emulator(program).run(input ?? data)
    }

    func testLoadsOfEverySeccompDataWord() throws {
        let expected: [UInt32: UInt32] = [
            0: 0x29, 4: 0xC000_003E, 8: 0x5566_7788, 12: 0x1122_3344,
            16: 0xCCCC_DDDD, 20: 0xAAAA_BBBB, 24: 1, 28: 0, 56: 5, 60: 0xFFFF_FFFF,
        ]
        for (offset, value) in expected {
            let outcome = try run([.load(offset), .returnA])
            XCTAssertEqual(outcome.value, value, "offset \(offset)")
            XCTAssertEqual(outcome.executed, 2)
        }
    }

    func testLengthImmediateAndRegisterMoves() throws {
        XCTAssertEqual(try run([Instruction(code: 0x80), .returnA]).value, 64)  // A = len
        XCTAssertEqual(try run([.loadImmediate(7), .returnA]).value, 7)
        XCTAssertEqual(try run([Instruction(code: 0x81), Instruction(code: 0x87), .returnA]).value, 64)  // X = len; A = X
        XCTAssertEqual(try run([Instruction(code: 0x01, k: 9), Instruction(code: 0x87), .returnA]).value, 9)  // X = 9; A = X
        XCTAssertEqual(try run([.loadImmediate(5), Instruction(code: 0x07), .loadImmediate(0), Instruction(code: 0x87), .returnA]).value, 5)  // tax/txa
    }

    func testScratchMemory() throws {
        // M[3] = A (11); X = 4; M[15] = X; A = M[15]; X = M[3]; A += X
        let program: [Instruction] = [
            .loadImmediate(11), Instruction(code: 0x02, k: 3), Instruction(code: 0x01, k: 4), Instruction(code: 0x03, k: 15),
            Instruction(code: 0x60, k: 15), Instruction(code: 0x61, k: 3), .aluX(.add), .returnA,
        ]
        XCTAssertEqual(try run(program).value, 15)
    }

    func testALUWithConstants() throws {
        let a: UInt32 = 0xF000_000F
        let cases: [(ALUOperator, UInt32, UInt32)] = [
            (.add, 0x1000_0001, 0x0000_0010), (.sub, 0x10, 0xEFFF_FFFF), (.mul, 2, 0xE000_001E),
            (.div, 16, 0x0F00_0000), (.or, 0x0F0, 0xF000_00FF), (.and, 0xFF, 0x0F), (.lsh, 4, 0x0000_00F0),
            (.rsh, 4, 0x0F00_0000), (.xor, 0xFFFF_FFFF, 0x0FFF_FFF0),
        ]
        for (op, k, expected) in cases {
            XCTAssertEqual(try run([.loadImmediate(a), .alu(op, k), .returnA]).value, expected, "\(op) \(k)")
        }
    }

    func testALUWithX() throws {
        let a: UInt32 = 0xF000_000F
        let cases: [(ALUOperator, UInt32, UInt32)] = [
            (.add, 1, 0xF000_0010), (.sub, 0x10, 0xEFFF_FFFF), (.mul, 3, 0xD000_002D), (.div, 3, 0x5000_0005),
            (.or, 0x30, 0xF000_003F), (.and, 0x3, 0x3), (.lsh, 1, 0xE000_001E), (.rsh, 28, 0xF), (.xor, 0xF, 0xF000_0000),
            // Shift amounts from X are taken modulo 32, as the kernel does (measured).
            (.lsh, 33, 0xE000_001E), (.rsh, 32, 0xF000_000F),
        ]
        for (op, x, expected) in cases {
            let program: [Instruction] = [Instruction(code: 0x01, k: x), .loadImmediate(a), .aluX(op), .returnA]
            XCTAssertEqual(try run(program).value, expected, "\(op) X=\(x)")
        }
    }

    func testDivisionByXZeroReturnsZero() throws {
        let outcome = try run([Instruction(code: 0x01, k: 0), .loadImmediate(5), .aluX(.div), .ret(0x7FFF_0000)])
        XCTAssertEqual(outcome.value, 0, "the kernel returns 0 (KILL_THREAD)")
        XCTAssertEqual(outcome.returnIndex, 2)
        XCTAssertEqual(outcome.executed, 3)
    }

    func testNegate() throws {
        XCTAssertEqual(try run([.loadImmediate(1), Instruction(code: 0x84), .returnA]).value, 0xFFFF_FFFF)
        XCTAssertEqual(try run([.loadImmediate(0), Instruction(code: 0x84), .returnA]).value, 0)
    }

    func testUnconditionalJump() throws {
        let outcome = try run([.jumpAlways(1), .ret(1), .ret(2)])
        XCTAssertEqual(outcome.value, 2)
        XCTAssertEqual(outcome.executed, 2)
        XCTAssertEqual(outcome.returnIndex, 2)
    }

    func testConditionalJumpsWithK() throws {
        // A = 10; if (A test k) return 1 else return 2
        let cases: [(JumpTest, UInt32, UInt32)] = [
            (.eq, 10, 1), (.eq, 11, 2), (.gt, 9, 1), (.gt, 10, 2), (.ge, 10, 1), (.ge, 11, 2),
            (.set, 2, 1), (.set, 5, 2),
        ]
        for (test, k, expected) in cases {
            let program: [Instruction] = [.loadImmediate(10), .jump(test, k, jt: 0, jf: 1), .ret(1), .ret(2)]
            XCTAssertEqual(try run(program).value, expected, "\(test) \(k)")
        }
    }

    func testConditionalJumpsWithX() throws {
        let cases: [(JumpTest, UInt32, UInt32)] = [
            (.eq, 10, 1), (.eq, 11, 2), (.gt, 9, 1), (.gt, 10, 2), (.ge, 10, 1), (.ge, 11, 2), (.set, 8, 1), (.set, 4, 2),
        ]
        for (test, x, expected) in cases {
            let program: [Instruction] = [
                Instruction(code: 0x01, k: x), .loadImmediate(10),
                Instruction(code: OpcodeTable.jmp | test.rawValue | 0x08, jt: 0, jf: 1), .ret(1), .ret(2),
            ]
            XCTAssertEqual(try run(program).value, expected, "\(test) X=\(x)")
        }
    }

    func testComparisonsAreUnsigned() throws {
        let program: [Instruction] = [.loadImmediate(0x8000_0000), .jump(.gt, 1, jt: 0, jf: 1), .ret(1), .ret(2)]
        XCTAssertEqual(try run(program).value, 1)
    }

    func testTraceAndCounts() throws {
        let program = try Validator.validate([
            .load(4), .jump(.eq, 0xC000_003E, jt: 0, jf: 2), .load(0), .jump(.eq, 0x29, jt: 1, jf: 0),
            .ret(0x7FFF_0000), .ret(0x0005_0016),
        ])
        let emulator = Emulator(program)
        let (outcome, path) = emulator.trace(data)
        XCTAssertEqual(path, [0, 1, 2, 3, 5])
        XCTAssertEqual(outcome.executed, 5)
        XCTAssertEqual(outcome.value, 0x0005_0016)
        let other = emulator.trace(SeccompData(arch: .i386, nr: 3))
        XCTAssertEqual(other.path, [0, 1, 4])
        XCTAssertEqual(other.outcome.value, 0x7FFF_0000)
    }

    func testSeccompDataForA32BitABICutsArguments() {
        let d = SeccompData(arch: .i386, nr: 1, args: [0x1_0000_0002])
        XCTAssertEqual(d.args[0], 2)
        XCTAssertEqual(d.arch, 0x4000_0003)
        XCTAssertEqual(SeccompData(arch: .x32, nr: 1, args: [0x1_0000_0002]).args[0], 0x1_0000_0002)
    }
}
