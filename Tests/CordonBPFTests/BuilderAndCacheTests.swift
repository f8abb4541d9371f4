import CordonBPF
import CordonLinux
import CordonTestSupport
import XCTest

final class ProgramBuilderTests: XCTestCase {
    func testLabelsResolveToForwardOffsets() throws {
        var b = ProgramBuilder()
        let allow = b.makeLabel(), deny = b.makeLabel(), next = b.makeLabel()
        b.emit(.load(0))
        b.branch(.eq, 41, onTrue: deny, onFalse: next)
        b.place(next)
        b.branch(.ge, 400, onTrue: deny, onFalse: allow)
        b.place(allow)
        b.emit(.ret(0x7FFF_0000))
        b.place(deny)
        b.emit(.ret(0x0005_0001))
        XCTAssertEqual(try b.build(), [
            .load(0), .jump(.eq, 41, jt: 2, jf: 0), .jump(.ge, 400, jt: 1, jf: 0), .ret(0x7FFF_0000), .ret(0x0005_0001),
        ])
    }

    func testFarConditionalJumpsGoThroughTrampolines() throws {
        var b = ProgramBuilder()
        let far = b.makeLabel(), near = b.makeLabel()
        b.emit(.load(0))
        b.branch(.eq, 7, onTrue: far, onFalse: near)
        b.place(near)
        for i in 0..<300 { b.emit(.loadImmediate(UInt32(i))) }
        b.emit(.ret(1))
        b.place(far)
        b.emit(.ret(2))
        let instructions = try b.build()
        XCTAssertEqual(instructions.count, 305, "304 instructions and one trampoline")
        XCTAssertEqual(instructions[1], .jump(.eq, 7, jt: 0, jf: 1))
        XCTAssertEqual(instructions[2], .jumpAlways(301))
        let emulator = Emulator(try Validator.validate(instructions))
        XCTAssertEqual(emulator.run(SeccompData(nr: 7, arch: 0)).value, 2)
        XCTAssertEqual(emulator.run(SeccompData(nr: 8, arch: 0)).value, 1)
    }

    func testManyFarJumpsStillResolve() throws {
        // 40 tests that all jump to one far return: each is too far for a direct jump.
        var b = ProgramBuilder()
        let far = b.makeLabel()
        b.emit(.load(0))
        for nr in 0..<40 {
            let next = b.makeLabel()
            b.branch(.eq, UInt32(nr), onTrue: far, onFalse: next)
            b.place(next)
            for _ in 0..<10 { b.emit(.loadImmediate(0)) }
            b.emit(.load(0))
        }
        b.emit(.ret(1))
        b.place(far)
        b.emit(.ret(2))
        let built = try b.build()
        // 483 instructions of code; shared trampolines (placed as late as a
        // jump reaches, after a jump, reused) instead of one per far jump.
        XCTAssertLessThan(built.count, 483 + 6, "\(built.count - 483) trampolines")
        let emulator = Emulator(try Validator.validate(built))
        for nr: UInt32 in 0..<45 {
            XCTAssertEqual(emulator.run(SeccompData(nr: nr, arch: 0)).value, nr < 40 ? 2 : 1, "nr \(nr)")
        }
    }

    func testErrors() {
        var b = ProgramBuilder()
        let nowhere = b.makeLabel()
        b.jump(to: nowhere)
        b.emit(.ret(0))
        XCTAssertThrowsError(try b.build()) { XCTAssertEqual($0 as? ProgramBuilder.BuildError, .unplacedLabel) }

        var back = ProgramBuilder()
        let start = back.makeLabel()
        back.place(start)
        back.emit(.load(0))
        back.jump(to: start)
        back.emit(.ret(0))
        XCTAssertThrowsError(try back.build()) { XCTAssertEqual($0 as? ProgramBuilder.BuildError, .backwardJump(at: 1)) }

        var long = ProgramBuilder()
        for _ in 0..<4097 { long.emit(.ret(0)) }
        XCTAssertThrowsError(try long.build()) { XCTAssertEqual($0 as? ProgramBuilder.BuildError, .tooLong(count: 4097)) }
    }
}

final class ActionCacheTests: XCTestCase {
    /// x86_64 only: read allowed outright, write allowed when fd is 1, the rest refused.
    let program: [Instruction] = [
        .load(4), .jump(.eq, 0xC000_003E, jt: 0, jf: 7), .load(0), .jump(.eq, 0, jt: 4, jf: 0),
        .jump(.eq, 1, jt: 0, jf: 4), .load(16), .jump(.eq, 1, jt: 1, jf: 2), .ret(0x0005_0001), .ret(0x7FFF_0000),
        .ret(0x0005_0001), .ret(0x8000_0000),
    ]

    func testOnlyArgumentFreeAllowsAreCached() throws {
        let p = try Validator.validate(program)
        let x86 = Arch.x86_64.auditArch
        XCTAssertTrue(ActionCache.isConstantAllow(p, auditArch: x86, nr: 0), "read reads only nr and arch")
        XCTAssertFalse(ActionCache.isConstantAllow(p, auditArch: x86, nr: 1), "write reads an argument")
        XCTAssertFalse(ActionCache.isConstantAllow(p, auditArch: x86, nr: 2), "denied")
        XCTAssertFalse(ActionCache.isConstantAllow(p, auditArch: Arch.i386.auditArch, nr: 0), "other arch is killed")
        XCTAssertEqual(ActionCache.cachedSyscalls(p, arch: .x86_64), ["read"])
        XCTAssertEqual(ActionCache.cachedSyscalls(p, arch: .x32), [], "x32 numbers are never cached")
    }

    func testWhatDefeatsTheCache() throws {
        let viaLength = try Validator.validate([Instruction(code: 0x80), .ret(0x7FFF_0000)])
        XCTAssertFalse(ActionCache.isConstantAllow(viaLength, auditArch: 0, nr: 0))
        let viaX = try Validator.validate([.load(0), Instruction(code: 0x07), .ret(0x7FFF_0000)])
        XCTAssertFalse(ActionCache.isConstantAllow(viaX, auditArch: 0, nr: 0))
        let masked = try Validator.validate([.load(0), .alu(.and, 0xFF), .jump(.eq, 1, jt: 0, jf: 1), .ret(0x7FFF_0000), .ret(0)])
        XCTAssertTrue(ActionCache.isConstantAllow(masked, auditArch: 0, nr: 0x101))
        XCTAssertFalse(ActionCache.isConstantAllow(masked, auditArch: 0, nr: 2))
        let log = try Validator.validate([.ret(0x7FFC_0000)])
        XCTAssertFalse(ActionCache.isConstantAllow(log, auditArch: 0, nr: 0), "only RET ALLOW is cached")
    }
}
