import CordonLinux
/// Stable identifiers of every diagnostic, for tests and docs.
public enum DiagnosticID: String, Sendable, Hashable, CaseIterable {
    // Syntax
    case unterminatedBrace, unterminatedQuote, extraAfterCloseBrace, extraAfterCloseQuote
    case commandSubstitution, substitutionInQuotes
    case badExpression, badNumber, nestingTooDeep
    // Commands
    case unknownCommand, tclCommand, misplacedCommand, wrongArguments
    case unknownArch, duplicateArch
    case badAction, badActionValue
    case badSet, duplicateSet, reservedName
    case badSwitch
    // Includes
    case sourceNotFound, sourceCycle, sourceTooDeep, sourceTooMany, sourceNotText
    // Names and types
    case unknownSyscall, unknownConstant, unknownVariable, variableNotNumber, variableNotAction
    case unsupportedOperation, constantOutOfRange, divisionByZero
    case missingReturn, duplicateBadarch, badExpect
    case namedArgumentUnresolved, unknownParameter, parameterDisagrees, splitParameter
    // Warnings
    case unreachable, alwaysTrue, neverTrue, syscallMissingOnArch
    case socketcallOpen, siblingAllowed, precedence
    case noBlocks, badarchAllows
    case argumentWidth
    // Against the running kernel (cordon check --kernel, cordon run)
    case kernelLacksAction
}

/// A message before it is placed: severity, id and text.
public struct Message: Sendable, Hashable {
    public let severity: Severity
    public let id: DiagnosticID
    public let text: String
}

extension DiagnosticSink {
    /// Reports `message` at `location`.
    public mutating func report(_ message: Message, at location: SourceLocation, notes: [Diagnostic.Note] = []) {
        add(Diagnostic(message.severity, message.id, message.text, at: location, notes: notes))
    }
}

/// Every message the front end prints, in one place.
enum Msg {
    private static func error(_ id: DiagnosticID, _ text: String) -> Message { Message(severity: .error, id: id, text: text) }
    private static func warning(_ id: DiagnosticID, _ text: String) -> Message { Message(severity: .warning, id: id, text: text) }

    static func suggestion(_ candidate: String?) -> String {
        candidate.map { "; did you mean '\($0)'?" } ?? ""
    }

    // MARK: Syntax

