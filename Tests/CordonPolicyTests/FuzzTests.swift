import CordonPolicy
import CordonTestSupport
import Foundation
import XCTest

/// Thousands of deterministic mutations of the samples through the front
/// end: no crash, no hang, and every failure a located diagnostic.
final class FuzzTests: XCTestCase {
    static let samples: [(String, String)] = {
        let dir = TestEnvironment.packageRoot.appendingPathComponent("samples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".tcl") }.sorted().compactMap { name in
            (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)).map { (name, $0) }
        }
    }()

    static let noise: [Character] = ["{", "}", "[", "]", "$", "\"", "\\", ";", "#", "\n", " ", "(", ")", "-", "0", "x", "&", "|", "!", "="]

    func mutate(_ text: String, using g: inout SeededGenerator) -> String {
        var chars = Array(text)
        for _ in 0..<Int.random(in: 1...3, using: &g) {
            guard !chars.isEmpty else { break }
            let i = Int.random(in: 0..<chars.count, using: &g)
            switch Int.random(in: 0..<6, using: &g) {
            case 0: chars.remove(at: i)
            case 1: chars.insert(chars[i], at: i)
            case 2: chars.insert(Self.noise.randomElement(using: &g)!, at: i)
            case 3: chars = Array(chars.prefix(i))
            case 4:
                // Swap two neighbouring tokens.
                var tokens = String(chars).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                if tokens.count > 2 {
                    let t = Int.random(in: 0..<(tokens.count - 1), using: &g)
                    tokens.swapAt(t, t + 1)
                }
                chars = Array(tokens.joined(separator: " "))
            default:
                // Replace a token with another one of the text.
                var tokens = String(chars).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                if tokens.count > 2 {
                    tokens[Int.random(in: 0..<tokens.count, using: &g)] = tokens.randomElement(using: &g)!
                }
                chars = Array(tokens.joined(separator: " "))
            }
        }
        return String(chars)
    }

    func testMutatedSamplesNeverCrashAndAlwaysLocateTheirErrors() throws {
        XCTAssertGreaterThanOrEqual(Self.samples.count, 4)
        var g = SeededGenerator(seed: 1789)
        var cases = 0, rejected = 0, diagnostics = 0
        for (name, text) in Self.samples {
            for _ in 0..<1250 {
                let mutated = mutate(text, using: &g)
                let file = SourceFile(path: name, text: mutated)
                let result = FrontEnd.check(file, read: { _ in nil })
                cases += 1
                for d in result.diagnostics {
                    diagnostics += 1
                    XCTAssertTrue(d.location.file === file || d.location.file.path != name, "diagnostic in an unknown file")
                    XCTAssertTrue((0...file.bytes.count).contains(d.location.offset), "\(d) outside \(name)")
                    XCTAssertGreaterThanOrEqual(d.location.line, 1)
                    XCTAssertFalse(d.rendered.isEmpty)
                }
                if result.hasErrors {
                    rejected += 1
                    XCTAssertNil(result.policy)
                    XCTAssertTrue(result.diagnostics.contains { $0.severity == .error })
                } else {
                    XCTAssertNotNil(result.policy, "no error but no policy for a mutation of \(name)")
                }
            }
        }
        print("fuzz: \(cases) mutated policies, \(rejected) rejected with errors, \(diagnostics) diagnostics, no crash")
        XCTAssertGreaterThan(rejected, cases / 3)
    }
}
