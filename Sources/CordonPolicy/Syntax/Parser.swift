import CordonLinux

/// Turns a file's commands into the AST: top-level commands, blocks and
/// their statements, actions. Names that depend on the architecture
/// (syscalls, constants) are left for the checker.
struct Parser {
    let file: SourceFile
    private let lexer: Lexer
    /// Bodies nested deeper than this are an error, not a stack overflow.
    static let maxDepth = 256
    /// How deep the body being parsed is.
    private let depth: Int

    init(file: SourceFile, depth: Int = 0) {
        self.file = file
        lexer = Lexer(file: file)
        self.depth = depth
    }

    /// Parses the whole file.
    static func parse(_ file: SourceFile, _ sink: inout DiagnosticSink) -> FileAST {
        let parser = Parser(file: file)
        let commands = parser.lexer.commands(0, file.bytes.count, &sink)
        return FileAST(file: file, items: commands.compactMap { parser.topItem($0, &sink) })
    }

    static let topCommands = ["arch", "set", "source", "badarch", "expect"]
    static let blockCommands = ["if", "switch", "return", "set"]
    static let tclCommands: Set<String> = [
        "proc", "eval", "upvar", "uplevel", "puts", "foreach", "while", "for", "expr", "global", "variable",
        "namespace", "package", "list", "lappend", "append", "incr", "unset", "string", "array", "catch", "error",
        "rename", "info", "exec", "open", "close", "subst", "after", "format", "regexp", "regsub", "lindex",
        "llength", "split", "join", "break", "continue", "apply", "try", "throw", "dict", "lsort", "lsearch",
    ]
    static let actionNames = ["allow", "log", "kill_process", "kill", "kill_thread", "trap", "errno", "trace", "notify"]

    // MARK: Top level

    /// What a beginner's command name says: a stray `}`, or `if{` without
    /// the space Tcl needs.
    private static func beginnerMistake(_ name: String) -> Message? {
        if name == "}" || name.hasPrefix("}") { return Msg.extraCloseBrace() }
        if let brace = name.firstIndex(of: "{") {
            let head = String(name[..<brace])
            if topCommands.contains(head) || blockCommands.contains(head) || head == "elseif" || head == "else" || Arch(rawValue: head) != nil {
                return Msg.missingSpaceBeforeBrace(head)
            }
        }
        return nil
    }

    /// An architecture name, or its name in other tools as a suggestion.
    static func archSuggestion(_ name: String) -> String? {
        Arch.otherName(name)?.rawValue ?? Suggest.closest(to: name, in: Arch.allCases.map(\.rawValue))
    }

    private func topItem(_ command: Command, _ sink: inout DiagnosticSink) -> TopItem? {
        let words = command.words
        let name = command.name
        if words[0].kind != .bare {
            sink.report(Msg.unknownCommand(name, nil), at: command.location)
            return nil
        }
        if let arch = Arch(rawValue: name) {
            guard words.count == 2 else {
                sink.report(Msg.wrongArguments("\(name) BODY"), at: command.location)
                return nil
            }
            return .block(BlockAST(arches: [(arch, words[0].location)], shared: false, name: name,
                                   body: body(words[1], &sink), location: command.location))
        }
        switch name {
        case "arch":
            guard words.count == 3 else {
                sink.report(Msg.wrongArguments("arch {ARCH ...} BODY"), at: command.location)
                return nil
            }
            var arches: [(Arch, SourceLocation)] = []
            for element in list(words[1], &sink) {
                guard let arch = Arch(rawValue: element.text) else {
                    sink.report(Msg.unknownArch(element.text, Self.archSuggestion(element.text)), at: element.location)
                    continue
                }
                arches.append((arch, element.location))
            }
            if arches.isEmpty {
                if !sink.hasErrors { sink.report(Msg.wrongArguments("arch {ARCH ...} BODY"), at: words[1].location) }
                return nil
            }
            return .block(BlockAST(arches: arches, shared: true, name: "arch {\(arches.map(\.0.rawValue).joined(separator: " "))}",
                                   body: body(words[2], &sink), location: command.location))
        case "set":
            return set(command, &sink).map(TopItem.set)
        case "source":
            guard words.count == 2 else {
                sink.report(Msg.wrongArguments("source PATH"), at: command.location)
                return nil
            }
            return .source(words[1])
        case "badarch":
            guard words.count >= 2 else {
                sink.report(Msg.wrongArguments("badarch ACTION"), at: command.location)
                return nil
            }
            return action(Array(words.dropFirst()), at: words[1].location, &sink).map(TopItem.badarch)
        case "expect":
            return expect(command, &sink).map(TopItem.expect)
        default:
            if let mistake = Self.beginnerMistake(name) {
                sink.report(mistake, at: command.location)
            } else if let arch = Arch.otherName(name) {
                sink.report(Msg.archOtherName(name, arch.rawValue), at: command.location)
            } else if Self.blockCommands.contains(name) {
                sink.report(Msg.onlyInBlock(name), at: command.location)
            } else if Self.tclCommands.contains(name) {
                sink.report(Msg.tclCommand(name), at: command.location)
            } else {
                let candidates = Self.topCommands + Arch.allCases.map(\.rawValue)
                sink.report(Msg.unknownCommand(name, Suggest.closest(to: name, in: candidates)), at: command.location)
            }
            return nil
        }
    }