    static func nestingTooDeep(_ what: String, _ limit: Int) -> Message {
        error(.nestingTooDeep, "\(what) nested more than \(limit) deep")
    }
    static func unterminatedBrace() -> Message { error(.unterminatedBrace, "unterminated brace: this '{' has no matching '}'") }
    static func outerBraceRunsOn() -> String { "so the block opened here runs to the end of the file" }
    static func unterminatedQuote() -> Message { error(.unterminatedQuote, "unterminated quote: this '\"' has no closing '\"'") }
    static func extraAfterCloseBrace() -> Message { error(.extraAfterCloseBrace, "extra characters after close-brace") }
    static func extraAfterCloseQuote() -> Message { error(.extraAfterCloseQuote, "extra characters after close-quote") }
    static func commandSubstitution() -> Message {
        error(.commandSubstitution, "command substitution [...] is not part of the cordon language")
    }
    static func substitutionInQuotes(_ c: String) -> Message {
        error(.substitutionInQuotes, "'\(c)' inside a quoted string: quoted strings are literal in cordon, substitution is not supported")
    }
    static func emptyExpression() -> Message { error(.badExpression, "empty expression") }
    static func unexpectedInExpression(_ what: String) -> Message { error(.badExpression, "unexpected \(what) in expression") }
    static func missingCloseParen() -> Message { error(.badExpression, "missing ')' in expression") }
    static func missingOperand(_ op: String) -> Message { error(.badExpression, "operator '\(op)' is missing its left operand") }
    static func missingOperandAtEnd() -> Message { error(.badExpression, "the expression ends where an operand is expected") }
    static func unsupportedOperator(_ op: String) -> Message {
        switch op {
        case "?", ":": return error(.badExpression, "the ?: operator is not supported: use if/else")
        case "**": return error(.badExpression, "operator '**' is not supported")
        default: return error(.badExpression, "unexpected '\(op)' in expression")
        }
    }
    static func unexpectedCharacter(_ c: String) -> Message { error(.badExpression, "unexpected character '\(c)' in expression") }
    static func dollarWithoutName() -> Message { error(.badExpression, "'$' must be followed by a variable name") }
    static func unknownArray(_ name: String) -> Message {
        error(.badExpression, "$\(name)(...) is not an argument field: only $args(N) and $args32(N) take an index")
    }
    static func badArgumentIndex(_ name: String, _ index: String) -> Message {
        error(.badExpression, "$\(name)(\(index)): the argument index must be 0 to 5")
    }
    static func namedArgumentUnresolved(_ name: String) -> Message {
        error(.namedArgumentUnresolved, "$args(\(name)) needs the syscall to be known here: test $nr first (if {$nr eq socket} {...}, a switch arm on $nr, or $nr in {...} of syscalls that declare \(name) alike)")
    }
    static func unknownParameter(_ name: String, _ syscall: String, _ arch: String, _ closest: String?, _ all: [String]) -> Message {
        let list = all.isEmpty ? "it takes no parameters" : "its parameters: " + all.joined(separator: ", ")
        return error(.unknownParameter, "\(syscall) has no parameter '\(name)' on \(arch)" + Self.suggestion(closest) + " (\(list))")
    }
    static func parameterOfNoSyscall(_ name: String, _ number: UInt32, _ arch: String) -> Message {
        error(.unknownParameter, "$args(\(name)): \(arch) has no syscall numbered \(number), so it has no parameters to name")
    }
    static func parameterDisagrees(_ name: String, _ first: String, _ firstPlace: String, _ other: String, _ otherPlace: String) -> Message {
        error(.parameterDisagrees, "$args(\(name)) means \(firstPlace) for \(first) but \(otherPlace) for \(other): test them apart, or use $args(N)/$args32(N)")
    }
    static func splitParameter(_ name: String, _ syscall: String, _ arch: String, _ slot: Int) -> Message {
        error(.splitParameter, "on \(arch), \(syscall)'s \(name) is a 64-bit value split over two arguments: compare $args32(\(slot)) (low word) and $args32(\(slot + 1)) (high word)")
    }
    static func argumentWidth(_ text: String) -> Message { warning(.argumentWidth, text) }
    static func argumentsNeedIndex(_ name: String) -> Message {
        error(.badExpression, "$\(name) needs an argument index: $\(name)(0) to $\(name)(5)")
    }
    static func leadingZero(_ text: String) -> Message {
        error(.badNumber, "'\(text)' is ambiguous: a decimal number cannot start with 0 (write 0o\(text.drop { $0 == "0" }) for octal)")
    }
    static func floatLiteral(_ text: String) -> Message { error(.badNumber, "'\(text)': only integers are supported") }
    static func badNumber(_ text: String) -> Message { error(.badNumber, "'\(text)' is not a valid integer") }
    static func numberTooLarge(_ text: String) -> Message { error(.badNumber, "'\(text)' does not fit in 64 bits") }

    // MARK: Commands

