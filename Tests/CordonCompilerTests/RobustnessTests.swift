import CordonBPF
import CordonCompiler
import CordonLinux
import CordonPolicy
import CordonTestSupport
import XCTest

/// Policies at the edges of size and depth: clear errors or correct
/// programs, never a crash (stack overflow) or a hang (quadratic or
/// exponential work). Found by feeding such policies to cordon.
final class RobustnessTests: XCTestCase {
    func testDeepNestingIsALocatedError() {
        let blocks = "x86_64 {\n" + String(repeating: "if {$args(0) == 1} {\n", count: 300) + "return allow\n"
            + String(repeating: "}\n", count: 300) + "return errno 1\n}\n"
        let result = FrontEnd.check(SourceFile(path: "deep.tcl", text: blocks), read: { _ in nil })
        XCTAssertEqual(result.diagnostics.map(\.description), ["deep.tcl:257:20: error: blocks nested more than 256 deep"])
        let parens = "x86_64 {\n if {" + String(repeating: "(", count: 400) + "$nr == 1" + String(repeating: ")", count: 400) + "} { return allow }\n return allow\n}\n"
        let parenResult = FrontEnd.check(SourceFile(path: "parens.tcl", text: parens), read: { _ in nil })
        XCTAssertEqual(parenResult.diagnostics.map(\.description), ["parens.tcl:2:262: error: parentheses and unary operators nested more than 256 deep"])
    }

    /// A 20,000-term condition: checked in linear time, and refused by both
    /// generators with the size error.
    func testAVeryLongConditionIsCheckedAndRefusedCleanly() throws {
        let terms = (0..<20_000).map { "$args(0) == \($0)" }.joined(separator: " || ")
        let result = FrontEnd.check(SourceFile(path: "wide.tcl", text: "x86_64 {\n if {\(terms)} { return allow }\n return errno 1\n}\n"), read: { _ in nil })
        let policy = try XCTUnwrap(result.policy)
        XCTAssertEqual(Interpreter.decide(policy, SeccompData(arch: .x86_64, nr: 0, args: [19_999])).action, .allow)
        XCTAssertEqual(Interpreter.decide(policy, SeccompData(arch: .x86_64, nr: 0, args: [20_000])).action, .errno(1))
        for level in OptimizationLevel.allCases {
            XCTAssertThrowsError(try Compiler.compile(policy, level: level)) { error in
                XCTAssertTrue("\(error)".contains("the kernel accepts at most 4096"), "\(error)")
            }
        }
    }

    /// A 64-bit equality reaches its failure from two accumulator states;
    /// before continuations were memoized, -O2 took 2^n time on such chains.
    func testLongChainsOfSixtyFourBitComparisonsCompileQuickly() throws {
        let terms = (0..<60).map { "$args(0) == \(0x1_0000_0000 + $0 * 3)" }.joined(separator: " || ")
        let policy = try XCTUnwrap(FrontEnd.check(SourceFile(path: "c.tcl", text: "x86_64 {\n if {\(terms)} { return allow }\n return errno 1\n}\n"),
                                                  read: { _ in nil }).policy)
        let program = try Compiler.compile(policy, level: .optimizing).program
        XCTAssertLessThan(program.count, 300)
        let emulator = Emulator(program)
        for value in (0..<200).map({ UInt64(0x1_0000_0000) + UInt64($0) }) + [0, 3, .max] {
            let data = SeccompData(arch: .x86_64, nr: 0, args: [value])
            XCTAssertEqual(emulator.run(data).value, Interpreter.decide(policy, data).action.rawValue, "0x\(String(value, radix: 16))")
        }
    }
}
