import CordonLinux

/// A policy file's commands, as parsed (before `source` is followed).
public struct FileAST: Sendable {
    public let file: SourceFile
    public let items: [TopItem]
}

/// A top-level command.
public enum TopItem: Sendable {
    /// `ARCH BODY` or `arch {ARCH ...} BODY`.
    case block(BlockAST)
    /// `set NAME VALUE`.
    case set(SetAST)
    /// `source PATH`: the path word, as written.
    case source(Word)
    /// `badarch ACTION`.
    case badarch(ActionAST)
    /// `expect ARCH CALL ACTION`.
    case expect(ExpectAST)
}

/// One architecture block or a shared `arch {...}` block.
public struct BlockAST: Sendable {
    /// The architectures and where each is named.
    public let arches: [(arch: Arch, location: SourceLocation)]
    /// Whether it was written `arch {...} BODY`.
    public let shared: Bool
    /// The block's name for messages: `x86_64`, or `arch {x86_64 i386}`.
    public let name: String
    public let body: BodyAST
    public let location: SourceLocation
}

/// The commands of a braced body, and where its closing brace is.
public struct BodyAST: Sendable {
    public let statements: [StatementAST]
    /// The closing brace (or the end of the word, for an unbraced body).
    public let end: SourceLocation
}

/// A command inside a block.
public indirect enum StatementAST: Sendable {
    case `if`(IfAST)
    case `switch`(SwitchAST)
    case `return`(ActionAST)
    case set(SetAST)

    /// Where the command starts.
    public var location: SourceLocation {
        switch self {
        case .if(let s): return s.location
        case .switch(let s): return s.location
        case .return(let a): return a.location
        case .set(let s): return s.location
        }
    }
}

/// `if EXPR ?then? BODY ?elseif EXPR ?then? BODY ...? ?else BODY?`
public struct IfAST: Sendable {
    /// Each condition with its body, `if` first, then each `elseif`; a
    /// condition is nil when it had errors (already reported).
    public let clauses: [(condition: Expr?, body: BodyAST)]
    public let elseBody: BodyAST?
    public let location: SourceLocation
}

/// `switch ?--? VALUE {PATTERN BODY ...}`, with `-` fall-through resolved:
/// each arm lists every pattern that runs its body.
public struct SwitchAST: Sendable {
    public let value: Expr
    public let arms: [(patterns: [Word], body: BodyAST)]
    /// The body of the `default` pattern, if any.
    public let defaultBody: BodyAST?
    public let location: SourceLocation
}

/// `set NAME VALUE`: the value is kept as written and read as an integer
/// expression or as a list, whichever its use needs.
public struct SetAST: Sendable {
    public let name: String
    public let value: Word
    /// The value as an expression, when it parses as one.
    public let expression: Expr?
    /// The value as a list of words.
    public let elements: [Word]
    public let location: SourceLocation
}

/// An action: `allow`, `errno EINVAL`, `trap 5`, ..., or a `set` variable
/// holding one (`return $FAIL`), resolved where its scope is known.
public struct ActionAST: Sendable, Hashable {
    public let action: SeccompReturn
    public let location: SourceLocation
    /// `$NAME` when the action is a variable's value: `action` is then a
    /// placeholder until `resolved(in:)` reads the variable.
    public let variable: Word?

    public init(action: SeccompReturn, location: SourceLocation, variable: Word? = nil) {
        self.action = action
        self.location = location
        self.variable = variable
    }
}

/// `expect ARCH {SYSCALL ?ARG...?} ACTION`: names are resolved when checked.
public struct ExpectAST: Sendable {
    public let arch: Arch
    public let syscall: Word
    public let arguments: [Word]
    public let action: ActionAST
    public let location: SourceLocation
}
