import CordonLinux

/// What an expression means once its names are known, before it becomes a
/// condition or a number.
enum Value {
    /// A constant, exact (Tcl's integers): cut to a field's width only where
    /// it meets one.
    case integer(Int128)
    /// A field of seccomp_data, optionally masked (mask cut to its width).
    case field(Field, mask: UInt64?)
    /// A condition. `folded` is set when its truth was decided by the
    /// architecture (`$arch eq ...`, a syscall missing on it): no warning then.
    case boolean(Condition, folded: Bool)
    /// A word whose meaning depends on use: constant, syscall or arch name.
    case name(String, quoted: Bool)
    /// A list: a braced literal or a `set` list.
    case list([Word])
    /// `$arch`.
    case arch
}

/// A set variable: where it is defined and what it holds.
struct SetVariable {
    let definition: SetAST
}

/// Lowers expressions of one block for one architecture into IR conditions,
/// checking names and types and folding constants. Errors go to the sink;
/// a nil result means one was reported.
struct ExprLowering {
    let arch: Arch
    /// The architectures of the block (several for a shared block).
    let blockArches: [Arch]
    let shared: Bool
    /// The `set` variables visible here.
    var scope: [String: SetVariable]
    /// Syscall names the block's tests mention, with the first place each is named.
    var mentionedSyscalls: [String: SourceLocation] = [:]
    /// The syscall numbers that can reach the expression being lowered, as
    /// the path to it fixes them (`$nr` tests of enclosing ifs, switch arms,
    /// the left side of `&&`); nil when the path does not fix the syscall.
    /// `$args(NAME)` resolves against them.
    var knownNumbers: Set<UInt32>?
    private var evaluating: Set<String> = []

    init(arch: Arch, blockArches: [Arch], shared: Bool, scope: [String: SetVariable]) {
        self.arch = arch
        self.blockArches = blockArches
        self.shared = shared
        self.scope = scope
    }

    /// The architecture to name in warnings: only for shared blocks.
    var archForMessages: String? { shared ? arch.rawValue : nil }

    // MARK: Entry points

    /// An `if` condition.
    mutating func condition(_ expr: Expr, _ sink: inout DiagnosticSink) -> (Condition, folded: Bool)? {
        guard let value = evaluate(expr, &sink) else { return nil }
        guard let condition = asCondition(value, expr.range, &sink) else { return nil }
        if case .boolean(_, let folded) = value { return (condition, folded) }
        return (condition, false)
    }

    /// The tests of `value == pattern` for each switch pattern, or'ed.
    mutating func switchArm(_ subject: Value, _ subjectRange: SourceRange, _ patterns: [Word], _ sink: inout DiagnosticSink) -> Condition? {
        var result: Condition?
        var failed = false
        for written in patterns {
            // A pattern `$NAME` stands for each element of the list NAME
            // holds (a literal `$NAME` could never match a syscall or a number).
            guard let expanded = expandPattern(written, &sink) else {
                failed = true
                continue
            }
            for case .pattern(let pattern) in expanded {
            let value: Value = pattern.text.first.map { $0.isNumber || $0 == "-" } == true
                ? integerWord(pattern, &sink).map(Value.integer) ?? .name("", quoted: false)
                : .name(pattern.text, quoted: pattern.kind == .quoted)
            if case .name("", _) = value { failed = true; continue }
            guard let test = equality(subject, value, negate: false, at: pattern.range, rhsRange: pattern.range, &sink) else {
                failed = true
                continue
            }
            guard case .boolean(let c, _) = test else { continue }
            result = result.map { .or($0, c) } ?? c
            }
            for case .value(let value, let range) in expanded {
                guard let test = equality(subject, value, negate: false, at: range, rhsRange: range, &sink),
                      case .boolean(let c, _) = test else {
                    failed = true
                    continue
                }
                result = result.map { .or($0, c) } ?? c
            }
        }
        if failed { return nil }
        return result ?? .constant(false)
    }

    /// A switch pattern as written, or what a `$NAME` pattern stands for.
    private enum Pattern {
        case pattern(Word)
        /// A variable's expression (`set M {O_WRONLY | O_RDWR}`), evaluated.
        case value(Value, SourceRange)
    }

