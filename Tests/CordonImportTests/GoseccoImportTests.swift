import CordonImport
import CordonLinux
import CordonPolicy
import CordonTestSupport
import Foundation
import XCTest

/// `cordon import --from gosecco` against gosecco's own examples and the
/// data set's 1,347 decisions (Tests/Fixtures/gosecco, LGPL-3.0, see its
/// NOTICE): every documented decision holds in cordon's import, and every
/// case where gosecco's compiler decides otherwise has the warning that
/// names the departure, at the rule's line.
final class GoseccoImportTests: XCTestCase {
    let fixtures = TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/gosecco")

    /// Policies gosecco compiles that cordon refuses, and why: each has a
    /// rule that compares two arguments, computes on two, or takes a
    /// remainder at run time, which cordon's language (language.md §5:
    /// comparing two fields, arithmetic on a field) cannot say.
    static let refused: [String: String] = [
        "args_arg_vs_arg": "this compares two arguments",
        "args_halves": "this compares two arguments",
        "arith_mod": "x % 3: seccomp filters may not compute a remainder",
        "arith_runtime": "arithmetic on two arguments",
        "assoc_minus": "arithmetic on two arguments",
        "bitset": "'&?' between two arguments",
        "lt_le": "this compares two arguments",
        "negation_binary": "this compares two arguments",
    ]

    /// Policies gosecco's compiler rejects whose rejection the documentation
    /// supports: cordon rejects them too, with these messages.
    static let rejectedToo: [String: String] = [
        "doc_macros_verbatim": "unexpected ';'",
        "reject_duplicate_rule": "a second, different rule for read",
        "reject_trailing_comment": "a comment starts with '#' in column 0",
        "test_empty_expression_test_policy": "no expression for the rule of write",
        "test_failing_test_policy": "the expression ends where a value is expected",
        "test_missing_variable_policy": "'b' is not defined",
        "test_simple_test_policy": "a rule's body must be a boolean expression",
        "test_type_checker_error_policy": "a rule's body must be a boolean expression",
        // Documented, but it compares a full argument with a 32-bit one plus one.
        "reject_full_arg_vs_expr": "this compares two arguments",
    ]

    private static let departureOfNote: [(prefix: String, departure: GoseccoImport.Departure)] = [
        ("return N taken when true", .returnTakenWhenTrue), ("! dropped", .notDropped), ("right-assoc", .rightAssociative),
        ("&? means all bits", .bitsetAllBits), ("constant-false body taken as true", .constantBodyTaken), ("~ dropped", .complementDropped),
        ("<= swapped", .lessEqualSwapped), ("< swapped", .lessSwapped), ("global name beats macro parameter", .globalBeatsParameter),
    ]

    /// An action as the data writes it, as cordon's return value. gosecco's
    /// `kill` is SECCOMP_RET_KILL (the thread); an errno beyond 4095 is
    /// passed on by the kernel as 4095, the value cordon writes.
    private func action(_ text: String) throws -> SeccompReturn {
        switch text {
        case "allow": return .allow
        case "kill": return .killThread
        case "trap": return .trap(0)
        case "trace": return .trace(0)
        default:
            let n = try XCTUnwrap(UInt64(text.dropFirst("errno ".count)), text)
            return .errno(UInt16(min(n, 4095)))
        }
    }

