import CordonLinux

/// Lowers one block's statements for one architecture: `if` chains stay
/// `if`s, `switch` becomes an `if` chain over its arms, `set` extends the
/// scope. Tests that are always or never true are reported here.
struct BlockLowering {
    var expressions: ExprLowering
    /// Sets of the block so far, to refuse a second definition.
    private var blockSets: [String: SetAST] = [:]
    private let globals: [String: SetAST]
    /// Names given by `-D`, which replace the block's own `set`s of them.
    private let defined: Set<String>

    init(arch: Arch, block: BlockAST, globals: [String: SetAST], defined: Set<String> = []) {
        self.globals = globals
        self.defined = defined
        expressions = ExprLowering(arch: arch, blockArches: block.arches.map(\.arch), shared: block.shared,
                                   scope: globals.mapValues { SetVariable(definition: $0) })
    }

    mutating func lower(_ statements: [StatementAST], _ sink: inout DiagnosticSink) -> [Statement] {
        var result: [Statement] = []
        for statement in statements {
            switch statement {
            case .return(let written):
                // A bad action was reported; the return stays, as a kill.
                let action = written.resolved({ expressions.scope[$0]?.definition }, &sink) ?? written
                result.append(.return(action.action, location: action.location))
            case .set(let definition):
                if defined.contains(definition.name) { continue }
                if let first = globals[definition.name] ?? blockSets[definition.name] {
                    sink.report(Msg.duplicateSet(definition.name), at: definition.location,
                                notes: [Diagnostic.Note(message: Msg.firstSetHere(), location: first.location)])
                } else {
                    blockSets[definition.name] = definition
                    expressions.scope[definition.name] = SetVariable(definition: definition)
                }
            case .if(let statementIf):
                result.append(lowerIf(statementIf, &sink))
            case .switch(let statementSwitch):
                result.append(lowerSwitch(statementSwitch, &sink))
            }
        }
        return result
    }

    private mutating func lowerIf(_ statement: IfAST, _ sink: inout DiagnosticSink) -> Statement {
        var conditions: [Condition] = []
        var bodies: [[Statement]] = []
        // The syscall numbers each branch can see, for `$args(NAME)`; after the
        // `if`, those of the branches that do not end in a return.
        var remaining = expressions.knownNumbers
        var continuing: [Set<UInt32>?] = []
        for (expr, body) in statement.clauses {
            expressions.knownNumbers = remaining
            let lowered = expr.flatMap { expressions.condition($0, &sink) }
            if let expr, let (condition, folded) = lowered, !folded {
                warnConstant(condition, at: expr.location, &sink)
            }
            let condition = lowered?.0 ?? .constant(false)
            conditions.append(condition)
            let bodyPath = NumberSets.intersect(remaining, NumberSets.implied(by: condition, holding: true))
            expressions.knownNumbers = bodyPath
            let loweredBody = lower(body.statements, &sink)
            if !Specializer.endsInReturn(loweredBody) { continuing.append(expressions.knownNumbers) }
            bodies.append(loweredBody)
            remaining = NumberSets.intersect(remaining, NumberSets.implied(by: condition, holding: false))
        }
        expressions.knownNumbers = remaining
        var chain = statement.elseBody.map { lower($0.statements, &sink) } ?? []
        if !Specializer.endsInReturn(chain) { continuing.append(expressions.knownNumbers) }
        expressions.knownNumbers = NumberSets.join(continuing, allReturn: remaining)
        for (condition, body) in zip(conditions, bodies).reversed() {
            chain = [.if(condition, then: body, else: chain, location: statement.location)]
        }
        return chain.first ?? .if(.constant(false), then: [], else: [], location: statement.location)
    }

    private mutating func lowerSwitch(_ statement: SwitchAST, _ sink: inout DiagnosticSink) -> Statement {
        let subject = expressions.switchSubject(statement.value, &sink)
        var arms: [(Condition, [Statement])] = []
        var remaining = expressions.knownNumbers
        var continuing: [Set<UInt32>?] = []
        for arm in statement.arms {
            expressions.knownNumbers = remaining
            let condition = subject.flatMap { expressions.switchArm($0, statement.value.range, arm.patterns, &sink) } ?? .constant(false)
            expressions.knownNumbers = NumberSets.intersect(remaining, NumberSets.implied(by: condition, holding: true))
            let body = lower(arm.body.statements, &sink)
            if !Specializer.endsInReturn(body) { continuing.append(expressions.knownNumbers) }
            arms.append((condition, body))
            remaining = NumberSets.intersect(remaining, NumberSets.implied(by: condition, holding: false))
        }
        // In source order: the default body comes last.
        expressions.knownNumbers = remaining
        var chain = statement.defaultBody.map { lower($0.statements, &sink) } ?? []
        if !Specializer.endsInReturn(chain) { continuing.append(expressions.knownNumbers) }
        expressions.knownNumbers = NumberSets.join(continuing, allReturn: remaining)
        for (condition, body) in arms.reversed() {
            chain = [.if(condition, then: body, else: chain, location: statement.location)]
        }
        return chain.first ?? .if(.constant(false), then: [], else: [], location: statement.location)
    }

    /// Warns when a condition, or a test in it, cannot change its answer.
    private func warnConstant(_ condition: Condition, at location: SourceLocation, _ sink: inout DiagnosticSink) {
        let arch = expressions.archForMessages
        if case .constant(let value) = condition {
            sink.report(value ? Msg.alwaysTrue(arch) : Msg.neverTrue(arch), at: location)
            return
        }
        func visit(_ c: Condition) {
            switch c {
            case .test(let test):
                if let truth = test.constantTruth {
                    sink.report(truth ? Msg.alwaysTrue(arch) : Msg.neverTrue(arch), at: test.location)
                }
            case .and(let a, let b), .or(let a, let b): visit(a); visit(b)
            case .not(let inner): visit(inner)
            case .constant: break
            }
        }
        visit(condition)
    }
}

/// Checks that every path of a body returns and warns about commands after
/// a return; both on the syntax, once for all architectures.
enum Reachability {
    /// Whether every path through `statements` returns; warns at the first
    /// unreachable command of each body.
    static func returns(_ statements: [StatementAST], _ sink: inout DiagnosticSink) -> Bool {
        var done = false
        for statement in statements {
            if done {
                sink.report(Msg.unreachable(), at: statement.location)
                // Still check nested bodies for their own problems.
                _ = returnsAlone(statement, &sink)
                break
            }
            done = returnsAlone(statement, &sink)
        }
        return done
    }

    private static func returnsAlone(_ statement: StatementAST, _ sink: inout DiagnosticSink) -> Bool {
        switch statement {
        case .return: return true
        case .set: return false
        case .if(let s):
            let clauses = s.clauses.map { returns($0.body.statements, &sink) }
            let otherwise = s.elseBody.map { returns($0.statements, &sink) } ?? false
            return clauses.allSatisfy { $0 } && otherwise
        case .switch(let s):
            let arms = s.arms.map { returns($0.body.statements, &sink) }
            let otherwise = s.defaultBody.map { returns($0.statements, &sink) } ?? false
            return arms.allSatisfy { $0 } && otherwise
        }
    }
}