    /// `$NAME`: the elements of its list, or its expression's value; any
    /// other pattern stands for itself. Nil when NAME is unknown (reported).
    private mutating func expandPattern(_ pattern: Word, _ sink: inout DiagnosticSink) -> [Pattern]? {
        guard pattern.kind == .bare, pattern.text.hasPrefix("$") else { return [.pattern(pattern)] }
        let name = String(pattern.text.dropFirst())
        guard let definition = scope[name]?.definition else {
            sink.report(Msg.unknownVariable(name, Suggest.closest(to: name, in: Array(scope.keys))), at: pattern.location)
            return nil
        }
        switch definition.expression {
        case .binary?, .unary?:
            guard let value = variable(name, pattern.range, &sink) else { return nil }
            return [.value(value, pattern.range)]
        default:
            return definition.elements.map { .pattern($0) }
        }
    }

    /// A switch subject: it must be a field.
    mutating func switchSubject(_ expr: Expr, _ sink: inout DiagnosticSink) -> Value? {
        guard let value = evaluate(expr, &sink) else { return nil }
        guard case .field = value else {
            sink.report(Msg.switchValue(), at: expr.location)
            return nil
        }
        return value
    }

    // MARK: Evaluation

    mutating func evaluate(_ expr: Expr, _ sink: inout DiagnosticSink) -> Value? {
        switch expr {
        case .integer(let v, _): return .integer(Int128(v))
        case .name(let text, _): return .name(text, quoted: false)
        case .string(let text, _): return .name(text, quoted: true)
        case .list(let words, _): return .list(words)
        case .argument(let n, let low, _):
            return .field(low || arch.argumentBits == 32 ? .argumentLow(n) : .argument(n), mask: nil)
        case .namedArgument(let name, let range):
            return namedArgument(name, range, &sink)
        case .variable(let name, let range):
            switch name {
            case "nr": return .field(.nr, mask: nil)
            case "ip": return .field(.instructionPointer, mask: nil)
            case "arch": return .arch
            default: return variable(name, range, &sink)
            }
        case .unary(let op, let operand, let opRange, _):
            guard let value = evaluate(operand, &sink) else { return nil }
            switch op {
            case .not:
                guard let c = asCondition(value, operand.range, &sink) else { return nil }
                let folded: Bool = { if case .boolean(_, let f) = value { return f }; return false }()
                if case .constant(let b) = c { return .boolean(.constant(!b), folded: folded) }
                return .boolean(.not(c), folded: folded)
            case .plus, .minus, .bitNot:
                guard let v = asInteger(value, operand.range, operatorRange: opRange, &sink) else { return nil }
                switch op {
                case .minus: return .integer(-v)
                case .bitNot: return .integer(~v)
                default: return .integer(v)
                }
            }
        case .binary(let op, let lhsExpr, let rhsExpr, let opRange, _):
            return binary(op, lhsExpr, rhsExpr, opRange, &sink)
        }
    }

    private mutating func variable(_ name: String, _ range: SourceRange, _ sink: inout DiagnosticSink) -> Value? {
        guard let variable = scope[name] else {
            let candidates = Array(scope.keys) + ["nr", "arch", "ip"]
            sink.report(Msg.unknownVariable(name, Suggest.closest(to: name, in: candidates)), at: range.location)
            return nil
        }
        let definition = variable.definition
        guard let expr = definition.expression else { return .list(definition.elements) }
        guard !evaluating.contains(name) else {
            sink.report(Msg.unsupported("$\(name) refers to itself"), at: range.location)
            return nil
        }
        // A one-word value is a number or a name; decide by how it is used.
        if case .name(let text, _) = expr { return .name(text, quoted: false) }
        evaluating.insert(name)
        defer { evaluating.remove(name) }
        // An expression (`{O_WRONLY | O_RDWR}`), evaluated where it is used.
        var local = DiagnosticSink()
        guard let value = evaluate(expr, &local), !local.hasErrors else {
            for d in local.all { sink.add(d) }
            return nil
        }
        return value
    }

