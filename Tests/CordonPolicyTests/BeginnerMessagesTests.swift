import CordonPolicy
import XCTest

/// What beginners write, and the message that tells them what they meant
/// (issue 13): each points at the mistake and names the fix.
final class BeginnerMessagesTests: XCTestCase {
    private func first(_ text: String) -> String {
        check(text).diagnostics.first?.description ?? "no diagnostic"
    }

    func testAnUnclosedInnerBraceIsPointedAtNotLineOne() {
        let result = check("x86_64 {\n    if {$nr eq \"read\"} {\n        return allow\n    return errno EPERM\n}\n")
        XCTAssertEqual(result.diagnostics.map(\.description), ["p.tcl:2:24: error: unterminated brace: this '{' has no matching '}'"])
        XCTAssertEqual(result.diagnostics.first?.notes.map { "\($0.location): \($0.message)" },
                       ["p.tcl:1:8: so the block opened here runs to the end of the file"])
        // With nothing to go by, the outer brace.
        XCTAssertEqual(first("x86_64 {\n    return allow\n"), "p.tcl:1:8: error: unterminated brace: this '{' has no matching '}'")
        XCTAssertEqual(first("x86_64 {\n    if {$nr eq \"read\"} {\n        return allow\n        }\n"),
                       "p.tcl:1:8: error: unterminated brace: this '{' has no matching '}'", "a deeper '}' says nothing")
    }

    func testStrayBracesAndMissingSpaces() {
        XCTAssertEqual(first("x86_64 {\n    return allow\n}\n}\n"),
                       "p.tcl:4:1: error: extra '}': it closes nothing (a '}' above may close its block early, or a '{' may be missing)")
        XCTAssertEqual(first("x86_64 {\n    if{$nr eq \"read\"} { return allow }\n    return allow\n}\n"),
                       "p.tcl:2:5: error: missing space between 'if' and '{': Tcl separates words with spaces: write 'if {'")
        XCTAssertEqual(first("x86_64{ return allow }\n"),
                       "p.tcl:1:1: error: missing space between 'x86_64' and '{': Tcl separates words with spaces: write 'x86_64 {'")
    }

    func testElseIfAndUnbracedConditions() {
        XCTAssertEqual(first("x86_64 {\n    if {$nr eq \"read\"} { return allow } else if {$nr eq \"write\"} { return allow }\n    return allow\n}\n"),
                       "p.tcl:2:41: error: 'else if' is not Tcl: write 'elseif' (else takes a body, not another command)")
        XCTAssertEqual(first("x86_64 {\n    if $nr eq \"read\" { return allow }\n    return allow\n}\n"),
                       "p.tcl:2:8: error: the condition must be one word: brace it, as in if {$nr eq \"read\"} {...}")
        // A one-word condition is still Tcl.
        XCTAssertEqual(check("set ON 1\nx86_64 {\n    if $ON { return allow }\n    return allow\n}\n").diagnostics.filter { $0.severity == .error }.count, 0)
    }

    func testActionsBeginnersWrite() {
        XCTAssertEqual(first("x86_64 {\n    return deny\n}\n"),
                       "p.tcl:2:12: error: unknown action 'deny': to refuse a call write 'errno EPERM' (it fails with EPERM) or 'kill_process'")
        XCTAssertEqual(first("x86_64 {\n    return EPERM\n}\n"),
                       "p.tcl:2:12: error: unknown action 'EPERM': an errno is returned with the errno action; did you mean 'errno EPERM'?")
        XCTAssertEqual(first("x86_64 {\n    return ALLOW\n}\n"), "p.tcl:2:12: error: unknown action 'ALLOW'; did you mean 'allow'?")
    }

    func testArchitecturesByOtherToolsNames() {
        XCTAssertEqual(first("amd64 {\n    return allow\n}\n"),
                       "p.tcl:1:1: error: unknown architecture 'amd64': cordon calls it x86_64, as the kernel does; write x86_64 { ... }")
        XCTAssertEqual(first("arch {x86_64 arm64} {\n    return allow\n}\n"), "p.tcl:1:14: error: unknown architecture 'arm64'; did you mean 'aarch64'?")
    }

    func testSocketcallOnX8664SaysWhereItExists() {
        XCTAssertEqual(first("x86_64 {\n    if {$nr eq \"socketcall\"} { return allow }\n    return allow\n}\n"),
                       "p.tcl:2:16: error: syscall 'socketcall' does not exist on x86_64: it exists only on i386, ppc64le, s390x; on x86_64 programs make the calls it multiplexes (socket, connect, ...) directly, and seccomp sees them")
    }

    func testTheAndEqualsPrecedenceWarningSaysWhy() {
        let result = check("x86_64 {\n    if {$args(1) & O_ACCMODE == O_WRONLY} { return allow }\n    if {($args(1) & O_ACCMODE) == O_WRONLY} { return allow }\n    if {$args(1) & (O_ACCMODE == O_WRONLY)} { return allow }\n    return allow\n}\n")
        XCTAssertEqual(result.diagnostics.filter { $0.id == .precedence }.map(\.description), [
            "p.tcl:2:18: warning: '&' binds looser than '==', as in Tcl and C: this reads $args(1) & (O_ACCMODE == O_WRONLY); write ($args(1) & O_ACCMODE) == O_WRONLY if that is what you mean",
        ], "parenthesized forms say what they mean: no warning")
        XCTAssertEqual(check("x86_64 {\n    if {$args(0) == 1 | $args(1) == 2} { return allow }\n    return allow\n}\n").diagnostics.filter { $0.id == .precedence }.count, 1)
    }
}