    func testEveryDocumentedDecisionHoldsAndEveryDepartureIsWarned() throws {
        let table = try String(contentsOf: fixtures.appendingPathComponent("decisions.tsv"), encoding: .utf8)
        var cases: [String: [[String]]] = [:]
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            cases[fields[0], default: []].append(fields)
        }
        XCTAssertEqual(cases.count, 44)
        var checked = 0, warned = 0, skipped = 0
        for (name, rows) in cases.sorted(by: { $0.key < $1.key }) {
            let text = try String(contentsOf: fixtures.appendingPathComponent("policies/\(name).policy"), encoding: .utf8)
            let result: GoseccoImport.Result
            do { result = try GoseccoImport.convert(text, source: "\(name).policy") } catch {
                let expected = try XCTUnwrap(Self.refused[name], "\(name): refused: \(error.message)")
                XCTAssertTrue(error.message.contains(expected), "\(name): \(error.message)")
                skipped += rows.count
                continue
            }
            XCTAssertNil(Self.refused[name], "\(name) imported, but is listed as refused")
            let checkedPolicy = FrontEnd.check(SourceFile(path: "\(name).tcl", text: result.text), read: { _ in nil })
            XCTAssertEqual(checkedPolicy.diagnostics.filter { $0.severity == .error }.map(\.description), [], result.text)
            let policy = try XCTUnwrap(checkedPolicy.policy, name)
            // The rule's line for each syscall, from the import's comments.
            var ruleLine: [String: Int] = [:]
            for line in result.text.split(separator: "\n") {
                guard let match = line.wholeMatch(of: try Regex("    # line ([0-9]+): ([A-Za-z0-9_]+).*").ignoresCase()), match.count == 3,
                      let number = match[1].substring, let syscall = match[2].substring else { continue }
                if ruleLine[String(syscall).lowercased()] == nil { ruleLine[String(syscall).lowercased()] = Int(number) }
            }
            for row in rows {
                let nr = try XCTUnwrap(UInt32(row[2]))
                let args = try row[3...8].map { try XCTUnwrap(UInt64($0.dropFirst(2), radix: 16)) }
                let decided = Interpreter.decide(policy, SeccompData(arch: .x86_64, nr: nr, instructionPointer: 0, args: args)).action
                XCTAssertEqual(decided, try action(row[10]), "\(name) \(row[1]) \(row[3...8].joined(separator: " ")): documented \(row[10])\n\(result.text)")
                checked += 1
                guard !row[11].isEmpty else { continue }
                let departure = try XCTUnwrap(Self.departureOfNote.first { row[11].hasPrefix($0.prefix) }?.departure, row[11])
                let line = try XCTUnwrap(ruleLine[row[1]], "\(name): no rule for \(row[1])")
                XCTAssertTrue(result.warnings.contains { $0.line == line && $0.departure == departure },
                              "\(name) line \(line) (\(row[1])): no '\(departure.rawValue)' warning for '\(row[11])'; warnings: \(result.warnings.map { "\($0.line) \($0.departure.rawValue)" })")
                warned += 1
            }
        }
        // 1,347 cases: those of the eight refused policies are not decided.
        XCTAssertEqual(checked + skipped, 1347)
        XCTAssertEqual(checked, 1037)
        XCTAssertEqual(warned, 102, "of the 154 departures, those outside the refused policies")
        print("gosecco: \(checked) documented decisions hold, \(warned) departures warned, \(skipped) cases in \(Self.refused.count) refused policies")
    }

    func testPoliciesGoseccoRejects() throws {
        let table = try String(contentsOf: fixtures.appendingPathComponent("rejected.tsv"), encoding: .utf8)
        let names = table.split(separator: "\n").dropFirst().map { String($0.split(separator: "\t")[0]) }
        XCTAssertEqual(names.count, 16)
        for name in names {
            let text = try String(contentsOf: fixtures.appendingPathComponent("policies/\(name).policy"), encoding: .utf8)
            if let expected = Self.rejectedToo[name] {
                XCTAssertThrowsError(try GoseccoImport.convert(text, source: name), name) { error in
                    XCTAssertTrue((error as? GoseccoImport.Failure)?.message.contains(expected) == true, "\(name): \(error)")
                }
                continue
            }
            // The documentation allows the rest: they import and check.
            let result = try GoseccoImport.convert(text, source: name)
            XCTAssertNotNil(FrontEnd.check(SourceFile(path: "\(name).tcl", text: result.text), read: { _ in nil }).policy, result.text)
        }
        // What the documented ones mean.
        let inclusion = try GoseccoImport.convert("read: in(arg0, 1,2,3,4)\n", source: "p").text
        XCTAssertTrue(inclusion.contains("($args(0) == 1) || ($args(0) == 2)"), inclusion)
        let returns = try GoseccoImport.convert("read: return 42\n", source: "p").text
        XCTAssertTrue(returns.contains("    if {$nr eq \"read\"} {\n        return errno 42\n    }"), returns)
        // A file name cannot write policy lines.
        let named = try GoseccoImport.convert("read: 1\n", source: "a\nx86_64 { return allow }").text
        XCTAssertFalse(named.split(separator: "\n").contains { $0.hasPrefix("x86_64 { return allow }") }, named)
        let newer = try GoseccoImport.convert("openat2: 1\n", source: "p").text
        XCTAssertTrue(newer.contains("$nr eq \"openat2\""), "cordon's table is newer than gosecco's")
    }

    /// The 32-bit solver, on the operations gosecco computes at run time.
    func testRunTimeArithmeticOnAHalfIsUndoneExactly() throws {
        let text = try GoseccoImport.convert("""
            read: argL0 + 1 == 2
            write: argL0 * 3 == 12
            close: argL0 / 4 == 2
            dup: argL0 | 1 == 7
            lseek: argL2 ^ 5 == 0
            mprotect: argL2 << 1 == 8
            munmap: argL1 >> 12 == 1
            pwrite64: argL0 + 1 == 0
            brk: 10 - argL0 > 3
            mmap: ~argL1 < 5
            ioctl: (argH1 >> 8) & 0xFF == 0x54
            """, source: "p").text
        let policy = try XCTUnwrap(FrontEnd.check(SourceFile(path: "p.tcl", text: text), read: { _ in nil }).policy, text)
        func allows(_ name: String, _ args: [UInt64]) -> Bool {
            let nr = SyscallTable.forArch(.x86_64).number(of: name)!
            return Interpreter.decide(policy, SeccompData(arch: .x86_64, nr: nr, instructionPointer: 0, args: args)).action == .allow
        }
        // Each against a direct 32-bit computation, over values around the edges.
        let values: [UInt64] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0x1000, 0x1FFF, 0x2000, 0x5400, 0x54FF, 0x5500,
                                0x7FFF_FFFF, 0x8000_0004, 0xFFFF_FFFA, 0xFFFF_FFFE, 0xFFFF_FFFF, 0x1_0000_0001]
        let m: UInt64 = 0xFFFF_FFFF
        for v in values {
            let low = v & m
            XCTAssertEqual(allows("read", [v]), (low &+ 1) & m == 2, "read \(v)")
            XCTAssertEqual(allows("write", [v]), (low &* 3) & m == 12, "write \(v)")
            XCTAssertEqual(allows("close", [v]), low / 4 == 2, "close \(v)")
            XCTAssertEqual(allows("dup", [v]), low | 1 == 7, "dup \(v)")
            XCTAssertEqual(allows("lseek", [0, 0, v]), low ^ 5 == 0, "lseek \(v)")
            XCTAssertEqual(allows("mprotect", [0, 0, v]), (low << 1) & m == 8, "mprotect \(v)")
            XCTAssertEqual(allows("munmap", [0, v]), low >> 12 == 1, "munmap \(v)")
            XCTAssertEqual(allows("pwrite64", [v]), (low &+ 1) & m == 0, "pwrite64 \(v)")
            XCTAssertEqual(allows("brk", [v]), (10 &- low) & m > 3, "brk \(v)")
            XCTAssertEqual(allows("mmap", [0, v]), ~low & m < 5, "mmap \(v)")
            XCTAssertEqual(allows("ioctl", [0, v << 32]), (v >> 8) & 0xFF == 0x54, "ioctl high \(v)")
        }
    }

    /// Through the binary: warnings at their lines, the policy written, an
    /// error located, and the output an ordinary policy cordon compiles.
    func testTheCommand() throws {
        let dir = try TestEnvironment.temporaryDirectory("gosecco-import")
        let source = fixtures.appendingPathComponent("policies/expr_return.policy").path
        let result = try runCordon(["import", "--from", "gosecco", source, "-o", "p.tcl"], currentDirectory: dir)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("\(source):2: warning: gosecco's compiler returns the errno when the expression is true"), result.stderr)
        XCTAssertTrue(result.stderr.contains("[gosecco: return-when-true]"), result.stderr)
        XCTAssertEqual(try runCordon(["emulate", "p.tcl", "x86_64", "read", "2"], currentDirectory: dir).stdout.prefix(9), "errno 55 ")
        XCTAssertEqual(try runCordon(["emulate", "p.tcl", "x86_64", "read", "1"], currentDirectory: dir).stdout.prefix(6), "allow ")
        XCTAssertEqual(try runCordon(["emulate", "p.tcl", "i386", "read"], currentDirectory: dir).stdout.prefix(11), "kill_thread")
        XCTAssertEqual(try runCordon(["compile", "p.tcl", "-o", "p.bpf"], currentDirectory: dir).status, 0)
        let refused = try runCordon(["import", "--from", "gosecco", fixtures.appendingPathComponent("policies/lt_le.policy").path, "-o", "q.tcl"], currentDirectory: dir)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("lt_le.policy:7:16: error: this compares two arguments"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("q.tcl").path))
        XCTAssertEqual(try runCordon(["import", "--from", "json", source], currentDirectory: dir).status, 2)
    }
}