    private mutating func binary(_ op: BinaryOperator, _ lhsExpr: Expr, _ rhsExpr: Expr, _ opRange: SourceRange, _ sink: inout DiagnosticSink) -> Value? {
        guard let lhs = evaluate(lhsExpr, &sink) else {
            _ = evaluate(rhsExpr, &sink)  // its errors too
            return nil
        }
        // The right side of `&&` runs only where the left holds, of `||` where it does not:
        // what the left says about $nr fixes the syscall for `$args(NAME)` on the right.
        let outer = knownNumbers
        // Only when the right side names a parameter: a chain of thousands of `||`
        // would otherwise walk its left side once per link.
        if op == .and || op == .or, case .boolean(let c, _) = lhs, rhsExpr.namesAParameter {
            knownNumbers = NumberSets.intersect(outer, NumberSets.implied(by: c, holding: op == .and))
        }
        let rhsValue = evaluate(rhsExpr, &sink)
        knownNumbers = outer
        guard let rhs = rhsValue else { return nil }
        switch op {
        case .or, .and:
            guard let a = asCondition(lhs, lhsExpr.range, &sink), let b = asCondition(rhs, rhsExpr.range, &sink) else { return nil }
            let folded = isFolded(lhs) || isFolded(rhs)
            switch (op, a, b) {
            case (.and, .constant(false), _), (.and, _, .constant(false)): return .boolean(.constant(false), folded: folded)
            case (.or, .constant(true), _), (.or, _, .constant(true)): return .boolean(.constant(true), folded: folded)
            case (_, .constant, _): return .boolean(b, folded: isFolded(rhs))
            case (_, _, .constant): return .boolean(a, folded: isFolded(lhs))
            default: return .boolean(op == .and ? .and(a, b) : .or(a, b), folded: false)
            }
        case .bitAnd:
            switch (lhs, rhs) {
            case (.field(let f, let m), _):
                guard let k = asInteger(rhs, rhsExpr.range, operatorRange: opRange, &sink),
                      let mask = fieldValue(f, k, rhsExpr.range, &sink) else { return nil }
                return .field(f, mask: (m ?? f.maxValue) & mask & f.maxValue)
            case (_, .field(let f, let m)):
                guard let k = asInteger(lhs, lhsExpr.range, operatorRange: opRange, &sink),
                      let mask = fieldValue(f, k, lhsExpr.range, &sink) else { return nil }
                return .field(f, mask: (m ?? f.maxValue) & mask & f.maxValue)
            default:
                return arithmetic(op, lhs, lhsExpr, rhs, rhsExpr, opRange, &sink)
            }
        case .bitOr, .bitXor, .shiftLeft, .shiftRight, .plus, .minus, .times, .divide, .modulo:
            return arithmetic(op, lhs, lhsExpr, rhs, rhsExpr, opRange, &sink)
        case .equal, .notEqual, .less, .greater, .lessEqual, .greaterEqual:
            return comparison(op, lhs, lhsExpr, rhs, rhsExpr, opRange, &sink)
        case .eq, .ne:
            return equality(lhs, rhs, negate: op == .ne, at: lhsExpr.range.through(rhsExpr.range), rhsRange: rhsExpr.range, &sink)
        case .in, .ni:
            return membership(lhs, lhsExpr, rhs, rhsExpr, negate: op == .ni, &sink)
        }
    }

