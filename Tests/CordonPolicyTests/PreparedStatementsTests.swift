import CordonLinux
import CordonOracle
import CordonPolicy
import XCTest

/// Prepared specialization (a binary search for `$nr`-only conditions) gives
/// exactly what specializing the statements gives, on the oracle's policies.
final class PreparedStatementsTests: XCTestCase {
    func testPreparedSpecializationEqualsTheDirectOne() {
        var generator = PolicyGenerator(seed: 4711)
        var random = SplitMix(seed: 99)
        var compared = 0
        for _ in 0..<200 {
            guard let policy = check(generator.policy()).policy else { continue }
            for block in policy.blocks {
                let prepared = PreparedStatements(block.statements)
                var numbers = Specializer.breakpoints(block.statements).map { UInt32(truncatingIfNeeded: $0) }
                numbers += numbers.map { $0 &- 1 } + [0, 0xFFFF_FFFF, 0x4000_0000] + (0..<8).map { _ in UInt32(truncatingIfNeeded: random.next()) }
                for nr in numbers {
                    for keepMasked in [false, true] {
                        XCTAssertEqual(Specializer.specialize(prepared, nr: nr, keepMasked: keepMasked),
                                       Specializer.specialize(block.statements, nr: nr, keepMasked: keepMasked), "\(block.arch) nr \(nr)")
                    }
                    XCTAssertEqual(Specializer.reachableActions(prepared, nr: nr), Specializer.reachableActions(block, nr: nr))
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(compared, 5000)
    }

    func testMembershipAndNegation() throws {
        let policy = try XCTUnwrap(check("x86_64 {\n    if {$nr in {read write close} && !($nr >= 2 && $nr < 3) || $nr > 400} { return errno 1 }\n    return allow\n}\n").policy)
        let prepared = PreparedStatements(policy.blocks[0].statements)
        for nr: UInt32 in [0, 1, 2, 3, 400, 401, 0xFFFF_FFFF] {
            let expected: SeccompReturn = [0, 1, 3].contains(nr) || nr > 400 ? .errno(1) : .allow  // read, write, close
            XCTAssertEqual(Specializer.reachableActions(prepared, nr: nr), [expected], "nr \(nr)")
        }
    }
}