    private func expect(_ command: Command, _ sink: inout DiagnosticSink) -> ExpectAST? {
        let words = command.words
        guard words.count >= 4 else {
            sink.report(Msg.wrongArguments("expect ARCH {SYSCALL ?ARG ...?} ACTION"), at: command.location)
            return nil
        }
        guard let arch = Arch(rawValue: words[1].text) else {
            sink.report(Msg.unknownArch(words[1].text, Self.archSuggestion(words[1].text)), at: words[1].location)
            return nil
        }
        let call = list(words[2], &sink)
        guard let syscall = call.first else {
            sink.report(Msg.badExpect("the call is empty: write {SYSCALL ?ARG ...?}"), at: words[2].location)
            return nil
        }
        if call.count > 7 {
            sink.report(Msg.badExpect("a syscall has at most six arguments"), at: call[7].location)
            return nil
        }
        guard let action = action(Array(words.dropFirst(3)), at: words[3].location, &sink) else { return nil }
        return ExpectAST(arch: arch, syscall: syscall, arguments: Array(call.dropFirst()), action: action, location: command.location)
    }

    // MARK: Blocks

    /// The statements of a body word.
    func body(_ word: Word, _ sink: inout DiagnosticSink) -> BodyAST {
        let end = SourceLocation(file: file, offset: word.kind == .bare ? word.range.end : word.range.end - 1)
        guard depth < Self.maxDepth else {
            sink.report(Msg.nestingTooDeep("blocks", Self.maxDepth), at: word.location)
            return BodyAST(statements: [.return(ActionAST(action: .killProcess, location: word.location))], end: end)
        }
        let inner = Parser(file: file, depth: depth + 1)
        let commands = lexer.commands(word.content.start, word.content.end, &sink)
        return BodyAST(statements: commands.compactMap { inner.statement($0, &sink) }, end: end)
    }

    private func statement(_ command: Command, _ sink: inout DiagnosticSink) -> StatementAST? {
        let name = command.name
        switch name {
        case "if": return ifStatement(command, &sink).map(StatementAST.if)
        case "switch": return switchStatement(command, &sink).map(StatementAST.switch)
        case "return":
            guard command.words.count >= 2 else {
                sink.report(Msg.missingAction(), at: SourceLocation(file: file, offset: command.range.end))
                return nil
            }
            // A return with a bad action stays a return, so the reachability
            // check does not add a second, misleading error.
            let parsed = action(Array(command.words.dropFirst()), at: command.location, &sink)
            return .return(parsed ?? ActionAST(action: .killProcess, location: command.location))
        case "set": return set(command, &sink).map(StatementAST.set)
        default:
            if let mistake = Self.beginnerMistake(name) {
                sink.report(mistake, at: command.location)
            } else if Self.topCommands.contains(name) || Arch(rawValue: name) != nil {
                sink.report(Msg.onlyAtTopLevel(name), at: command.location)
            } else if Self.tclCommands.contains(name) {
                sink.report(Msg.tclCommand(name), at: command.location)
            } else if Self.actionNames.contains(name) {
                sink.report(Msg.unknownCommand(name, "return \(name)"), at: command.location)
            } else {
                sink.report(Msg.unknownCommand(name, Suggest.closest(to: name, in: Self.blockCommands)), at: command.location)
            }
            return nil
        }
    }