    /// `$args(NAME)`: the parameter every syscall that can reach here declares
    /// as NAME, at one slot and width, read at that width.
    private mutating func namedArgument(_ name: String, _ range: SourceRange, _ sink: inout DiagnosticSink) -> Value? {
        guard let numbers = knownNumbers else {
            sink.report(Msg.namedArgumentUnresolved(name), at: range.location)
            return nil
        }
        // No syscall reaches here on this architecture (a shared block's
        // `$nr eq socketcall` on x86_64, or an arm whose names had errors):
        // the test is dead code, and any field stands for it.
        if numbers.isEmpty { return .field(.argument(0), mask: nil) }
        let table = SyscallTable.forArch(arch)
        var found: (parameter: SyscallParameter, syscall: String)?
        for number in numbers.sorted() {
            guard let syscall = table.name(of: number) else {
                sink.report(Msg.parameterOfNoSyscall(name, number, arch.rawValue), at: range.location)
                return nil
            }
            let parameters = SyscallParameters.of(syscall, arch: arch) ?? []
            guard let parameter = parameters.first(where: { $0.name == name }) else {
                let names = parameters.map(\.name)
                sink.report(Msg.unknownParameter(name, syscall, arch.rawValue, Suggest.closest(to: name, in: names), names), at: range.location)
                return nil
            }
            if let first = found, first.parameter.slot != parameter.slot || first.parameter.width != parameter.width {
                sink.report(Msg.parameterDisagrees(name, first.syscall, first.parameter.summary, syscall, parameter.summary), at: range.location)
                return nil
            }
            if found == nil { found = (parameter, syscall) }
        }
        guard let (parameter, syscall) = found else { return nil }
        if parameter.isSplit {
            sink.report(Msg.splitParameter(name, syscall, arch.rawValue, parameter.slot), at: range.location)
            return nil
        }
        switch parameter.width {
        case 8 where arch.argumentBits == 64: return .field(.argument(parameter.slot), mask: nil)
        case 2: return .field(.argumentLow(parameter.slot), mask: 0xFFFF)
        default: return .field(.argumentLow(parameter.slot), mask: nil)
        }
    }

    private func isFolded(_ value: Value) -> Bool {
        if case .boolean(_, let folded) = value { return folded }
        return false
    }

    // MARK: Numbers

    private mutating func arithmetic(_ op: BinaryOperator, _ lhs: Value, _ lhsExpr: Expr, _ rhs: Value, _ rhsExpr: Expr,
                                     _ opRange: SourceRange, _ sink: inout DiagnosticSink) -> Value? {
        guard let a = asInteger(lhs, lhsExpr.range, operatorRange: opRange, &sink),
              let b = asInteger(rhs, rhsExpr.range, operatorRange: opRange, &sink) else { return nil }
        // Tcl's integers are exact; 128 bits hold every result a policy can use
        // (the operands lie in -2^63 .. 2^64-1), and a step beyond is an error.
        let result: (Int128, overflow: Bool)
        switch op {
        case .bitOr: result = (a | b, false)
        case .bitXor: result = (a ^ b, false)
        case .bitAnd: result = (a & b, false)
        case .plus: result = a.addingReportingOverflow(b)
        case .minus: result = a.subtractingReportingOverflow(b)
        case .times: result = a.multipliedReportingOverflow(by: b)
        case .shiftLeft:
            guard b >= 0 else { sink.report(Msg.unsupported("negative shift amount"), at: opRange.location); return nil }
            let shifted = b >= 127 ? 0 : a << b
            result = (shifted, a != 0 && (b >= 127 || shifted >> b != a))
        case .shiftRight:
            // Arithmetic, as Tcl's: -1 >> 4 is -1, 0xffffffffffffffff >> 4 is 0x0fffffffffffffff.
            guard b >= 0 else { sink.report(Msg.unsupported("negative shift amount"), at: opRange.location); return nil }
            result = (b >= 127 ? (a < 0 ? -1 : 0) : a >> b, false)
        case .divide, .modulo:
            guard b != 0 else { sink.report(Msg.divisionByZero(), at: opRange.location); return nil }
            // Tcl: the quotient rounds toward negative infinity; the remainder has the divisor's sign.
            var q = a / b, r = a % b
            if r != 0 && ((r < 0) != (b < 0)) { q -= 1; r += b }
            result = (op == .divide ? q : r, false)
        default:
            return nil
        }
        if result.overflow {
            sink.report(Msg.arithmeticOverflow(), at: opRange.location)
            return nil
        }
        return .integer(result.0)
    }

