import CordonLinux
import CordonPolicy
import XCTest

/// Checks policy text held in memory; `files` are what `source` can read.
func check(_ text: String, path: String = "p.tcl", files: [String: String] = [:]) -> FrontEnd.Result {
    let all = files
    return FrontEnd.check(SourceFile(path: path, text: text), read: { all[$0] })
}

/// The policy, failing the test when it has errors.
func policy(_ text: String, files: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) -> IRPolicy? {
    let result = check(text, files: files)
    XCTAssertEqual(result.diagnostics.filter { $0.severity == .error }.map(\.description), [], file: file, line: line)
    return result.policy
}

/// The action a policy decides for a call.
func decide(_ policy: IRPolicy?, _ arch: Arch, _ syscall: String, _ args: [UInt64] = [], ip: UInt64 = 0) -> String {
    guard let policy else { return "no policy" }
    let nr = ValueSyntax.syscall(syscall, arch: arch)!
    return Interpreter.decide(policy, SeccompData(arch: arch, nr: nr, instructionPointer: ip, args: args)).action.description
}

/// The diagnostics as `FILE:LINE:COL: severity: message` lines.
func messages(_ text: String, files: [String: String] = [:]) -> [String] {
    check(text, files: files).diagnostics.map(\.description)
}
