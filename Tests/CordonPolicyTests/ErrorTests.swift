import CordonPolicy
import XCTest

/// Every error class of the language, with its exact FILE:LINE:COL and message.
final class ErrorTests: XCTestCase {
    /// (diagnostic id, policy text, every diagnostic printed)
    let cases: [(DiagnosticID, String, [String])] = [
        (.badAction, "x86_64 {\n    if {$nr == 1} { return frob }\n    if {$nr == 2} { return errno }\n    if {$nr == 3} { return allow now }\n    return\n}\n", [
            "p.tcl:2:28: error: unknown action 'frob'",
            "p.tcl:3:28: error: 'errno' needs a value: errno EPERM or errno 1",
            "p.tcl:4:34: error: too many words after 'allow'",
            "p.tcl:5:11: error: missing action: allow, log, kill_process, kill_thread, trap, errno, trace or notify",
            "p.tcl:6:1: error: block x86_64 can reach its end without a return",
        ]),
        (.badActionValue, "x86_64 {\n    if {$nr == 1} { return errno 5000 }\n    if {$nr == 2} { return errno EINVALL }\n    if {$nr == 3} { return trap 70000 }\n    return trace x\n}\n", [
            "p.tcl:2:34: error: errno value 5000 is out of range 0..4095",
            "p.tcl:3:34: error: unknown errno name 'EINVALL'; did you mean 'EINVAL'?",
            "p.tcl:4:33: error: trap value 70000 is out of range 0..65535",
            "p.tcl:5:18: error: trace takes a number 0..65535, not 'x'",
        ]),
        (.badExpect, "x86_64 { return allow }\nexpect x86_64 {} allow\nexpect x86_64 {read 1 2 3 4 5 6 7} allow\nexpect x86_64 {read AF_NOPE} allow\nexpect i386 {reed} allow\nexpect x86_65 {read} allow\n", [
            "p.tcl:2:15: error: the call is empty: write {SYSCALL ?ARG ...?}",
            "p.tcl:3:33: error: a syscall has at most six arguments",
            "p.tcl:4:21: error: unknown constant 'AF_NOPE'; did you mean 'AF_ROSE'?",
            "p.tcl:5:14: error: unknown syscall 'reed' on i386; did you mean 'read'?",
            "p.tcl:6:8: error: unknown architecture 'x86_65'; did you mean 'x86_64'?",
        ]),
        (.badExpression, "x86_64 {\n    if {$nr eq } { return allow }\n    if {($nr == 1} { return allow }\n    if {$nr == 1 ? 2 : 3} { return allow }\n    return allow\n}\n", [
            "p.tcl:2:16: error: the expression ends where an operand is expected",
            "p.tcl:3:18: error: missing ')' in expression",
            "p.tcl:4:18: error: the ?: operator is not supported: use if/else",
        ]),
        (.badNumber, "x86_64 {\n    if {$args(0) == 010} { return allow }\n    if {$args(0) == 1.5} { return allow }\n    if {$args(0) == 0x10000000000000000} { return allow }\n    return allow\n}\n", [
            "p.tcl:2:21: error: '010' is ambiguous: a decimal number cannot start with 0 (write 0o10 for octal)",
            "p.tcl:3:21: error: '1.5': only integers are supported",
            "p.tcl:4:21: error: '0x10000000000000000' does not fit in 64 bits",
        ]),
        (.badSet, "set 1x 3\nset a-b 3\nx86_64 { return allow }\n", [
            "p.tcl:1:5: error: '1x' is not a valid name: use letters, digits and underscores, not starting with a digit",
            "p.tcl:2:5: error: 'a-b' is not a valid name: use letters, digits and underscores, not starting with a digit",
        ]),
        (.badSwitch, "x86_64 {\n    switch -glob $nr { read { return allow } }\n    switch $nr { read { return allow } write }\n    switch $nr { read - }\n    switch $nr { default { return allow } read { return log } }\n    switch $nr {\n        # comment\n        read { return allow }\n    }\n    switch {1 + 2} { 3 { return allow } }\n    return allow\n}\n", [
            "p.tcl:2:12: error: switch option '-glob' is not supported: cordon's switch matches exactly",
            "p.tcl:3:40: error: switch pattern without a body",
            "p.tcl:4:23: error: no body after the last pattern: '-' falls through to the next body",
            "p.tcl:5:18: error: 'default' must be the last pattern",
            "p.tcl:7:9: error: '#' is not a comment between switch patterns (Tcl reads it as a pattern): put the comment inside a body",
            "p.tcl:10:13: error: switch can test $nr or an argument field ($args(N), $args32(N), $ip)",
        ]),
        (.commandSubstitution, "x86_64 {\n    if {[info exists x]} { return allow }\n    return allow\n}\n", [
            "p.tcl:2:9: error: command substitution [...] is not part of the cordon language",
        ]),
        (.constantOutOfRange, "x86_64 {\n    if {$args32(1) == 0x100000000} { return allow }\n    if {$nr == -2147483649} { return allow }\n    return allow\n}\ni386 { if {$args(0) == 0x1ffffffff} { return allow }; return allow }\n", [
            "p.tcl:2:23: error: constant 4294967296 does not fit $args32(1), a 32-bit field: use -2147483648..4294967295",
            "p.tcl:3:16: error: constant -2147483649 does not fit $nr, a 32-bit field: use -2147483648..4294967295",
            "p.tcl:6:24: error: constant 8589934591 does not fit $args32(0), a 32-bit field: use -2147483648..4294967295",
        ]),
        (.divisionByZero, "x86_64 {\n    if {$args(0) == 1 / (2 - 2)} { return allow }\n    return allow\n}\n", [
            "p.tcl:2:23: error: division by zero",
        ]),
        (.duplicateArch, "x86_64 { return allow }\narch {i386 x86_64} { return allow }\n", [
            "p.tcl:2:12: error: architecture x86_64 already has a block",
        ]),
        (.duplicateBadarch, "badarch kill\nbadarch allow\nx86_64 { return allow }\n", [
            "p.tcl:2:9: error: badarch is already set",
        ]),
        (.duplicateSet, "set A 1\nx86_64 {\n    set A 2\n    set B 3\n    set B 4\n    return allow\n}\n", [
            "p.tcl:3:5: error: 'A' is already set",
            "p.tcl:5:5: error: 'B' is already set",
        ]),
        (.extraAfterCloseBrace, "x86_64 {return allow}x\n", [
            "p.tcl:1:22: error: extra characters after close-brace",
        ]),
        (.extraAfterCloseQuote, "set A \"b\"c\nx86_64 { return allow }\n", [
            "p.tcl:1:10: error: extra characters after close-quote",
        ]),
        (.misplacedCommand, "return allow\nx86_64 {\n    badarch kill\n    return allow\n}\n", [
            "p.tcl:1:1: error: 'return' is only allowed inside an architecture block",
            "p.tcl:3:5: error: 'badarch' is only allowed at the top level, outside architecture blocks",
        ]),
        (.missingReturn, "x86_64 {\n    if {$nr eq read} { return allow }\n}\narch {i386 x32} {\n    switch $nr { read { return allow } }\n}\n", [
            "p.tcl:3:1: error: block x86_64 can reach its end without a return",
            "p.tcl:6:1: error: block arch {i386 x32} can reach its end without a return",
        ]),
        (.reservedName, "set nr 3\nx86_64 { set args 1; return allow }\n", [
            "p.tcl:1:5: error: 'nr' is built in ($nr) and cannot be set",
            "p.tcl:2:14: error: 'args' is built in ($args) and cannot be set",
        ]),
        (.sourceNotFound, "source missing.tcl\nx86_64 { return allow }\n", [
            "p.tcl:1:8: error: cannot read 'missing.tcl': no such file",
        ]),
        (.substitutionInQuotes, "x86_64 {\n    if {$nr eq \"read$x\"} { return allow }\n    return allow\n}\n", [
            "p.tcl:2:21: error: '$' inside a quoted string: quoted strings are literal in cordon, substitution is not supported",
        ]),
        (.tclCommand, "proc deny {} { return errno 1 }\nx86_64 { puts hello; return allow }\n", [
            "p.tcl:1:1: error: Tcl's 'proc' is not part of the cordon language",
            "p.tcl:2:10: error: Tcl's 'puts' is not part of the cordon language",
        ]),
        (.unknownArch, "arch {x86_65} { return allow }\nsparc { return allow }\n", [
            "p.tcl:1:7: error: unknown architecture 'x86_65'; did you mean 'x86_64'?",
            "p.tcl:2:1: error: unknown command 'sparc'",
        ]),
        (.unknownCommand, "expekt x86_64 {read} allow\nx86_64 {\n    allow\n    iff {1} { return allow }\n    return allow\n}\n", [
            "p.tcl:1:1: error: unknown command 'expekt'; did you mean 'expect'?",
            "p.tcl:3:5: error: unknown command 'allow'; did you mean 'return allow'?",
            "p.tcl:4:5: error: unknown command 'iff'; did you mean 'if'?",
        ]),
        (.unknownConstant, "x86_64 {\n    if {$args(0) == AF_INTE} { return allow }\n    if {$args(0) == socket} { return allow }\n    return allow\n}\n", [
            "p.tcl:2:21: error: unknown constant 'AF_INTE'; did you mean 'AF_INET'?",
            "p.tcl:3:21: error: 'socket' is a syscall name, not a constant: compare it with $nr using eq, ne, in or ni",
        ]),
        (.unknownSyscall, "x86_64 {\n    if {$nr eq \"sockett\"} { return allow }\n    if {$nr in {read wirte}} { return allow }\n    return allow\n}\narch {x86_64 i386} { if {$nr eq sockettcall} { return allow }; return allow }\n", [
            "p.tcl:2:16: error: unknown syscall 'sockett' on x86_64; did you mean 'socket'?",
            "p.tcl:3:22: error: unknown syscall 'wirte' on x86_64; did you mean 'write'?",
            "p.tcl:6:7: error: architecture x86_64 already has a block",
            "p.tcl:6:33: error: unknown syscall 'sockettcall' on x86_64, i386; did you mean 'socketcall'?",
        ]),
        (.unknownVariable, "set NET {socket}\nx86_64 {\n    if {$nr in $NTE} { return allow }\n    return allow\n}\n", [
            "p.tcl:3:16: error: unknown variable '$NTE'; did you mean 'NET'?",
        ]),
        (.unsupportedOperation, "x86_64 {\n    if {$args(0) + 1 == 2} { return allow }\n    if {$args(1) == $args(2)} { return allow }\n    if {$arch == 1} { return allow }\n    if {$args(0) == ~0 ^ 0xff} { return allow }\n    if {$args(0) * 2} { return allow }\n    if {$nr in 1 + $args(0)} { return allow }\n    return allow\n}\n", [
            "p.tcl:2:18: error: arithmetic on $args(0) is not possible in a filter: only '$args(0) & CONSTANT' is",
            "p.tcl:3:18: error: comparing two fields is not possible in a filter: compare a field with a constant",
            "p.tcl:4:15: error: compare $arch with eq or ne and a name, such as $arch eq \"i386\"",
            "p.tcl:5:24: warning: '^' binds looser than '==', as in Tcl and C: this reads ($args(0) == ~0) ^ 0xff; write $args(0) == (~0 ^ 0xff) if that is what you mean",
            "p.tcl:5:24: error: a comparison's result cannot be used as a number in a filter",
            "p.tcl:6:18: error: arithmetic on $args(0) is not possible in a filter: only '$args(0) & CONSTANT' is",
            "p.tcl:7:18: error: arithmetic on $args(0) is not possible in a filter: only '$args(0) & CONSTANT' is",
        ]),
        (.namedArgumentUnresolved, "x86_64 {\n    if {$args(family) == 1} { return allow }\n    return allow\n}\n", [
            "p.tcl:2:9: error: $args(family) needs the syscall to be known here: test $nr first (if {$nr eq socket} {...}, a switch arm on $nr, or $nr in {...} of syscalls that declare family alike)",
        ]),
        (.unknownParameter, "x86_64 {\n    if {$nr eq socket && $args(famly) == 1} { return allow }\n    return allow\n}\n", [
            "p.tcl:2:26: error: socket has no parameter 'famly' on x86_64; did you mean 'family'? (its parameters: family, type, protocol)",
        ]),
        (.parameterDisagrees, "x86_64 {\n    if {$nr in {read pwrite64} && $args(buf) == 1} { return allow }\n    if {$nr in {openat mkdirat} && $args(mode) == 1} { return allow }\n    return allow\n}\n", [
            "p.tcl:3:36: error: $args(mode) means mode (2 bytes, args[3]) for openat but mode (2 bytes, args[2]) for mkdirat: test them apart, or use $args(N)/$args32(N)",
        ]),
        (.splitParameter, "i386 {\n    if {$nr eq ftruncate64 && $args(length) == 0} { return allow }\n    return allow\n}\n", [
            "p.tcl:2:31: error: on i386, ftruncate64's length is a 64-bit value split over two arguments: compare $args32(1) (low word) and $args32(2) (high word)",
        ]),
        (.unterminatedBrace, "x86_64 {\n    return allow\n", [
            "p.tcl:1:8: error: unterminated brace: this '{' has no matching '}'",
        ]),
        (.unterminatedQuote, "set A \"abc\nx86_64 { return allow }\n", [
            "p.tcl:1:7: error: unterminated quote: this '\"' has no closing '\"'",
        ]),
        (.variableNotNumber, "set L {read write}\nx86_64 {\n    if {$args(0) == $L} { return allow }\n    return allow\n}\n", [
            "p.tcl:3:21: error: $L is a list, not a number",
        ]),
        (.variableNotAction, "set L {read write}\nx86_64 {\n    return $L\n}\n", [
            "p.tcl:3:12: error: $L does not hold an action: set it to one, such as {errno EACCES}, allow or kill_process",
        ]),
        (.wrongArguments, "x86_64\nx86_64 {\n    if {$nr == 1}\n    return allow\n}\n", [
            "p.tcl:1:1: error: wrong arguments: should be \"x86_64 BODY\"",
            "p.tcl:3:5: error: wrong arguments: should be \"if EXPR ?then? BODY\"",
        ]),
    ]

    func testEveryErrorClass() {
        for (id, text, expected) in cases {
            let result = check(text)
            XCTAssertEqual(result.diagnostics.map(\.description), expected, "\(id)")
            XCTAssertTrue(result.diagnostics.contains { $0.id == id }, "\(id) not reported")
            XCTAssertNil(result.policy, "\(id): a policy with errors gives no IR")
        }
        let covered = Set(cases.map(\.0))
        // These have tests of their own (DiagnosticFormatTests, RobustnessTests, SourceLimitsTests).
        let own: Set<DiagnosticID> = [.sourceCycle, .nestingTooDeep, .sourceTooDeep, .sourceTooMany, .sourceNotText]
        let errors = DiagnosticID.allCases.filter { !ErrorTests.warningIDs.contains($0) && !own.contains($0) }
        XCTAssertEqual(errors.filter { !covered.contains($0) }, [], "error classes without a test")
    }

    static let warningIDs: Set<DiagnosticID> = [.unreachable, .precedence, .kernelLacksAction, .alwaysTrue, .neverTrue, .syscallMissingOnArch, .socketcallOpen, .siblingAllowed, .noBlocks, .badarchAllows,
                                                .argumentWidth]
}