    static func archOtherName(_ name: String, _ arch: String) -> Message {
        error(.unknownArch, "unknown architecture '\(name)': cordon calls it \(arch), as the kernel does; write \(arch) { ... }")
    }
    static func extraCloseBrace() -> Message {
        error(.unknownCommand, "extra '}': it closes nothing (a '}' above may close its block early, or a '{' may be missing)")
    }
    static func missingSpaceBeforeBrace(_ command: String) -> Message {
        error(.unknownCommand, "missing space between '\(command)' and '{': Tcl separates words with spaces: write '\(command) {'")
    }
    static func elseIf() -> Message {
        error(.wrongArguments, "'else if' is not Tcl: write 'elseif' (else takes a body, not another command)")
    }
    static func unbracedCondition(_ suggestion: String) -> Message {
        error(.wrongArguments, "the condition must be one word: brace it, as in \(suggestion)")
    }
    static func precedence(_ op: String, _ comparison: String, _ reads: String, _ meant: String) -> Message {
        warning(.precedence, "'\(op)' binds looser than '\(comparison)', as in Tcl and C: this reads \(reads); write \(meant) if that is what you mean")
    }
    static func unknownCommand(_ name: String, _ suggestion: String?) -> Message {
        error(.unknownCommand, "unknown command '\(name)'" + Self.suggestion(suggestion))
    }
    static func tclCommand(_ name: String) -> Message {
        error(.tclCommand, "Tcl's '\(name)' is not part of the cordon language")
    }
    static func onlyInBlock(_ name: String) -> Message {
        error(.misplacedCommand, "'\(name)' is only allowed inside an architecture block")
    }
    static func onlyAtTopLevel(_ name: String) -> Message {
        error(.misplacedCommand, "'\(name)' is only allowed at the top level, outside architecture blocks")
    }
    static func wrongArguments(_ usage: String) -> Message { error(.wrongArguments, "wrong arguments: should be \"\(usage)\"") }
    static func unknownArch(_ name: String, _ suggestion: String?) -> Message {
        let known: String = CordonLinux.Arch.allCases.map(\.rawValue).joined(separator: ", ")
        let tail: String = suggestion == nil ? " (known: \(known))" : ""
        return error(.unknownArch, "unknown architecture '\(name)'" + Self.suggestion(suggestion) + tail)
    }
    static func duplicateArch(_ arch: String) -> Message {
        error(.duplicateArch, "architecture \(arch) already has a block")
    }
    static func firstBlockHere() -> String { "its first block is here" }
    static func unknownAction(_ name: String, _ suggestion: String?) -> Message {
        error(.badAction, "unknown action '\(name)'" + Self.suggestion(suggestion))
    }
    static func actionNeedsErrno(_ name: String) -> Message {
        error(.badAction, "unknown action '\(name)': an errno is returned with the errno action; did you mean 'errno \(name)'?")
    }
    static func noDenyAction(_ name: String) -> Message {
        error(.badAction, "unknown action '\(name)': to refuse a call write 'errno EPERM' (it fails with EPERM) or 'kill_process'")
    }
    static func missingAction() -> Message { error(.badAction, "missing action: allow, log, kill_process, kill_thread, trap, errno, trace or notify") }
    static func actionNeedsValue(_ name: String) -> Message { error(.badAction, "'\(name)' needs a value: \(name) EPERM or \(name) 1") }
    static func actionExtra(_ name: String) -> Message { error(.badAction, "too many words after '\(name)'") }
    static func actionValueRange(_ name: String, _ text: String, _ max: Int) -> Message {
        error(.badActionValue, "\(name) value \(text) is out of range 0..\(max)")
    }
    static func unknownErrno(_ name: String, _ suggestion: String?) -> Message {
        error(.badActionValue, "unknown errno name '\(name)'" + Self.suggestion(suggestion))
    }
    static func badSetName(_ name: String) -> Message {
        error(.badSet, "'\(name)' is not a valid name: use letters, digits and underscores, not starting with a digit")
    }
    static func reservedName(_ name: String) -> Message {
        error(.reservedName, "'\(name)' is built in ($\(name)) and cannot be set")
    }
    static func duplicateSet(_ name: String) -> Message { error(.duplicateSet, "'\(name)' is already set") }
    static func firstSetHere() -> String { "first set here" }
    static func setHere(_ name: String) -> String { "$\(name) is set here" }
    static func switchOption(_ option: String) -> Message {
        error(.badSwitch, "switch option '\(option)' is not supported: cordon's switch matches exactly")
    }
    static func switchOddPatterns() -> Message { error(.badSwitch, "switch pattern without a body") }
    static func switchLastFallthrough() -> Message { error(.badSwitch, "no body after the last pattern: '-' falls through to the next body") }
    static func switchDefaultNotLast() -> Message { error(.badSwitch, "'default' must be the last pattern") }
    static func switchComment() -> Message {
        error(.badSwitch, "'#' is not a comment between switch patterns (Tcl reads it as a pattern): put the comment inside a body")
    }
    static func switchValue() -> Message {
        error(.badSwitch, "switch can test $nr or an argument field ($args(N), $args32(N), $ip)")
    }

    // MARK: Includes

