import CordonLinux
import CordonPolicy

/// `cordon import --from gosecco`: a gosecco policy as its documentation
/// defines it, written as a cordon policy, with a warning wherever
/// gosecco's own compiler does otherwise (the data in ../shared/data/gosecco
/// measured each departure against gosecco's compiler and emulator).
public enum GoseccoImport {
    /// Where gosecco's compiler departs from its documentation.
    public enum Departure: String, Sendable, CaseIterable {
        case returnTakenWhenTrue = "return-when-true"
        case notDropped = "not-dropped"
        case rightAssociative = "right-associative"
        case bitsetAllBits = "bitset-all-bits"
        case constantBodyTaken = "constant-body-taken"
        case complementDropped = "complement-dropped"
        case lessSwapped = "less-swapped"
        case lessEqualSwapped = "less-equal-swapped"
        case globalBeatsParameter = "global-beats-parameter"

        /// What gosecco's compiler does instead.
        var explanation: String {
            switch self {
            case .returnTakenWhenTrue: "gosecco's compiler returns the errno when the expression is true, and the negative action when it is false"
            case .notDropped: "gosecco's compiler drops a '!' applied to a run-time test (it compiles !X as X)"
            case .rightAssociative: "gosecco's compiler groups these operators right to left"
            case .bitsetAllBits: "gosecco's compiler reads a full argument '&?' as 'all bits of the right side set', per 32-bit half"
            case .constantBodyTaken: "gosecco's compiler gives the positive action for any body that folds to a constant, false included"
            case .complementDropped: "gosecco's compiler drops a '~' applied to a run-time value"
            case .lessSwapped: "gosecco's compiler reads '<' as '<='"
            case .lessEqualSwapped: "gosecco's compiler reads '<=' as '<'"
            case .globalBeatsParameter: "gosecco's compiler uses a global variable of a macro parameter's name instead of the argument"
            }
        }
    }

    /// A place where gosecco's compiler decides otherwise than its documentation.
    public struct Warning: Sendable, Hashable {
        public let line: Int
        public let departure: Departure
        public let message: String
    }

    /// A policy cordon cannot import, at a line and column.
    public struct Failure: Error, Sendable {
        public let line: Int
        public let column: Int
        public let message: String
        public func rendered(path: String) -> String { "\(path):\(line):\(column): error: \(message)" }
    }

    /// The result: the policy's text and the warnings.
    public struct Result: Sendable {
        public let text: String
        public let warnings: [Warning]
    }

    /// Converts gosecco policy `text` (named `source` in the header).
    public static func convert(_ text: String, source: String) throws(Failure) -> Result {
        let lines: [GoseccoSyntax.Line]
        do { lines = try GoseccoSyntax.parse(text) } catch { throw Failure(line: error.line, column: error.column, message: error.message) }
        var translator = Translator()
        return try translator.translate(lines, source: source)
    }
}

/// Walks a parsed policy: definitions in order, then each rule's body
/// evaluated to a cordon condition.
private struct Translator {
    typealias Expr = GoseccoSyntax.Expr
    typealias Failure = GoseccoImport.Failure

    /// A value while evaluating: a constant, a run-time argument (a half
    /// with the 32-bit operations applied to it so far), or a condition.
    enum Value {
        case constant(UInt64)
        case boolean(Bool)
        case full(Int)
        case half(Int, high: Bool, operations: [HalfConstraint.Operation])
        /// A cordon condition, parenthesized when it has operators.
        case condition(String)
    }

    struct Definition {
        let parameters: [String]?
        let body: Expr
        let line: Int
    }

    var definitions: [String: Definition] = [:]
    var warnings: [GoseccoImport.Warning] = []
    /// The rule being translated: its line, for warnings and errors.
    var line = 0

    mutating func warn(_ departure: GoseccoImport.Departure, _ detail: String) {
        let message = "\(departure.explanation)\(detail.isEmpty ? "" : " (\(detail))"); cordon follows the documentation [gosecco: \(departure.rawValue)]"
        let warning = GoseccoImport.Warning(line: line, departure: departure, message: message)
        if !warnings.contains(warning) { warnings.append(warning) }
    }

    func fail(_ column: Int, _ message: String) -> Failure { Failure(line: line, column: column, message: message) }

    // MARK: The policy