    private func ifStatement(_ command: Command, _ sink: inout DiagnosticSink) -> IfAST? {
        let words = command.words
        var clauses: [(Expr?, BodyAST)] = []
        var elseBody: BodyAST?
        var i = 1
        var keyword = words[0]
        while true {
            // After `if` or `elseif`: a condition, optional `then`, a body.
            guard i < words.count else {
                sink.report(Msg.wrongArguments("\(keyword.text) EXPR ?then? BODY"), at: keyword.location)
                return nil
            }
            // `if $nr eq "read" {...}`: Tcl's condition is one word.
            if words[i].kind == .bare, i + 1 < words.count, words[i + 1].kind != .braced, words[i + 1].text != "then" {
                let rest = words[i...].prefix { $0.kind != .braced }
                let written = rest.map { $0.range.text }.joined(separator: " ")
                sink.report(Msg.unbracedCondition("\(keyword.text) {\(written)} {...}"), at: words[i].location)
                return nil
            }
            let condition = expression(words[i], &sink)
            i += 1
            if i < words.count && words[i].kind == .bare && words[i].text == "then" { i += 1 }
            guard i < words.count else {
                sink.report(Msg.wrongArguments("\(keyword.text) EXPR ?then? BODY"), at: keyword.location)
                return nil
            }
            let thenBody = body(words[i], &sink)
            i += 1
            // A bad condition stays (nil) so the bodies are still checked.
            clauses.append((condition, thenBody))
            guard i < words.count else { break }
            let next = words[i]
            if next.kind == .bare && next.text == "elseif" {
                keyword = next
                i += 1
                continue
            }
            if next.kind == .bare && next.text == "else" {
                if i + 1 < words.count, words[i + 1].kind == .bare, words[i + 1].text == "if" {
                    sink.report(Msg.elseIf(), at: next.location)
                    return nil
                }
                guard i + 1 < words.count else {
                    sink.report(Msg.wrongArguments("else BODY"), at: next.location)
                    return nil
                }
                elseBody = body(words[i + 1], &sink)
                if i + 2 < words.count {
                    sink.report(Msg.unknownCommand(words[i + 2].text, nil).replacingText("extra words after the else body"), at: words[i + 2].location)
                    return nil
                }
                break
            }
            sink.report(Msg.wrongArguments("if EXPR ?then? BODY ?elseif EXPR ?then? BODY ...? ?else BODY?").replacingText(
                "expected 'elseif' or 'else' after the body, found '\(next.text)'"), at: next.location)
            return nil
        }
        return IfAST(clauses: clauses, elseBody: elseBody, location: command.location)
    }