    /// A value used as a number.
    mutating func asInteger(_ value: Value, _ range: SourceRange, operatorRange: SourceRange?, _ sink: inout DiagnosticSink) -> Int128? {
        switch value {
        case .integer(let v): return v
        case .name(let text, _): return constant(text, range, &sink)
        case .boolean(.constant(let b), _): return b ? 1 : 0
        case .boolean:
            sink.report(Msg.unsupported("a comparison's result cannot be used as a number in a filter"), at: (operatorRange ?? range).location)
            return nil
        case .field(let f, _):
            sink.report(Msg.unsupported("arithmetic on \(f.description) is not possible in a filter: only '\(f.description) & CONSTANT' is"),
                        at: (operatorRange ?? range).location)
            return nil
        case .list:
            if case .variable(let name, _)? = variableName(range) {
                sink.report(Msg.variableNotNumber(name), at: range.location)
            } else {
                sink.report(Msg.unsupported("a list cannot be used as a number"), at: range.location)
            }
            return nil
        case .arch:
            sink.report(Msg.unsupported("$arch is not a number: compare it with eq or ne and a name"), at: range.location)
            return nil
        }
    }

    private func variableName(_ range: SourceRange) -> Expr? {
        let text = range.text
        guard text.hasPrefix("$") else { return nil }
        return .variable(String(text.dropFirst()), range)
    }

    /// A constant name's value on this architecture.
    func constant(_ name: String, _ range: SourceRange, _ sink: inout DiagnosticSink) -> Int128? {
        if let value = ConstantTable.value(of: name, arch: arch) { return Int128(value) }
        if SyscallTable.forArch(arch).number(of: name) != nil {
            sink.report(Msg.unknownConstant(name, nil).replacingText(
                "'\(name)' is a syscall name, not a constant: compare it with $nr using eq, ne, in or ni"), at: range.location)
            return nil
        }
        sink.report(Msg.unknownConstant(name, Suggest.closest(to: name, in: ConstantTable.names)), at: range.location)
        return nil
    }

    /// A word that must be an integer (switch patterns, list elements).
    func integerWord(_ word: Word, _ sink: inout DiagnosticSink) -> Int128? {
        var text = Substring(word.text)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        guard let v = ExprParser.integerLiteral(String(text), at: word.location, &sink) else { return nil }
        return negative ? -Int128(v) : Int128(v)
    }

    // MARK: Conditions

    mutating func asCondition(_ value: Value, _ range: SourceRange, _ sink: inout DiagnosticSink) -> Condition? {
        switch value {
        case .boolean(let c, _): return c
        case .integer(let v): return .constant(v != 0)
        case .field(let f, let mask):
            return .test(Test(field: f, mask: mask, relation: .notEqual, value: 0, location: range.location))
        case .name(let text, _):
            return constant(text, range, &sink).map { .constant($0 != 0) }
        case .list:
            sink.report(Msg.unsupported("a list is not a condition"), at: range.location)
            return nil
        case .arch:
            sink.report(Msg.unsupported("$arch is not a condition: compare it with eq or ne and a name"), at: range.location)
            return nil
        }
    }

    /// A field compared with (or masked by) a constant: the exact constant
    /// must lie in -2^63 .. 2^64-1 for a 64-bit field and in -2^31 .. 2^32-1
    /// for a 32-bit one (the `$args32` rule); it is then the unsigned bit
    /// pattern of the field's width.
    func fieldValue(_ field: Field, _ value: Int128, _ range: SourceRange, _ sink: inout DiagnosticSink) -> UInt64? {
        let (low, high): (Int128, Int128) = field.bits == 32 ? (-0x8000_0000, 0xFFFF_FFFF) : (-(1 << 63), (1 << 64) - 1)
        guard value >= low && value <= high else {
            let shown = value < 0 ? String(value) : (value > 0xFFFF_FFFF_FFFF ? "0x" + String(value, radix: 16) : String(value))
            sink.report(field.bits == 32 ? Msg.constantOutOfRange(shown, field.description) : Msg.constantOutOfRange64(shown, field.description),
                        at: range.location)
            return nil
        }
        let pattern = UInt64(truncatingIfNeeded: value)
        return field.bits == 32 ? pattern & 0xFFFF_FFFF : pattern
    }