    mutating func translate(_ lines: [GoseccoSyntax.Line], source: String) throws(Failure) -> GoseccoImport.Result {
        // gosecco's Compile(path, true): allow, kill, kill; a DEFAULT_* line overrides.
        var defaults = ["DEFAULT_POSITIVE": "allow", "DEFAULT_NEGATIVE": "kill", "DEFAULT_POLICY": "kill"]
        for case .defaultAction(let which, let action, let at) in lines {
            line = at
            defaults[which] = action
        }
        var rules: [(syscall: String, line: Int, text: String, body: String)] = []
        var seen: [String: (line: Int, key: String)] = [:]
        let table = SyscallTable.forArch(.x86_64)
        for item in lines {
            switch item {
            case .defaultAction: continue
            case .assignment(let name, let parameters, let body, let at):
                line = at
                definitions[name] = Definition(parameters: parameters, body: body, line: at)
            case .rule(let syscall, let positive, let negative, let body, let at, let text):
                line = at
                let name = syscall.lowercased()
                guard table.number(of: name) != nil else {
                    let hint = Suggest.closest(to: name, in: table.names)
                    throw fail(1, "unknown syscall '\(syscall)' on x86_64" + (hint.map { "; did you mean '\($0)'?" } ?? ""))
                }
                // The rule as written after its name: identical duplicates are allowed.
                let key = String(text.drop { $0 == " " || $0 == "\t" }.dropFirst(syscall.count))
                if let first = seen[name] {
                    if first.key == key { continue }
                    throw fail(1, "a second, different rule for \(name) (the first is at line \(first.line)): a policy has one rule per syscall")
                }
                seen[name] = (at, key)
                let plus = try action(positive ?? defaults["DEFAULT_POSITIVE"]!)
                let minus = try action(negative ?? defaults["DEFAULT_NEGATIVE"]!)
                rules.append((name, at, text, try rule(body, positive: plus, negative: minus)))
            }
        }
        line = 0
        let fallback = try action(defaults["DEFAULT_POLICY"]!)
        var out = """
            # Imported by cordon import --from gosecco from \(PolicyText.comment(source)), as gosecco's
            # documentation defines its language; cordon import warned where
            # gosecco's own compiler decides otherwise.
            # gosecco's `kill` is SECCOMP_RET_KILL, the kernel's name for
            # SECCOMP_RET_KILL_THREAD: `kill_thread` here. gosecco filters x86_64
            # only: it kills other architectures' calls, and its rules do not
            # match x32 calls (their numbers have bit 30 set), which get DEFAULT_POLICY.
            badarch kill_thread

            x32 {
                return \(fallback)
            }

            x86_64 {

            """
        for rule in rules {
            out += "    # line \(rule.line): \(PolicyText.comment(rule.text.trimmingCharacters(in: .whitespaces)))\n"
            out += "    if {$nr eq \"\(rule.syscall)\"} {\n\(rule.body)    }\n"
        }
        out += "    return \(fallback)\n}\n"
        return GoseccoImport.Result(text: out, warnings: warnings.sorted { ($0.line, $0.departure.rawValue) < ($1.line, $1.departure.rawValue) })
    }

    /// A gosecco action as cordon's: `allow`, `kill` (the thread), `trap`,
    /// `trace`, an errno number or an upper-case errno name.
    func action(_ word: String) throws(Failure) -> String {
        switch word.lowercased() {
        case "allow": return "allow"
        case "kill": return "kill_thread"
        case "trap": return "trap"
        case "trace": return "trace"
        default: break
        }
        if let n = GoseccoSyntax.Tokenizer.number(word) {
            // The kernel passes at most MAX_ERRNO (4095) on; gosecco writes the value as given.
            return "errno \(min(n, 4095))"
        }
        if word == word.uppercased(), ConstantTable.errno(named: word) != nil { return "errno \(word)" }
        throw fail(1, "unknown action '\(word)': gosecco's actions are allow, kill, trap, trace, an errno number or an upper-case errno name")
    }

    /// The body of `if {$nr eq NAME} {...}`.
    mutating func rule(_ body: GoseccoSyntax.Body, positive: String, negative: String) throws(Failure) -> String {
        switch body {
        case .returns(let n):
            return "        return errno \(min(n, 4095))\n"
        case .expression(let expr):
            return try decide(expr, positive: positive, negative: negative)
        case .expressionThenReturn(let expr, let n):
            warn(.returnTakenWhenTrue, "errno \(n)")
            return try decide(expr, positive: positive, negative: "errno \(min(n, 4095))")
        }
    }

    private mutating func decide(_ expr: Expr, positive: String, negative: String) throws(Failure) -> String {
        // `1` alone is the positive action.
        if case .number(1, _) = expr { return "        return \(positive)\n" }
        let value = try evaluate(expr, [:])
        switch value {
        case .boolean(let truth):
            if !truth { warn(.constantBodyTaken, "this body is always false") }
            return "        return \(truth ? positive : negative)\n"
        case .condition(let text):
            return "        if {\(text)} { return \(positive) }\n        return \(negative)\n"
        default:
            throw fail(expr.column, "a rule's body must be a boolean expression (a comparison, in(...), &&, ||), or 1")
        }
    }