    static func sourceNotFound(_ path: String, _ reason: String) -> Message { error(.sourceNotFound, "cannot read '\(path)': \(reason)") }
    static func sourceNotText(_ path: String, _ line: Int, _ column: Int, _ why: String) -> Message {
        error(.sourceNotText, "cannot include '\(path)': at \(line):\(column): \(why)")
    }
    static func sourceTooDeep(_ limit: Int, _ chain: String) -> Message {
        error(.sourceTooDeep, "source nests deeper than \(limit) files: \(chain)")
    }
    static func sourceTooMany(_ limit: Int) -> Message {
        error(.sourceTooMany, "a policy may include at most \(limit) files")
    }
    static func sourceCycle(_ chain: String) -> Message { error(.sourceCycle, "include cycle: \(chain)") }

    // MARK: Names and types

    static func unknownSyscall(_ name: String, _ arches: String, _ suggestion: String?) -> Message {
        error(.unknownSyscall, "unknown syscall '\(name)' on \(arches)" + Self.suggestion(suggestion))
    }
    static func syscallElsewhere(_ name: String, _ arches: String, _ elsewhere: String, _ why: String) -> Message {
        error(.unknownSyscall, "syscall '\(name)' does not exist on \(arches): it exists only on \(elsewhere)" + why)
    }
    static func syscallMissingOnArch(_ name: String, _ arch: String) -> Message {
        warning(.syscallMissingOnArch, "syscall '\(name)' does not exist on \(arch); it matches nothing there")
    }
    static func unknownConstant(_ name: String, _ suggestion: String?) -> Message {
        error(.unknownConstant, "unknown constant '\(name)'" + Self.suggestion(suggestion))
    }
    static func unknownVariable(_ name: String, _ suggestion: String?) -> Message {
        error(.unknownVariable, "unknown variable '$\(name)'" + Self.suggestion(suggestion))
    }
    static func variableNotAction(_ name: String) -> Message {
        error(.variableNotAction, "$\(name) does not hold an action: set it to one, such as {errno EACCES}, allow or kill_process")
    }
    static func variableNotNumber(_ name: String) -> Message {
        error(.variableNotNumber, "$\(name) is a list, not a number")
    }
    static func unsupported(_ what: String) -> Message { error(.unsupportedOperation, what) }
    static func constantOutOfRange64(_ value: String, _ field: String) -> Message {
        error(.constantOutOfRange, "constant \(value) does not fit \(field), a 64-bit field: use -9223372036854775808..18446744073709551615")
    }
    static func arithmeticOverflow() -> Message {
        error(.constantOutOfRange, "constant arithmetic beyond 128 bits: no field can hold the result")
    }
    static func constantOutOfRange(_ value: String, _ field: String) -> Message {
        error(.constantOutOfRange, "constant \(value) does not fit \(field), a 32-bit field: use -2147483648..4294967295")
    }
    static func divisionByZero() -> Message { error(.divisionByZero, "division by zero") }
    static func missingReturn(_ block: String) -> Message {
        error(.missingReturn, "block \(block) can reach its end without a return")
    }
    static func duplicateBadarch() -> Message { error(.duplicateBadarch, "badarch is already set") }
    static func badExpect(_ text: String) -> Message { error(.badExpect, text) }

    // MARK: Warnings

    static func unreachable() -> Message { warning(.unreachable, "unreachable command: every path before it returns") }
    static func alwaysTrue(_ arch: String?) -> Message {
        warning(.alwaysTrue, "this test is always true" + (arch.map { " on \($0)" } ?? ""))
    }
    static func neverTrue(_ arch: String?) -> Message {
        warning(.neverTrue, "this test can never be true" + (arch.map { " on \($0)" } ?? ""))
    }
    static func noBlocks(_ action: String) -> Message {
        warning(.noBlocks, "the policy has no architecture block: every syscall of every architecture gets badarch (\(action))")
    }
    static func badarchAllows() -> Message {
        warning(.badarchAllows, "badarch allow lets every syscall of the architectures without a block through unfiltered (on x86_64, i386 calls through int $0x80 and x32 calls): give them a block, or refuse them")
    }
    static func multiplexerOpen(_ name: String, _ multiplexer: String) -> Message {
        warning(.socketcallOpen, "this i386 block filters \(name) but leaves \(multiplexer) open: i386 programs reach \(name) through \(multiplexer)(2), whose arguments seccomp cannot see")
    }
    static func siblingAllowed(_ arch: String, _ name: String, _ sibling: String, _ why: String) -> Message {
        warning(.siblingAllowed, "\(arch) restricts \(name) but allows \(sibling) whatever its arguments: \(why)")
    }
}
