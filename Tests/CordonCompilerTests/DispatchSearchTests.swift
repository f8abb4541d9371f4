import CordonCompiler
import CordonOracle
import CordonPolicy
import CordonTestSupport
import XCTest

/// The lower bound the benchmark prints: the optimal search over -O2's
/// ranges never costs more than the search -O2 built, and on two ranges
/// they are the same single jump.
final class DispatchSearchTests: XCTestCase {
    func testTheOptimalSearchBoundsTheBuiltOne() throws {
        var generator = PolicyGenerator(seed: 2024)
        var searches = 0, strictlyBetter = 0
        for _ in 0..<150 {
            guard let policy = FrontEnd.check(SourceFile(path: "p.tcl", text: generator.policy()), read: { _ in nil }).policy,
                  let compiled = try? Compiler.compile(policy, level: .optimizing) else { continue }
            XCTAssertEqual(compiled.searches.count, Set(policy.blocks.map { $0.arch.auditArch }).count)
            for search in compiled.searches {
                let optimal = search.optimalCost()
                XCTAssertLessThanOrEqual(optimal, search.builtCost)
                XCTAssertGreaterThanOrEqual(optimal, search.weights.count > 1 ? search.weights.min()! : 0)
                if search.weights.count == 2 { XCTAssertEqual(optimal, search.totalWeight, "one jump") }
                if optimal < search.builtCost { strictlyBetter += 1 }
                searches += 1
            }
        }
        XCTAssertGreaterThan(searches, 150)
        print("dispatch searches: \(searches), where the optimal one is cheaper: \(strictlyBetter)")
        // The Docker sample: within 3% of the optimal on x86_64 and i386.
        let docker = try samplePolicy("docker-default.tcl")
        for search in try Compiler.compile(docker, level: .optimizing).searches {
            XCTAssertLessThan(Double(search.builtCost), Double(search.optimalCost()) * 1.03)
        }
    }
}
