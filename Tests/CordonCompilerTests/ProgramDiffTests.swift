import CordonBPF
import CordonCompiler
import CordonLinux
import CordonOracle
import CordonPolicy
import CordonTestSupport
import Foundation
import XCTest

/// The exact analysis on cordon's own programs: -O0 and -O2 of every sample
/// and of the oracle's random policies decide alike on every input; and
/// `ProgramDiff` finds every difference that a mutation of a policy makes
/// (a flipped comparison, a changed constant, a dropped rule), with no false
/// one: each reported class holds an input on which the emulators differ,
/// and each sampled input on which they differ lies in a reported class.
final class ProgramDiffTests: XCTestCase {
    private func both(_ policy: IRPolicy) throws -> ([Instruction], [Instruction]) {
        (try Compiler.compile(policy, level: .direct).program.instructions,
         try Compiler.compile(policy, level: .optimizing).program.instructions)
    }

    func testEverySampleAtO0AndO2DecidesAlike() throws {
        for name in ["nonet.tcl", "dropnet.tcl", "stdio.tcl", "build-nonet.tcl", "no-namespaces.tcl", "docker-default.tcl"] {
            let (o0, o2) = try both(try samplePolicy(name))
            let store = WordSets()
            let found = try ProgramDiff.differences(o0, o2, in: store)
            XCTAssertEqual(found.differences.count, 0, name)
            XCTAssertGreaterThan(found.classes, 3, name)
        }
    }

    func testRandomPoliciesAtO0AndO2DecideAlike() throws {
        var generator = PolicyGenerator(seed: 4242)
        var compared = 0
        for _ in 0..<150 {
            guard let policy = try? policyFrom(generator.policy()), let (o0, o2) = try? both(policy) else { continue }
            let store = WordSets()
            let found = try ProgramDiff.differences(o0, o2, in: store, limit: 200_000)
            XCTAssertEqual(found.differences.count, 0)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 100)
    }

    /// A mutation of the policy's text: one comparison flipped, one number
    /// changed, or one `return` line dropped.
    private func mutate(_ text: String, using g: inout SeededGenerator) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch Int.random(in: 0..<3, using: &g) {
        case 0:
            let flips = [("==", "!="), ("!=", "=="), (">=", "<"), ("<=", ">"), (" eq ", " ne "), (" in ", " ni ")]
            let candidates = lines.indices.filter { i in flips.contains { lines[i].contains($0.0) } }
            guard let i = candidates.randomElement(using: &g), let flip = flips.first(where: { lines[i].contains($0.0) }) else { return nil }
            guard let range = lines[i].range(of: flip.0) else { return nil }
            lines[i].replaceSubrange(range, with: flip.1)
        case 1:
            let candidates = lines.indices.filter { lines[$0].contains("if {") && lines[$0].contains(where: \.isNumber) }
            guard let i = candidates.randomElement(using: &g) else { return nil }
            let characters = Array(lines[i])
            guard let at = characters.indices.filter({ characters[$0].isNumber }).randomElement(using: &g) else { return nil }
            var changed = characters
            changed[at] = characters[at] == "9" ? "0" : Character(String(characters[at].wholeNumberValue! + 1))
            lines[i] = String(changed)
        default:
            let candidates = lines.indices.filter { lines[$0].contains("return ") && lines[$0].contains("if {") }
            guard let i = candidates.randomElement(using: &g) else { return nil }
            lines.remove(at: i)
        }
        let mutated = lines.joined(separator: "\n")
        return mutated == text ? nil : mutated
    }

    func testDiffFindsEveryDifferenceAMutationMakes() throws {
        var generator = PolicyGenerator(seed: 90210)
        var g = SeededGenerator(seed: 11)
        var pairs = 0, differing = 0, sampledDiffering = 0, reported = 0, missed = 0, falseDifferences = 0, sampled = 0
        // 200 pairs in the suite (about a minute); CORDON_DIFF_PAIRS=1000 for the measurement.
        let wanted = Int(ProcessInfo.processInfo.environment["CORDON_DIFF_PAIRS"] ?? "") ?? 200
        while pairs < wanted {
            let text = generator.policy()
            guard let original = try? policyFrom(text), let mutatedText = mutate(text, using: &g),
                  let mutated = try? policyFrom(mutatedText) else { continue }
            guard let a = try? Compiler.compile(original, level: .optimizing).program,
                  let b = try? Compiler.compile(mutated, level: pairs % 2 == 0 ? .optimizing : .direct).program else { continue }
            pairs += 1
            let store = WordSets()
            let found = try ProgramDiff.differences(a.instructions, b.instructions, in: store, limit: 200_000)
            let (ea, eb) = (Emulator(a), Emulator(b))
            reported += found.differences.count
            // No false difference: a member of each class is decided differently.
            var bits = SeededGenerator(seed: UInt64(pairs))
            if !found.differences.isEmpty { differing += 1 }
            // Every class of the small reports, a sample of 40 of the large.
            for d in found.differences.count <= 40 ? found.differences : Array(found.differences.shuffled(using: &bits).prefix(40)) {
                let data = member(d.words, store) { UInt32(truncatingIfNeeded: bits.next()) }
                if ea.run(data).value == eb.run(data).value || ea.run(data).value != d.a || eb.run(data).value != d.b { falseDifferences += 1 }
            }
            // None missed: inputs aimed at both policies' constants.
            var pairDiffers = false
            for policy in [original, mutated] {
                var inputs = InputGenerator(policy: policy, seed: UInt64(pairs) &* 31)
                for _ in 0..<80 {
                    let (_, data) = inputs.next()
                    sampled += 1
                    guard ea.run(data).value != eb.run(data).value else { continue }
                    pairDiffers = true
                    if !found.differences.contains(where: { ProgramClasses.contains($0.words, data.word(at:), in: store) }) {
                        missed += 1
                    }
                }
            }
            if pairDiffers { sampledDiffering += 1 }
        }
        print("diff: \(pairs) mutated pairs, \(differing) reported different, \(sampledDiffering) with a sampled difference, \(reported) classes reported, \(sampled) inputs, \(missed) missed, \(falseDifferences) false")
        XCTAssertEqual(missed, 0)
        XCTAssertEqual(falseDifferences, 0)
        XCTAssertGreaterThan(differing * 5, pairs, "the mutations change something")
        XCTAssertGreaterThan(sampledDiffering * 20, pairs)
    }

    /// An input in the class: a sampled value for each word it constrains,
    /// the 64-bit fields assembled in the byte order of its architecture.
    private func member(_ words: [UInt32: WordSets.WordSet], _ store: WordSets, _ next: () -> UInt32) -> SeccompData {
        var values = [UInt32](repeating: 0, count: 16)
        for (offset, set) in words { values[Int(offset / 4)] = store.sample(set, next)! }
        let le = Arch.isLittleEndian(auditArch: values[1])
        func field(_ first: Int) -> UInt64 {
            le ? UInt64(values[first + 1]) << 32 | UInt64(values[first]) : UInt64(values[first]) << 32 | UInt64(values[first + 1])
        }
        return SeccompData(nr: values[0], arch: values[1], instructionPointer: field(2), args: (0..<6).map { field(4 + 2 * $0) })
    }
}
