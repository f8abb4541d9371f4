@testable import CordonCompiler
import CordonBPF
import CordonOracle
import CordonPolicy
import CordonTestSupport
import XCTest

/// A large -O2 program is compiled a second time without path facts (their
/// copies of a chain per combination of facts are what made issue 12's
/// 1,000-rule policy big), with repeated rules removed instead, and the
/// smaller is kept. The two programs are proved equal, exactly.
final class FactsFallbackTests: XCTestCase {
    /// Issue 12's policy: 1,000 rules over 20 syscalls, 3 arguments, 8 values.
    static func thousandRules() -> String {
        let names = ["read", "write", "open", "close", "stat", "fstat", "lstat", "poll", "lseek", "mmap", "mprotect", "munmap", "brk",
                     "ioctl", "pread64", "pwrite64", "readv", "writev", "access", "pipe"]
        var text = "x86_64 {\n"
        for i in 0..<1000 {
            text += "    if {$nr eq \(names[i % 20]) && $args(\((i / 20) % 3)) == \((i / 60) % 8)} { return errno \(1 + i % 30) }\n"
        }
        return text + "    return allow\n}\n"
    }

    func testTheThousandRulePolicyAndTheProofThatBothCompilesAgree() throws {
        let policy = try policyFrom(Self.thousandRules())
        let withFacts = try OptimizingBackend.compile(policy, specialize: true, learnsFacts: true, mix: .builtIn)
        let without = try OptimizingBackend.compile(policy, specialize: true, learnsFacts: false, mix: .builtIn)
        let chosen = try Compiler.compile(policy, level: .optimizing)
        XCTAssertEqual(chosen.program.instructions, without.program.instructions, "the smaller is kept")
        XCTAssertLessThan(without.program.count, withFacts.program.count)
        XCTAssertLessThan(chosen.program.count, 2100, "3,984 with facts; 2,262 before trampolines were shared")
        print("1,000 rules: \(withFacts.program.count) instructions with facts, \(without.program.count) without")
        let found = try ProgramDiff.differences(withFacts.program.instructions, without.program.instructions, in: WordSets())
        XCTAssertEqual(found.differences.count, 0)
        XCTAssertGreaterThan(found.classes, 480)
    }

    /// On the oracle's policies, forced both ways: equal programs, by proof.
    func testWithAndWithoutFactsDecideAlike() throws {
        var generator = PolicyGenerator(seed: 8086)
        var compared = 0
        for _ in 0..<120 {
            guard let policy = try? policyFrom(generator.policy()),
                  let a = try? OptimizingBackend.compile(policy, specialize: true, learnsFacts: true, mix: .builtIn),
                  let b = try? OptimizingBackend.compile(policy, specialize: true, learnsFacts: false, mix: .builtIn) else { continue }
            let found = try ProgramDiff.differences(a.program.instructions, b.program.instructions, in: WordSets(), limit: 400_000)
            XCTAssertEqual(found.differences.count, 0)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 90)
    }
}
