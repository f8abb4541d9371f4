import CordonLinux

/// The width warning (language.md §5a): on a 64-bit ABI, a test of all 64
/// bits of an argument (`$args(N)`) that the kernel reads as an `int` (or a
/// `umode_t`), where a value exists whose high half changes the decision.
/// The kernel ignores that half, so a caller can set it to slip past a rule
/// (`socket(0x100000028, ...)` passes `$args(0) != AF_VSOCK`) or be refused
/// for a value the policy allows.
enum WidthLint {
    /// At most this many syscalls are specialized per block to look for a
    /// counterexample, so a policy of thousands of rules stays fast.
    static let specializationBudget = 48
    /// At most this many (test, syscall) pairs are searched for a counterexample.
    static let searchBudget = 100
    /// At most this many width warnings per block; the rest are counted in one more.
    static let reportLimit = 12

    static func check(_ block: IRBlock, _ sink: inout DiagnosticSink) {
        guard block.arch.argumentBits == 64 else { return }
        var candidates: [(Test, Set<UInt32>?)] = []
        collect(block.statements, path: nil, into: &candidates)
        candidates = candidates.filter { t, _ in
            if case .argument = t.field, ((t.mask ?? .max) >> 32) != 0 { return true }
            return false
        }
        guard !candidates.isEmpty else { return }
        let table = SyscallTable.forArch(block.arch)
        // Each specialized syscall: its residual, the places of its tests, and the first tests.
        var residuals: [UInt32: (statements: [Statement], places: Set<SourceLocation>, first: [Test])] = [:]
        var reported: Set<SourceLocation> = []
        var prepared: PreparedStatements?
        var searches = 0
        var more = 0
        var firstMore: SourceLocation?
        search: for (t, path) in candidates where !reported.contains(t.location) {
            guard case .argument(let slot) = t.field else { continue }
            let numbers = path.map { $0.sorted() } ?? table.entries.map(\.number)
            for nr in numbers {
                guard let name = table.name(of: nr),
                      let parameter = SyscallParameters.of(name, arch: block.arch)?.first(where: { $0.slot == slot }),
                      parameter.isNarrowerThanItsSlot else { continue }
                if residuals[nr] == nil {
                    guard residuals.count < specializationBudget else { continue }
                    if prepared == nil { prepared = PreparedStatements(block.statements) }
                    let statements = Specializer.specialize(prepared!, nr: nr, keepMasked: true)
                    let all = Statement.tests(in: statements)
                    residuals[nr] = (statements, Set(all.map(\.location)), Array(all.prefix(40)))
                }
                let residual = residuals[nr]!
                guard residual.places.contains(t.location) else { continue }
                searches += 1
                if searches > searchBudget { break search }
                guard let finding = counterexample(t, parameter, residual.statements, others: residual.first, arch: block.arch, nr: nr) else { continue }
                reported.insert(t.location)
                if reported.count <= reportLimit {
                    sink.report(Msg.argumentWidth(message(finding, t, parameter, syscall: name, arch: block.arch)), at: t.location)
                } else {
                    more += 1
                    firstMore = firstMore ?? t.location
                }
                break
            }
        }
        if let first = firstMore {
            sink.report(Msg.argumentWidth("at least \(more) more tests in this block compare all 64 bits of an int-sized parameter"
                + " (searched \(min(searches, searchBudget)) test and syscall pairs): compare them by name ($args(NAME)) or with $args32(N)"), at: first)
        }
    }

    /// Every test of `statements` with the syscall numbers the path to it
    /// fixes (nil: any), as `$args(NAME)` resolution sees them. Returns
    /// whether the list ends in a return on every path (computed on the way,
    /// so a chain of 50,000 `elseif`s is walked once).
    @discardableResult
    private static func collect(_ statements: [Statement], path: Set<UInt32>?, into result: inout [(Test, Set<UInt32>?)]) -> Bool {
        var path = path
        for statement in statements {
            switch statement {
            case .return:
                return true
            case .if(let condition, let then, let otherwise, _):
                collect(condition, path: path, into: &result)
                let thenPath = NumberSets.intersect(path, NumberSets.implied(by: condition, holding: true))
                let elsePath = NumberSets.intersect(path, NumberSets.implied(by: condition, holding: false))
                let thenReturns = collect(then, path: thenPath, into: &result)
                let elseReturns = collect(otherwise, path: elsePath, into: &result)
                if thenReturns && elseReturns { return true }
                var continuing: [Set<UInt32>?] = []
                if !thenReturns { continuing.append(thenPath) }
                if !elseReturns { continuing.append(elsePath) }
                path = NumberSets.join(continuing, allReturn: path)
            }
        }
        return false
    }