    // MARK: Expressions

    mutating func evaluate(_ expr: Expr, _ bindings: [String: Value]) throws(Failure) -> Value {
        switch expr {
        case .number(let n, _): return .constant(n)
        case .argument(let n, let half, _):
            switch half {
            case .full: return .full(n)
            case .low: return .half(n, high: false, operations: [])
            case .high: return .half(n, high: true, operations: [])
            }
        case .name(let name, let column):
            if let bound = bindings[name] {
                if definitions[name] != nil { warn(.globalBeatsParameter, "'\(name)'") }
                return bound
            }
            switch name.lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: break
            }
            if let definition = definitions[name] {
                guard definition.parameters == nil || definition.parameters!.isEmpty else {
                    throw fail(column, "\(name) is a macro of \(definition.parameters!.count) parameters: call it as \(name)(...)")
                }
                return try evaluate(definition.body, [:])
            }
            if let value = Self.constant(name) { return .constant(value) }
            throw fail(column, "'\(name)' is not defined: variables and macros are defined on a line before their use")
        case .call(let name, let arguments, let column):
            guard let definition = definitions[name], let parameters = definition.parameters else {
                throw fail(column, "'\(name)' is not a macro with parameters")
            }
            guard parameters.count == arguments.count else {
                throw fail(column, "\(name) takes \(parameters.count) arguments, not \(arguments.count)")
            }
            var inner: [String: Value] = [:]
            for (parameter, argument) in zip(parameters, arguments) { inner[parameter] = try evaluate(argument, bindings) }
            return try evaluate(definition.body, inner)
        case .inclusion(let subject, let elements, let negated, _):
            let value = try evaluate(subject, bindings)
            var result: Value = .boolean(negated)
            for element in elements {
                let test = try compare(negated ? "!=" : "==", value, try evaluate(element, bindings), column: element.column)
                result = try combine(negated ? "&&" : "||", result, test, column: element.column)
            }
            return result
        case .unary(let op, let operand, let column):
            let value = try evaluate(operand, bindings)
            if op == "!" {
                switch value {
                case .boolean(let b): return .boolean(!b)
                case .condition(let text):
                    warn(.notDropped, "")
                    return .condition("!(\(text))")
                default: throw fail(column, "'!' applies to a boolean expression")
                }
            }
            switch value {
            case .constant(let c): return .constant(~c)
            case .half(let n, let high, let operations):
                warn(.complementDropped, "")
                return .half(n, high: high, operations: operations + [.complement])
            case .full: throw fail(column, "a full argument cannot be used in arithmetic: use argL or argH")
            default: throw fail(column, "'~' applies to a number")
            }
        case .binary(let op, let lhs, let rhs, let column, _):
            try checkAssociativity(op, lhs, rhs, bindings)
            let a = try evaluate(lhs, bindings), b = try evaluate(rhs, bindings)
            switch op {
            case "||", "&&": return try combine(op, a, b, column: column)
            case "==", "!=", "<", "<=", ">", ">=":
                if op == "<" || op == "<=" {
                    if !isConstant(a) || !isConstant(b) { warn(op == "<" ? .lessSwapped : .lessEqualSwapped, "") }
                }
                return try compare(op, a, b, column: column)
            case "&?":
                noteBitset(a, b)
                return try bitset(a, b, column: column)
            default: return try arithmetic(op, a, b, column: column)
            }
        }
    }

    private func isConstant(_ value: Value) -> Bool {
        switch value {
        case .constant, .boolean: return true
        default: return false
        }
    }

    /// A built-in constant, looked up ignoring case, cut to 32 bits (gosecco's tables).
    static func constant(_ name: String) -> UInt64? {
        if let value = ConstantTable.value(of: name) { return UInt64(bitPattern: value) & 0xFFFF_FFFF }
        let upper = name.uppercased()
        if let value = ConstantTable.value(of: upper) { return UInt64(bitPattern: value) & 0xFFFF_FFFF }
        return nil
    }

    /// `a OP1 b OP2 c` as written groups left to right, as the
    /// documentation says; gosecco's compiler groups it right to left. Warn
    /// where that changes the value.
    private mutating func checkAssociativity(_ op: String, _ lhs: Expr, _ rhs: Expr, _ bindings: [String: Value]) throws(Failure) {
        guard case .binary(let inner, let a, let b, _, let parenthesized) = lhs, !parenthesized else { return }
        guard let level = GoseccoSyntax.levels.firstIndex(where: { $0.contains(op) }), GoseccoSyntax.levels[level].contains(inner) else { return }
        let associative: Set<String> = ["+", "*", "&", "|", "^", "&&", "||"]
        if inner == op && associative.contains(op) { return }
        if inner == "+" && op == "-" { return }
        // Constants: compare the two groupings.
        var scratch = self
        if case .constant(let x)? = try? scratch.evaluate(a, bindings), case .constant(let y)? = try? scratch.evaluate(b, bindings),
           case .constant(let z)? = try? scratch.evaluate(rhs, bindings) {
            let left = try? scratch.arithmetic(op, try scratch.arithmetic(inner, .constant(x), .constant(y), column: 0), .constant(z), column: 0)
            let right = try? scratch.arithmetic(inner, .constant(x), try scratch.arithmetic(op, .constant(y), .constant(z), column: 0), column: 0)
            if case .constant(let l)? = left, case .constant(let r)? = right, l == r { return }
            if case .constant(let l)? = left, case .constant(let r)? = right {
                warn(.rightAssociative, "\(inner) then \(op): \(l) as documented, \(r) in gosecco")
                return
            }
        }
        warn(.rightAssociative, "\(inner) then \(op)")
    }

    private func combine(_ op: String, _ a: Value, _ b: Value, column: Int) throws(Failure) -> Value {
        func text(_ v: Value) throws(Failure) -> String? {
            switch v {
            case .boolean: return nil
            case .condition(let t): return t
            default: throw fail(column, "'\(op)' joins boolean expressions, not numbers")
            }
        }
        let (ta, tb) = (try text(a), try text(b))
        switch (a, b) {
        case (.boolean(let x), .boolean(let y)): return .boolean(op == "&&" ? x && y : x || y)
        case (.boolean(let x), _): return op == "&&" ? (x ? b : .boolean(false)) : (x ? .boolean(true) : b)
        case (_, .boolean(let y)): return op == "&&" ? (y ? a : .boolean(false)) : (y ? .boolean(true) : a)
        default: return .condition("(\(ta!) \(op) \(tb!))")
        }
    }

    private func swapped(_ relation: String) -> String {
        ["<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="][relation]!
    }

    private func compare(_ relation: String, _ a: Value, _ b: Value, column: Int) throws(Failure) -> Value {
        switch (a, b) {
        case (.constant(let x), .constant(let y)):
            let truth: Bool
            switch relation {
            case "==": truth = x == y
            case "!=": truth = x != y
            case "<": truth = x < y
            case "<=": truth = x <= y
            case ">": truth = x > y
            default: truth = x >= y
            }
            return .boolean(truth)
        case (.constant, _): return try compare(swapped(relation), b, a, column: column)
        case (.full(let n), .constant(let c)):
            return .condition("($args(\(n)) \(relation) \(hex(c)))")
        case (.half(let n, let high, let operations), .constant(let c)):
            return try solve(HalfConstraint.comparison(relation, c), n, high, operations, column: column)
        case (.boolean, _), (_, .boolean), (.condition, _), (_, .condition):
            throw fail(column, "'\(relation)' compares numbers, not boolean expressions")
        default:
            throw fail(column, "this compares two arguments: cordon's language compares an argument with constants only (seccomp's filter would need the X register, which the language does not use)")
        }
    }

    private func bitset(_ a: Value, _ b: Value, column: Int) throws(Failure) -> Value {
        switch (a, b) {
        case (.constant(let x), .constant(let y)): return .boolean(x & y != 0)
        case (.constant, _): return try bitset(b, a, column: column)
        case (.full(let n), .constant(let c)):
            if c == 0 { return .boolean(false) }
            return .condition("(($args(\(n)) & \(hex(c))) != 0)")
        case (.half(let n, let high, let operations), .constant(let c)):
            guard c <= HalfConstraint.max else { throw fail(column, "a 32-bit argument half '&?' a constant beyond 32 bits") }
            return try solve(HalfConstraint.comparison("!=", 0), n, high, operations + [.and(c)], column: column)
        default:
            throw fail(column, "'&?' between two arguments: cordon's language tests an argument against constants only")
        }
    }

    /// Marks the full-argument `&?` departure; called by evaluate's caller.
    private mutating func noteBitset(_ a: Value, _ b: Value) {
        if case .full = a { warn(.bitsetAllBits, "") } else if case .full = b { warn(.bitsetAllBits, "") }
    }

    private func arithmetic(_ op: String, _ a: Value, _ b: Value, column: Int) throws(Failure) -> Value {
        switch (a, b) {
        case (.constant(let x), .constant(let y)):
            switch op {
            case "+": return .constant(x &+ y)
            case "-": return .constant(x &- y)
            case "*": return .constant(x &* y)
            case "/", "%":
                guard y != 0 else { throw fail(column, "division by zero") }
                return .constant(op == "/" ? x / y : x % y)
            case "&": return .constant(x & y)
            case "|": return .constant(x | y)
            case "^": return .constant(x ^ y)
            case "<<": return .constant(y >= 64 ? 0 : x << y)
            default: return .constant(y >= 64 ? 0 : x >> y)  // >>
            }
        case (.full, _), (_, .full):
            throw fail(column, "a full argument cannot be used in arithmetic: use the 32-bit argL or argH")
        case (.half(let n, let high, let operations), .constant(let k)):
            guard k <= HalfConstraint.max else { throw fail(column, "run-time arithmetic on a 32-bit half with a constant beyond 32 bits") }
            let operation: HalfConstraint.Operation
            switch op {
            case "+": operation = .add(k)
            case "-": operation = .subtract(k)
            case "*": operation = .multiply(k)
            case "/":
                guard k != 0 else { throw fail(column, "division by zero") }
                operation = .divide(k)
            case "%":
                guard k != 0 else { throw fail(column, "division by zero") }
                operation = .modulo(k)
            case "&": operation = .and(k)
            case "|": operation = .or(k)
            case "^": operation = .xor(k)
            case "<<":
                guard k < 32 else { throw fail(column, "a shift of a 32-bit half by \(k)") }
                operation = .shiftLeft(k)
            default:
                guard k < 32 else { throw fail(column, "a shift of a 32-bit half by \(k)") }
                operation = .shiftRight(k)
            }
            return .half(n, high: high, operations: operations + [operation])
        case (.constant(let k), .half(let n, let high, let operations)):
            guard k <= HalfConstraint.max else { throw fail(column, "run-time arithmetic on a 32-bit half with a constant beyond 32 bits") }
            switch op {
            case "+", "*", "&", "|", "^": return try arithmetic(op, b, a, column: column)
            case "-": return .half(n, high: high, operations: operations + [.subtractFrom(k)])
            default: throw fail(column, "'\(op)' with an argument on its right: cordon can only undo it with the argument on the left")
            }
        case (.half, .half):
            throw fail(column, "arithmetic on two arguments: cordon's language compares an argument with constants only")
        default:
            throw fail(column, "'\(op)' computes on numbers, not boolean expressions")
        }
    }

    /// The condition on argument `n`'s half that `constraint` on the value
    /// computed from it by `operations` means.
    private func solve(_ constraint: HalfConstraint, _ n: Int, _ high: Bool, _ operations: [HalfConstraint.Operation], column: Int) throws(Failure) -> Value {
        var current = constraint
        for operation in operations.reversed() {
            do { current = try current.undoing(operation) } catch {
                throw fail(column, "cordon's language cannot say this run-time test of arg\(high ? "H" : "L")\(n): \(error.reason)")
            }
        }
        if let truth = current.constant { return .boolean(truth) }
        return .condition(Self.text(current, n, high))
    }

    /// The cordon text of a constraint on a half: `$args32(N)` for the low
    /// half, `$args(N)` masked or ranged in its high word for the high one.
    static func text(_ constraint: HalfConstraint, _ n: Int, _ high: Bool) -> String {
        let field = high ? "$args(\(n))" : "$args32(\(n))"
        let shift: UInt64 = high ? 32 : 0
        switch constraint {
        case .masked(let mask, let value, let negated):
            let op = negated ? "!=" : "=="
            if mask == HalfConstraint.max && !high { return "(\(field) \(op) \(hex(value)))" }
            return "((\(field) & \(hex(mask << shift))) \(op) \(hex(value << shift)))"
        case .intervals(let list):
            let parts = list.map { range -> String in
                let low = range.lowerBound << shift
                let top = high ? (range.upperBound << 32) | 0xFFFF_FFFF : range.upperBound
                let fullTop: UInt64 = high ? .max : HalfConstraint.max
                if low == top { return "\(field) == \(hex(low))" }
                if range.lowerBound == 0 { return "\(field) <= \(hex(top))" }
                if top == fullTop { return "\(field) >= \(hex(low))" }
                return "(\(field) >= \(hex(low)) && \(field) <= \(hex(top)))"
            }
            return "(" + parts.joined(separator: " || ") + ")"
        }
    }
}

private func hex(_ value: UInt64) -> String { value < 10 ? String(value) : "0x" + String(value, radix: 16) }