    private mutating func comparison(_ op: BinaryOperator, _ lhs: Value, _ lhsExpr: Expr, _ rhs: Value, _ rhsExpr: Expr,
                                     _ opRange: SourceRange, _ sink: inout DiagnosticSink) -> Value? {
        let relation: Relation = [.equal: .equal, .notEqual: .notEqual, .less: .less, .greater: .greater,
                                  .lessEqual: .lessEqual, .greaterEqual: .greaterEqual][op]!
        let whole = lhsExpr.range.through(rhsExpr.range)
        switch (lhs, rhs) {
        case (.field, .field):
            sink.report(Msg.unsupported("comparing two fields is not possible in a filter: compare a field with a constant"), at: opRange.location)
            return nil
        case (.arch, _), (_, .arch):
            sink.report(Msg.unsupported("compare $arch with eq or ne and a name, such as $arch eq \"i386\""), at: opRange.location)
            return nil
        case (.field(let f, let mask), _):
            guard let k = asInteger(rhs, rhsExpr.range, operatorRange: nil, &sink),
                  let v = fieldValue(f, k, rhsExpr.range, &sink) else { return nil }
            return .boolean(.test(Test(field: f, mask: mask, relation: relation, value: v, location: whole.location)), folded: false)
        case (_, .field(let f, let mask)):
            guard let k = asInteger(lhs, lhsExpr.range, operatorRange: nil, &sink),
                  let v = fieldValue(f, k, lhsExpr.range, &sink) else { return nil }
            return .boolean(.test(Test(field: f, mask: mask, relation: relation.swapped, value: v, location: whole.location)), folded: false)
        default:
            guard let a = asInteger(lhs, lhsExpr.range, operatorRange: nil, &sink),
                  let b = asInteger(rhs, rhsExpr.range, operatorRange: nil, &sink) else { return nil }
            // Constants compare as Tcl compares integers: exactly.
            let result: Bool
            switch relation {
            case .equal: result = a == b
            case .notEqual: result = a != b
            case .less: result = a < b
            case .lessEqual: result = a <= b
            case .greater: result = a > b
            case .greaterEqual: result = a >= b
            }
            return .boolean(.constant(result), folded: false)
        }
    }

    /// `eq`/`ne` (and switch patterns): syscall names with `$nr`, arch names
    /// with `$arch`, numbers or constants with an argument field.
    mutating func equality(_ lhs: Value, _ rhs: Value, negate: Bool, at range: SourceRange, rhsRange: SourceRange,
                           _ sink: inout DiagnosticSink) -> Value? {
        var (lhs, rhs) = (lhs, rhs)
        if case .field = rhs { swap(&lhs, &rhs) }
        if case .arch = rhs { swap(&lhs, &rhs) }
        switch (lhs, rhs) {
        case (.arch, .name(let text, _)):
            guard let named = Arch(rawValue: text) else {
                sink.report(Msg.unknownArch(text, Suggest.closest(to: text, in: Arch.allCases.map(\.rawValue))), at: rhsRange.location)
                return nil
            }
            return .boolean(.constant((named == arch) != negate), folded: true)
        case (.arch, _):
            sink.report(Msg.unsupported("compare $arch with an architecture name, such as $arch eq \"i386\""), at: rhsRange.location)
            return nil
        case (.field(.nr, nil), .name(let text, _)):
            switch syscall(text, rhsRange, &sink) {
            case .failed: return nil
            case .missingHere: return .boolean(.constant(negate), folded: true)
            case .number(let nr):
                return .boolean(.test(Test(field: .nr, mask: nil, relation: negate ? .notEqual : .equal, value: UInt64(nr), location: range.location)), folded: false)
            }
        case (.field(let f, let mask), _):
            guard let k = asInteger(rhs, rhsRange, operatorRange: nil, &sink), let v = fieldValue(f, k, rhsRange, &sink) else { return nil }
            return .boolean(.test(Test(field: f, mask: mask, relation: negate ? .notEqual : .equal, value: v, location: range.location)), folded: false)
        case (.name(let a, _), .name(let b, _)):
            return .boolean(.constant((a == b) != negate), folded: false)
        default:
            guard let a = asInteger(lhs, range, operatorRange: nil, &sink), let b = asInteger(rhs, rhsRange, operatorRange: nil, &sink) else { return nil }
            return .boolean(.constant((a == b) != negate), folded: false)
        }
    }

