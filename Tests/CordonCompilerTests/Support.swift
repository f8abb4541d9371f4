import CordonBPF
import CordonCompiler
import CordonLinux
import CordonPolicy
import CordonTestSupport
import Foundation
import XCTest

/// A sample policy, checked.
func samplePolicy(_ name: String) throws -> IRPolicy {
    let path = TestEnvironment.packageRoot.appendingPathComponent("samples/\(name)").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let result = FrontEnd.check(SourceFile(path: "samples/\(name)", text: text), read: { _ in nil })
    guard let policy = result.policy else { throw OracleFailure("\(name): \(result.diagnostics)") }
    return policy
}

/// A policy from text, checked.
func policyFrom(_ text: String) throws -> IRPolicy {
    let result = FrontEnd.check(SourceFile(path: "t.tcl", text: text), read: { _ in nil })
    guard let policy = result.policy else { throw OracleFailure("\(result.diagnostics)") }
    return policy
}

struct OracleFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Compares `text` with a golden file beside the tests; with
/// CORDON_RECORD_GOLDEN=1 it rewrites the file and fails, so a recording
/// run is never left on.
func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let url = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    if ProcessInfo.processInfo.environment["CORDON_RECORD_GOLDEN"] == "1" {
        try Data(text.utf8).write(to: url)
        XCTFail("recorded \(name): run again without CORDON_RECORD_GOLDEN", file: file, line: line)
        return
    }
    let golden = try String(contentsOf: url, encoding: .utf8)
    XCTAssertEqual(text, golden, "\(name) differs from its golden file (CORDON_RECORD_GOLDEN=1 re-records)", file: file, line: line)
}
