import CordonBPF
import CordonLinux
import CordonTestSupport
import Foundation
import XCTest

/// The exact analysis of programs: its classes partition the inputs, and the
/// emulator, run independently on sampled inputs and on a member of every
/// class, returns what the class says.
final class ProgramClassesTests: XCTestCase {
    func testWordSetsAreExact() {
        let store = WordSets()
        var g = SeededGenerator(seed: 77)
        for _ in 0..<300 {
            let mask = Bool.random(using: &g) ? UInt32.max : RandomPrograms.word(using: &g)
            let k = RandomPrograms.word(using: &g)
            let eq = store.compare(mask: mask, .equal, k), gt = store.compare(mask: mask, .greater, k)
            let ge = store.compare(mask: mask, .greaterOrEqual, k), any = store.anyBit(k)
            XCTAssertEqual(store.or(gt, eq), ge)
            for _ in 0..<40 {
                let w = Bool.random(using: &g) ? RandomPrograms.word(using: &g) : k ^ (1 << UInt32.random(in: 0..<32, using: &g))
                XCTAssertEqual(store.contains(eq, w), w & mask == k)
                XCTAssertEqual(store.contains(gt, w), w & mask > k)
                XCTAssertEqual(store.contains(ge, w), w & mask >= k)
                XCTAssertEqual(store.contains(any, w), w & k != 0)
                XCTAssertEqual(store.contains(store.not(gt), w), w & mask <= k)
            }
            let a = store.range(min(k, mask), max(k, mask))
            XCTAssertEqual(store.count(a), UInt64(max(k, mask)) - UInt64(min(k, mask)) + 1)
            XCTAssertEqual(store.ranges(a, limit: 4), [min(k, mask)...max(k, mask)])
            XCTAssertEqual(store.smallest(a), min(k, mask))
        }
        XCTAssertEqual(store.count(store.full), 1 << 32)
        XCTAssertEqual(store.count(store.anyBit(1)), 1 << 31)
        XCTAssertEqual(store.ranges(store.not(store.single(5)), limit: 4), [0...4, 6...UInt32.max])
    }

    /// Random valid programs (those the analysis handles: most; the rest are
    /// refused at an instruction, never approximated).
    func testClassesPartitionTheInputsAsTheEmulatorDecides() throws {
        var g = SeededGenerator(seed: 2027)
        var analysed = 0, refused = 0, samples = 0
        for _ in 0..<400 {
            let program = RandomPrograms.valid(using: &g)
            let store = WordSets()
            let classes: [InputClass]
            do { classes = try ProgramClasses.classes(program.instructions, in: store, limit: 20_000) } catch {
                refused += 1
                if case .unsupported(let index, _) = error { XCTAssertLessThan(index, program.count) }
                continue
            }
            analysed += 1
            let emulator = Emulator(program)
            for _ in 0..<60 {
                let arch = Arch.required.randomElement(using: &g)!
                let (nr, args) = RandomPrograms.call(arch: arch, using: &g)
                let data = SeccompData(arch: arch, nr: nr, instructionPointer: UInt64(RandomPrograms.word(using: &g)), args: args)
                let holding = classes.filter { ProgramClasses.contains($0, data.word(at:), in: store) }
                XCTAssertEqual(holding.count, 1, "exactly one class holds each input")
                XCTAssertEqual(holding.first?.value, emulator.run(data).value)
                samples += 1
            }
            // A member of every class decides as the class says.
            var bits = SeededGenerator(seed: 5)
            for c in classes.prefix(200) {
                var words = [UInt32](repeating: 0, count: 16)
                for (offset, set) in c.words { words[Int(offset / 4)] = store.sample(set) { UInt32(truncatingIfNeeded: bits.next()) }! }
                // The words of a 64-bit field in the byte order the arch word says.
                let le = Arch.isLittleEndian(auditArch: words[1])
                func field(_ first: Int) -> UInt64 {
                    le ? UInt64(words[first + 1]) << 32 | UInt64(words[first]) : UInt64(words[first]) << 32 | UInt64(words[first + 1])
                }
                let data = SeccompData(nr: words[0], arch: words[1], instructionPointer: field(2), args: (0..<6).map { field(4 + 2 * $0) })
                XCTAssertEqual(emulator.run(data).value, c.value)
            }
        }
        print("analysis: \(analysed) programs analysed, \(refused) refused, \(samples) sampled inputs")
        XCTAssertGreaterThan(analysed, 50, "most random programs use arithmetic the analysis refuses; cordon's and the peers' programs are tested elsewhere")
    }

    /// Code shared by many paths is analysed once: 40 tests whose two ways
    /// meet again (2^40 paths for a walk over paths) make a diagram of a
    /// few nodes, and a comparison with the program without them proves the
    /// two equal at once; a changed return after them is found on every
    /// input it touches, and nowhere else.
    func testSharedCodeIsAnalysedOnce() throws {
        var chain: [Instruction] = []
        for i in 0..<40 {
            chain.append(.load(UInt32(16 + 8 * (i % 6))))
            // Taken or not, the next instruction: the two ways meet at once.
            chain.append(.jump(.set, 1 << UInt32(i % 32), jt: 0, jf: 0))
            // A way round one instruction: they meet one later.
            chain.append(.jump(.eq, UInt32(i), jt: 1, jf: 0))
            chain.append(.jumpAlways(0))
        }
        let tail: [Instruction] = [.load(0), .jump(.eq, 59, jt: 0, jf: 1), .ret(0x8000_0000), .ret(0x7FFF_0000)]
        let store = WordSets()
        let found = try ProgramDiff.differences(chain + tail, tail, in: store)
        XCTAssertEqual(found.differences.count, 0)
        XCTAssertEqual(found.classes, 2)
        var changed = tail
        changed[2] = .ret(0x0005_0001)
        let different = try ProgramDiff.differences(chain + tail, changed, in: store)
        XCTAssertEqual(different.differences.count, 1)
        XCTAssertEqual(different.differences.first?.words[0], store.single(59))
        XCTAssertEqual(try ProgramClasses.classes(chain + tail, in: store).count, 2)
    }

    /// A hostile program whose decisions need a diagram exponential in its
    /// tests (24 bits of one argument compared with the same bits of
    /// another: 2^24 ways after the first) is refused, quickly, not built.
    func testADiagramTooLargeIsRefusedNotBuilt() throws {
        // Per bit: arg0's bit set, then arg1's must be set; clear, clear;
        // otherwise the last instruction (kill). 6 instructions a bit.
        let bits = 24
        let last = 6 * bits + 1
        var program: [Instruction] = []
        for i in 0..<bits {
            let bit = UInt32(1) << UInt32(i), base = 6 * i
            func toKill(_ at: Int) -> UInt8 { UInt8(last - at - 1) }
            program += [.load(16), .jump(.set, bit, jt: 0, jf: 2),
                        .load(24), .jump(.set, bit, jt: 2, jf: toKill(base + 3)),
                        .load(24), .jump(.set, bit, jt: toKill(base + 5), jf: 0)]
        }
        program += [.ret(0x7FFF_0000), .ret(0)]
        XCTAssertNoThrow(try Validator.validate(program))
        let start = Date()
        XCTAssertThrowsError(try ProgramClasses.classes(program, in: WordSets())) { error in
            XCTAssertEqual(error as? ProgramClasses.Refusal, .diagramTooLarge)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 60, "debug build; about 5 s in release")
    }
}
