import CordonTestSupport
import Foundation
import XCTest

/// Findings 1 and 4 of the trust issue, through the built binary: no string
/// of a profile can become policy code, names are checked against the
/// tables, and JSON is read as Docker (Go's encoding/json) reads it.
final class ImportTrustTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = try TestEnvironment.temporaryDirectory("import-trust")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func importing(_ json: String, _ extra: [String] = []) throws -> (ProcessResult, String?) {
        try Data(json.utf8).write(to: dir.appendingPathComponent("p.json"))
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("p.tcl"))
        let result = try runCordon(["import", "p.json", "-o", "p.tcl"] + extra, currentDirectory: dir)
        return (result, try? String(contentsOf: dir.appendingPathComponent("p.tcl"), encoding: .utf8))
    }

    private func emulate(_ syscall: String) throws -> String {
        let result = try runCordon(["emulate", "p.tcl", "x86_64", syscall], currentDirectory: dir)
        XCTAssertEqual(result.status, 0, result.stderr)
        return String(result.stdout.prefix { $0 != " " && $0 != "\n" })
    }

    /// The repro: a comment that closes the rule's comment line and adds an
    /// allow-everything rule. Every profile string is now escaped.
    func testAProfileCannotInjectPolicyCode() throws {
        let attacks = [
            "x\\n    if {$nr ne \\\"reboot\\\"} { return allow }\\n    #",
            "x\\r    if {1} { return allow }",
            "} \\n x86_64 { return allow } \\n #",
            "\\\\\\n    if {1} { return allow }",
            "x\\u2028 return allow",
        ]
        for attack in attacks {
            for field in ["comment", "names"] {
                let rule = field == "comment"
                    ? "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"\(attack)\"}"
                    : "{\"names\": [\"read\", \"\(attack)\"], \"action\": \"SCMP_ACT_ALLOW\"}"
                let (result, text) = try importing("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [\(rule)]}")
                if field == "names" {
                    XCTAssertEqual(result.status, 1, "a name that is not a syscall name is refused")
                    XCTAssertTrue(result.stderr.hasPrefix("p.json:1:"), result.stderr)
                    XCTAssertTrue(result.stderr.contains("is not a syscall name of any architecture"), result.stderr)
                    XCTAssertFalse(result.stderr.contains("\n    if"), "the message quotes it escaped")
                    XCTAssertNil(text, "nothing written")
                    continue
                }
                XCTAssertEqual(result.status, 0, result.stderr)
                XCTAssertEqual(try emulate("ptrace"), "errno", "deny-by-default stays deny-by-default: \(attack)\n\(text ?? "")")
                XCTAssertEqual(try emulate("read"), "allow")
                let check = try runCordon(["check", "p.tcl"], currentDirectory: dir)
                XCTAssertEqual(check.status, 0, check.stderr)
                XCTAssertEqual(check.stderr, "", "the escaped comment changes nothing")
            }
        }
        // The file name and the notice reach the policy escaped too.
        try Data("line one\n} x86_64 { return allow }\n".utf8).write(to: dir.appendingPathComponent("notice"))
        try Data("{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\"}".utf8).write(to: dir.appendingPathComponent("q{}.json"))
        let result = try runCordon(["import", "q{}.json", "-o", "q.tcl", "--notice", "notice"], currentDirectory: dir)
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOf: dir.appendingPathComponent("q.tcl"), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# line one\n# <U+007D> x86_64 <U+007B> return allow <U+007D>\n"), text)
        XCTAssertTrue(text.contains("from q<U+007B><U+007D>.json"), text)
        XCTAssertEqual(try runCordon(["emulate", "q.tcl", "x86_64", "read"], currentDirectory: dir).stdout.hasPrefix("kill_process"), true)
    }

    func testUnknownNamesAreErrorsWithDidYouMean() throws {
        var (result, text) = try importing("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\",\n  \"includes\": {\"caps\": [\"CAP_SYS_ADMN\"]}}]}")
        XCTAssertEqual(result.stderr, "p.json:3:24: error: unknown capability \"CAP_SYS_ADMN\" (did you mean CAP_SYS_ADMIN?)\n")
        XCTAssertNil(text)
        (result, text) = try importing("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_46\"]}")
        XCTAssertEqual(result.stderr, "p.json:1:55: error: unknown architecture \"SCMP_ARCH_X86_46\" (did you mean SCMP_ARCH_X86_64?)\n")
        (result, text) = try importing("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"arches\": [\"amd46\"]}}]}")
        XCTAssertEqual(result.stderr, "p.json:1:121: error: unknown architecture \"amd46\" (did you mean amd64?)\n")
        (result, text) = try importing("{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", ["--cap", "SYS_ADMN"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.hasPrefix("cordon import: unknown capability \"SYS_ADMN\" (did you mean CAP_SYS_ADMIN?)"), result.stderr)
        (result, text) = try importing("{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", ["--cap", "sys_admin"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(text?.contains("capabilities CAP_SYS_ADMIN") == true)
    }

    /// Go's decoder keeps the last of duplicate keys and matches keys
    /// case-insensitively; cordon used to keep the first and ignore case.
    func testJSONIsReadAsDockerReadsIt() throws {
        var (result, text) = try importing("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\"}")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try emulate("read"), "kill_process")
        (result, text) = try importing("{\"DefaultAction\":\"SCMP_ACT_ERRNO\",\"SYSCALLS\":[{\"Names\":[\"read\"],\"ACTION\":\"SCMP_ACT_ALLOW\"}]}")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try emulate("read"), "allow")
        XCTAssertEqual(try emulate("write"), "errno")
        // Go folds the Kelvin sign to k and the long s to s.
        (result, text) = try importing("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"\u{017F}yscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}")
        XCTAssertEqual(try emulate("read"), "allow")
        _ = text
    }

    func testJSONErrorsHaveALineAndColumn() throws {
        let cases: [(String, String)] = [
            ("{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [\n    {\"names\": [\"read\"] \"action\": 1}\n  ]\n}",
             "p.json:4:24: error: not valid JSON: expected ',' or '}' after an object value"),
            ("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"defaultErrnoRet\": 4095}",
             "p.json:2:21: error: \"defaultErrnoRet\" is 4095: libseccomp refuses an errno of 4095 or more, so runc could not load this profile"),
            ("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 65536}]}",
             "p.json:2:75: error: \"errnoRet\" is 65536: libseccomp refuses an errno of 4095 or more, so runc could not load this profile"),
            ("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": -1, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}",
             "p.json:2:82: error: \"index\" is -1: it must be an integer from 0 to 18446744073709551615"),
            ("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 6, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}",
             "p.json:2:72: error: argument index 6 is not 0..5"),
            ("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1e3, \"op\": \"SCMP_CMP_EQ\"}]}]}",
             "p.json:2:94: error: \"value\" is 1e3: it must be an integer from 0 to 18446744073709551615"),
            ("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQQ\"}]}]}",
             "p.json:2:72: error: unknown comparison \"SCMP_CMP_EQQ\" (did you mean SCMP_CMP_EQ?)"),
            ("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"5.x\"}}]}",
             "p.json:2:89: error: minKernel \"5.x\" is not a kernel version such as 5.10"),
            ("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": {}}",
             "p.json:1:49: error: \"syscalls\" must be an array, not a JSON object"),
            ("{\"defaultAction\": \"SCMP_ACT_ERRNO\"} {}", "p.json:1:37: error: not valid JSON: invalid character '{' after the top-level value"),
            (String(repeating: "[", count: 600), "p.json:1:513: error: not valid JSON: nesting deeper than 512 levels"),
            ("{\"defaultAction\": \"SCMP_ACT_ERRNO\u{0}\"}", "p.json:1:34: error: not valid JSON: invalid character 0x0 in a string (control characters must be escaped)"),
        ]
        for (json, expected) in cases {
            let (result, text) = try importing(json)
            XCTAssertEqual(result.status, 1, json)
            XCTAssertEqual(result.stderr, expected + "\n", json)
            XCTAssertNil(text, "nothing written")
        }
    }

    /// A rule whose conditions repeat one index becomes a long `||`;
    /// 100,000 of them used to crash `compile` (SIGSEGV). Now it is refused
    /// with the size error, never a crash.
    func testAHugeRuleCompilesOrIsRefusedCleanly() throws {
        let args = (0..<100_000).map { "{\"index\": 0, \"value\": \($0), \"op\": \"SCMP_CMP_EQ\"}" }.joined(separator: ",")
        let (result, _) = try importing("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [\(args)]}]}")
        XCTAssertEqual(result.status, 0, result.stderr)
        for level in ["-O0", "-O2"] {
            let compile = try runCordon(["compile", "p.tcl", level, "-o", "p.h"], currentDirectory: dir)
            XCTAssertEqual(compile.status, 1)
            XCTAssertTrue(compile.stderr.contains("\np.tcl: error: the filter needs at least ") || compile.stderr.hasPrefix("p.tcl: error: the filter needs at least "), compile.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("p.h").path))
    }
}