    private func switchStatement(_ command: Command, _ sink: inout DiagnosticSink) -> SwitchAST? {
        var words = Array(command.words.dropFirst())
        while let first = words.first, first.kind == .bare, first.text.hasPrefix("-"), first.text.count > 1 {
            words.removeFirst()
            if first.text == "--" { break }
            if first.text != "-exact" {
                sink.report(Msg.switchOption(first.text), at: first.location)
                return nil
            }
        }
        guard words.count >= 2 else {
            sink.report(Msg.wrongArguments("switch ?--? VALUE {PATTERN BODY ...}"), at: command.location)
            return nil
        }
        guard let value = expression(words[0], &sink) else { return nil }
        let pairs = words.count == 2 ? list(words[1], &sink) : Array(words.dropFirst())
        guard pairs.count % 2 == 0, !pairs.isEmpty else {
            sink.report(Msg.switchOddPatterns(), at: (pairs.last ?? words[1]).location)
            return nil
        }
        var arms: [(patterns: [Word], body: BodyAST)] = []
        var defaultBody: BodyAST?
        var pending: [Word] = []
        var ok = true
        for k in stride(from: 0, to: pairs.count, by: 2) {
            let pattern = pairs[k], bodyWord = pairs[k + 1]
            if pattern.text.hasPrefix("#") && pattern.kind == .bare {
                sink.report(Msg.switchComment(), at: pattern.location)
                ok = false
                continue
            }
            let isLast = k + 2 == pairs.count
            if pattern.text == "default" && pattern.kind == .bare && !isLast {
                sink.report(Msg.switchDefaultNotLast(), at: pattern.location)
                ok = false
                continue
            }
            if bodyWord.kind == .bare && bodyWord.text == "-" {
                if isLast {
                    sink.report(Msg.switchLastFallthrough(), at: bodyWord.location)
                    ok = false
                }
                pending.append(pattern)
                continue
            }
            let armBody = body(bodyWord, &sink)
            if pattern.text == "default" && pattern.kind == .bare {
                // Patterns that fall through into default need no arm:
                // default takes everything the arms before it do not.
                defaultBody = armBody
            } else {
                arms.append((pending + [pattern], armBody))
            }
            pending = []
        }
        return ok ? SwitchAST(value: value, arms: arms, defaultBody: defaultBody, location: command.location) : nil
    }

    // MARK: Shared pieces