    /// `in`/`ni`: membership of a field or `$arch` in a list.
    private mutating func membership(_ lhs: Value, _ lhsExpr: Expr, _ rhs: Value, _ rhsExpr: Expr, negate: Bool,
                                     _ sink: inout DiagnosticSink) -> Value? {
        // Each element as a value: names stay names, numbers become integers.
        var values: [(Value, SourceRange)] = []
        var failed = false
        switch rhs {
        case .list(let words):
            for element in words {
                if element.text.first.map({ $0.isNumber || $0 == "-" }) == true {
                    guard let v = integerWord(element, &sink) else { failed = true; continue }
                    values.append((.integer(v), element.range))
                } else {
                    values.append((.name(element.text, quoted: element.kind == .quoted), element.range))
                }
            }
        case .name, .integer:
            // A single value is a list of one, as in Tcl.
            values = [(rhs, rhsExpr.range)]
        default:
            sink.report(Msg.unsupported("the right side of in/ni must be a list, such as {read write} or $NAMES"), at: rhsExpr.location)
            return nil
        }
        switch lhs {
        case .field, .arch: break
        default:
            sink.report(Msg.unsupported("the left side of in/ni must be $nr, $arch or an argument field"), at: lhsExpr.location)
            return nil
        }
        var result: Condition?
        var folded = false
        let whole = lhsExpr.range.through(rhsExpr.range)
        for (value, range) in values {
            guard let test = equality(lhs, value, negate: false, at: whole, rhsRange: range, &sink),
                  case .boolean(let c, let f) = test else {
                failed = true
                continue
            }
            if f, case .constant(false) = c { folded = true; continue }  // a name missing here
            folded = folded || f
            result = result.map { .or($0, c) } ?? c
        }
        if failed { return nil }
        let any = result ?? .constant(false)
        if case .constant(let b) = any { return .boolean(.constant(b != negate), folded: folded) }
        return .boolean(negate ? .not(any) : any, folded: folded)
    }

    /// A syscall name or number for `$nr` on this architecture. A name the
    /// architecture lacks is an error, except in a shared block where some
    /// other architecture of the block has it: a warning, and nil.
    private enum SyscallLookup {
        case number(UInt32)
        /// A name this architecture lacks, in a shared block: it matches nothing.
        case missingHere
        case failed
    }

    private mutating func syscall(_ text: String, _ range: SourceRange, _ sink: inout DiagnosticSink) -> SyscallLookup {
        if let n = SyscallTable.forArch(arch).number(of: text) {
            if mentionedSyscalls[text] == nil { mentionedSyscalls[text] = range.location }
            return .number(n)
        }
        if text.first.map({ $0.isNumber || $0 == "-" }) == true {
            var local = DiagnosticSink()
            var body = Substring(text)
            let negative = body.hasPrefix("-")
            if negative { body = body.dropFirst() }
            guard let v = ExprParser.integerLiteral(String(body), at: range.location, &local) else {
                for d in local.all { sink.add(d) }
                return .failed
            }
            return fieldValue(.nr, negative ? -Int128(v) : Int128(v), range, &sink).map { .number(UInt32($0)) } ?? .failed
        }
        let elsewhere = blockArches.filter { SyscallTable.forArch($0).number(of: text) != nil }
        if shared && !elsewhere.isEmpty {
            sink.report(Msg.syscallMissingOnArch(text, arch.rawValue), at: range.location)
            return .missingHere
        }
        let archNames = shared ? blockArches.map(\.rawValue).joined(separator: ", ") : arch.rawValue
        // A real syscall of other architectures (`socketcall` in an x86_64 block).
        let owners = Arch.allCases.filter { SyscallTable.forArch($0).number(of: text) != nil }
        if !owners.isEmpty {
            let why = text == "socketcall" || text == "ipc"
                ? "; on \(archNames) programs make the calls it multiplexes (\(text == "socketcall" ? "socket, connect, ..." : "semop, shmat, ...")) directly, and seccomp sees them"
                : ""
            sink.report(Msg.syscallElsewhere(text, archNames, owners.map(\.rawValue).joined(separator: ", "), why), at: range.location)
            return .failed
        }
        let names = Set(blockArches.flatMap { SyscallTable.forArch($0).names })
        sink.report(Msg.unknownSyscall(text, archNames, Suggest.closest(to: text, in: names)), at: range.location)
        return .failed
    }
}