    /// The tests of a condition, each with the numbers its left neighbours
    /// in `&&`/`||` chains fix. Chains are walked in a loop.
    private static func collect(_ condition: Condition, path: Set<UInt32>?, into result: inout [(Test, Set<UInt32>?)]) {
        switch condition {
        case .test(let t): result.append((t, path))
        case .constant: break
        case .not(let inner): collect(inner, path: path, into: &result)
        case .and, .or:
            var running = path
            for operand in condition.chainOperands {
                collect(operand, path: running, into: &result)
                running = NumberSets.intersect(running, NumberSets.implied(by: operand, holding: condition.isAnd))
            }
        }
    }

    /// Two values of one argument that the kernel reads alike (same low
    /// half) and the policy decides differently.
    struct Finding {
        let canonical: UInt64
        let variant: UInt64
        let canonicalDecision: Decision
        let variantDecision: Decision
    }

    private static func counterexample(_ t: Test, _ parameter: SyscallParameter, _ residual: [Statement], others: [Test],
                                       arch: Arch, nr: UInt32) -> Finding? {
        let mask = t.mask ?? .max
        let mHigh = UInt32(truncatingIfNeeded: mask >> 32)
        guard mHigh != 0 else { return nil }  // the test ignores the high half
        let vLow = UInt32(truncatingIfNeeded: t.value), vHigh = UInt32(truncatingIfNeeded: t.value >> 32)
        let lowBit = mHigh & (~mHigh &+ 1)
        let lows: [UInt32] = [vLow, vLow &+ 1, vLow &- 1, 0, .max, UInt32(truncatingIfNeeded: mask)]
        let highs: [UInt32] = [vHigh, lowBit, vHigh ^ lowBit, mHigh, 1, .max, 0]
        // The other arguments: zero, then each constant another test compares.
        var bases: [[UInt64]] = [[UInt64](repeating: 0, count: 6)]
        for other in others.prefix(40) {
            let n: Int
            switch other.field {
            case .argument(let i), .argumentLow(let i): n = i
            default: continue
            }
            if n == parameter.slot { continue }
            var base = [UInt64](repeating: 0, count: 6)
            base[n] = other.value
            bases.append(base)
        }
        let readMask = parameter.width == 2 ? UInt32(0xFFFF) : UInt32.max
        for base in bases.prefix(24) {
            for low in lows {
                // What a caller passes for the kernel's value: zero- or sign-extended.
                let extended = low & (readMask == 0xFFFF ? 0x8000 : 0x8000_0000) != 0
                let canonicalHigh: UInt32 = extended && vHigh == .max ? .max : 0
                let canonical = UInt64(canonicalHigh) << 32 | UInt64(low)
                for high in highs where high != canonicalHigh {
                    let variant = UInt64(high) << 32 | UInt64(low)
                    guard t.holds(data(arch, nr, base, parameter.slot, canonical)) != t.holds(data(arch, nr, base, parameter.slot, variant)) else { continue }
                    guard let a = Interpreter.run(residual, data(arch, nr, base, parameter.slot, canonical)),
                          let b = Interpreter.run(residual, data(arch, nr, base, parameter.slot, variant)),
                          a.action != b.action else { continue }
                    return Finding(canonical: canonical, variant: variant, canonicalDecision: a, variantDecision: b)
                }
            }
        }
        return nil
    }

    private static func data(_ arch: Arch, _ nr: UInt32, _ base: [UInt64], _ slot: Int, _ value: UInt64) -> SeccompData {
        var args = base
        args[slot] = value
        return SeccompData(arch: arch, nr: nr, args: args)
    }

    private static func message(_ f: Finding, _ t: Test, _ p: SyscallParameter, syscall: String, arch: Arch) -> String {
        let kernelMask: UInt64 = p.width == 2 ? 0xFFFF : 0xFFFF_FFFF
        let seen = f.variant & kernelMask
        func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
        func decided(_ d: Decision) -> String {
            d.action.named + (d.location.map { " at line \($0.line)" } ?? "")
        }
        let allows = { (d: Decision) in d.action == .allow || d.action == .log }
        let what: String
        if allows(f.variantDecision) && !allows(f.canonicalDecision) {
            what = "\(syscall)(\(p.name)=\(hex(f.variant))) is let through (\(decided(f.variantDecision))), although the kernel reads \(p.name) as \(hex(seen)), which this policy refuses (\(decided(f.canonicalDecision)))"
        } else if allows(f.canonicalDecision) && !allows(f.variantDecision) {
            what = "\(syscall)(\(p.name)=\(hex(f.variant))) is refused (\(decided(f.variantDecision))), although the kernel reads \(p.name) as \(hex(seen)), which this policy allows"
        } else {
            what = "\(syscall)(\(p.name)=\(hex(f.variant))) gets \(decided(f.variantDecision)), but \(hex(f.canonical)), which the kernel reads alike, gets \(decided(f.canonicalDecision))"
        }
        let kind = p.width == 2 ? "a 2-byte umode_t" : "a 4-byte int"
        return "\(t.field.description) compares all 64 bits of \(syscall)'s \(p.name), which the kernel reads as \(kind) on \(arch.rawValue): "
            + what + "; compare $args(\(p.name)) or $args32(\(p.slot)) instead"
    }
}