    private func set(_ command: Command, _ sink: inout DiagnosticSink) -> SetAST? {
        let words = command.words
        guard words.count == 3 else {
            sink.report(Msg.wrongArguments("set NAME VALUE"), at: command.location)
            return nil
        }
        let name = words[1].text
        let isIdentifier = !name.isEmpty && name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_")
        } && !(name.first!.isNumber)
        guard isIdentifier else {
            sink.report(Msg.badSetName(name), at: words[1].location)
            return nil
        }
        if ["nr", "arch", "ip", "args", "args32"].contains(name) {
            sink.report(Msg.reservedName(name), at: words[1].location)
            return nil
        }
        var scratch = DiagnosticSink()
        let expr = ExprParser.parse(words[2].kind == .bare ? words[2].range : words[2].content, &scratch)
        let elements = words[2].kind == .bare ? [words[2]] : lexer.listElements(words[2].content.start, words[2].content.end, &sink)
        return SetAST(name: name, value: words[2], expression: expr, elements: elements, location: command.location)
    }

    /// A condition or switch value word as an expression.
    func expression(_ word: Word, _ sink: inout DiagnosticSink) -> Expr? {
        ExprParser.parse(word.kind == .bare ? word.range : word.content, &sink)
    }

    /// The elements of a list word (a bare word is a list of itself).
    func list(_ word: Word, _ sink: inout DiagnosticSink) -> [Word] {
        word.kind == .bare ? [word] : lexer.listElements(word.content.start, word.content.end, &sink)
    }

    /// An action from its words: `allow`, `errno EINVAL`, `{errno 1}`.
    func action(_ words: [Word], at location: SourceLocation, _ sink: inout DiagnosticSink) -> ActionAST? {
        // `return $FAIL`: read when the variable's scope is known.
        if words.count == 1, words[0].kind == .bare, words[0].text.hasPrefix("$") {
            return ActionAST(action: .killProcess, location: location, variable: words[0])
        }
        let parts = words.count == 1 && words[0].kind == .braced ? list(words[0], &sink) : words
        guard let head = parts.first else {
            sink.report(Msg.missingAction(), at: location)
            return nil
        }
        let name = head.text
        let value = parts.count > 1 ? parts[1] : nil
        if parts.count > 2 {
            sink.report(Msg.actionExtra(name), at: parts[2].location)
            return nil
        }
        func number(_ word: Word, max: Int) -> UInt16? {
            var local = DiagnosticSink()
            let text = word.text
            if let v = ExprParser.integerLiteral(text, at: word.location, &local), v <= UInt64(max) { return UInt16(v) }
            if text.hasPrefix("-") || local.all.isEmpty || text.first?.isNumber == true {
                if local.all.isEmpty || text.hasPrefix("-") { sink.report(Msg.actionValueRange(name, text, max), at: word.location) }
                else { for d in local.all { sink.add(d) } }
            }
            return nil
        }
        let result: SeccompReturn?
        switch name {
        case "allow", "log", "kill_process", "kill", "kill_thread", "notify":
            if let value {
                sink.report(Msg.actionExtra(name), at: value.location)
                return nil
            }
            switch name {
            case "allow": result = .allow
            case "log": result = .log
            case "kill_thread": result = .killThread
            case "notify": result = .userNotif
            default: result = .killProcess
            }
        case "trap", "trace":
            let n: UInt16?
            if let value {
                n = value.text.first?.isNumber == true || value.text.hasPrefix("-") ? number(value, max: 65535) : nil
                if n == nil && !(value.text.first?.isNumber == true || value.text.hasPrefix("-")) {
                    sink.report(Msg.actionValueRange(name, value.text, 65535).replacingText("\(name) takes a number 0..65535, not '\(value.text)'"), at: value.location)
                }
            } else {
                n = 0
            }
            guard let n else { return nil }
            result = name == "trap" ? .trap(n) : .trace(n)
        case "errno":
            guard let value else {
                sink.report(Msg.actionNeedsValue(name), at: head.location)
                return nil
            }
            if value.text.first?.isNumber == true || value.text.hasPrefix("-") {
                guard let n = number(value, max: 4095) else { return nil }
                result = .errno(n)
            } else if let n = ConstantTable.errno(named: value.text) {
                result = .errno(UInt16(n))
            } else {
                sink.report(Msg.unknownErrno(value.text, Suggest.closest(to: value.text, in: ConstantTable.errnoNames)), at: value.location)
                return nil
            }
        default:
            if ConstantTable.errno(named: name) != nil {
                sink.report(Msg.actionNeedsErrno(name), at: head.location)
            } else if ["deny", "block", "reject", "refuse", "drop", "fail", "forbid", "disallow", "error", "eperm"].contains(name.lowercased()) {
                sink.report(Msg.noDenyAction(name), at: head.location)
            } else {
                let lower = name.lowercased()
                sink.report(Msg.unknownAction(name, Self.actionNames.contains(lower) ? lower : Suggest.closest(to: name, in: Self.actionNames)), at: head.location)
            }
            return nil
        }
        return result.map { ActionAST(action: $0, location: location) }
    }
}

extension ActionAST {
    /// The action itself: a variable's value read as an action (`set FAIL
    /// {errno EACCES}`), with `lookup` giving the `set`s in scope; nil
    /// when it is not one (reported).
    func resolved(_ lookup: (String) -> SetAST?, _ sink: inout DiagnosticSink) -> ActionAST? {
        guard let variable else { return self }
        let name = String(variable.text.dropFirst())
        guard let definition = lookup(name) else {
            sink.report(Msg.unknownVariable(name, nil), at: variable.location)
            return nil
        }
        var local = DiagnosticSink()
        let parser = Parser(file: definition.value.location.file)
        guard let action = parser.action(definition.elements, at: location, &local), action.variable == nil, !local.hasErrors else {
            sink.report(Msg.variableNotAction(name), at: variable.location,
                        notes: local.all.map { Diagnostic.Note(message: $0.message, location: $0.location) }
                            + [Diagnostic.Note(message: Msg.setHere(name), location: definition.location)])
            return nil
        }
        return action
    }
}

extension Message {
    /// The same id and severity with other words.
    func replacingText(_ text: String) -> Message { Message(severity: severity, id: id, text: text) }
}
