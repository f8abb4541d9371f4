import CordonBPF
import CordonLinux
import CordonPolicy

/// The direct lowering (`-O0`): a straightforward, dropnet-shaped walk. Load
/// the architecture and dispatch to each block; then the block's statements
/// in source order, each `if` a short chain of loads and conditional jumps,
/// each `return` a `RET`. A reviewer can follow the output against the policy.
/// The only additions are the essential safety checks: the architecture
/// check (`badarch`), the x32 check on x86_64 (with the -1 exception), 64-bit
/// comparisons as high/low word pairs, 32-bit ABIs comparing the low word.
enum DirectLowering {
    static func compile(_ policy: IRPolicy) throws(CompileError) -> CompiledProgram {
        var b = ProgramBuilder()
        let badarch = b.makeLabel()
        let routes = ArchRoute.routes(policy)
        let entries = routes.map { _ in b.makeLabel() }

        b.currentNote = nil
        b.emit(.load(4))
        for (route, entry) in zip(routes, entries) {
            let next = b.makeLabel()
            b.branch(.eq, route.auditArch, onTrue: entry, onFalse: next)
            b.place(next)
        }
        b.jump(to: badarch)

        for (route, entry) in zip(routes, entries) {
            b.place(entry)
            var mainLabel = badarch, x32Label = badarch
            let mainStart = b.makeLabel(), x32Start = b.makeLabel()
            if route.main != nil { mainLabel = mainStart }
            if route.x32 != nil { x32Label = x32Start }
            if route.splitsX32 {
                // nr -1 (a syscall skipped by a tracer) stays x86_64; bit 30 is x32.
                let notMinusOne = b.makeLabel()
                b.emit(.load(0))
                b.branch(.eq, 0xFFFF_FFFF, onTrue: mainLabel, onFalse: notMinusOne)
                b.place(notMinusOne)
                b.branch(.set, Arch.x32SyscallBit, onTrue: x32Label, onFalse: mainLabel)
            }
            if let block = route.main {
                b.place(mainStart)
                statements(block.statements, block.arch, &b)
            }
            if let block = route.x32 {
                b.place(x32Start)
                statements(block.statements, block.arch, &b)
            }
        }

        b.place(badarch)
        b.currentNote = noteText(policy.badarch.location)
        b.emit(.ret(policy.badarch.action.rawValue))
        return try Compiler.finish(b, level: .direct)
    }

    /// The statements in order; falls through at the end when they do.
    private static func statements(_ list: [Statement], _ arch: Arch, _ b: inout ProgramBuilder) {
        for statement in list {
            switch statement {
            case .return(let action, let location):
                b.currentNote = noteText(location)
                b.emit(.ret(action.rawValue))
                return
            case .if(let condition, let then, let otherwise, _):
                let onTrue = b.makeLabel(), onFalse = b.makeLabel(), end = b.makeLabel()
                self.condition(condition, arch, onTrue: onTrue, onFalse: onFalse, &b)
                b.place(onTrue)
                statements(then, arch, &b)
                if !Specializer.endsInReturn(then) { b.jump(to: end) }
                b.place(onFalse)
                statements(otherwise, arch, &b)
                b.place(end)
                if Specializer.endsInReturn(then) && Specializer.endsInReturn(otherwise) { return }
            }
        }
    }

    /// Jumps to `onTrue` when the condition holds, else to `onFalse`.
    static func condition(_ c: Condition, _ arch: Arch, onTrue: ProgramBuilder.Label, onFalse: ProgramBuilder.Label, _ b: inout ProgramBuilder) {
        switch c {
        case .constant(let value):
            b.jump(to: value ? onTrue : onFalse)
        case .not(let inner):
            condition(inner, arch, onTrue: onFalse, onFalse: onTrue, &b)
        case .and(let x, let y):
            let middle = b.makeLabel()
            condition(x, arch, onTrue: middle, onFalse: onFalse, &b)
            b.place(middle)
            condition(y, arch, onTrue: onTrue, onFalse: onFalse, &b)
        case .or:
            // The whole chain at once: `a || b || c` is a left-deep tree.
            let operands = c.chainOperands
            if let (field, mask, values, location) = equalityList(operands), values.count > 1 {
                // `$nr in {read write ...}`: one load, then one JEQ per element.
                b.currentNote = noteText(location)
                b.emit(.load(field.lowOffset(arch)))
                if mask != 0xFFFF_FFFF { b.emit(.alu(.and, mask)) }
                for (i, value) in values.enumerated() {
                    let next = b.makeLabel()
                    b.branch(.eq, value, onTrue: onTrue, onFalse: i == values.count - 1 ? onFalse : next)
                    if i < values.count - 1 { b.place(next) }
                }
                return
            }
            for (i, operand) in operands.enumerated() {
                if i == operands.count - 1 {
                    condition(operand, arch, onTrue: onTrue, onFalse: onFalse, &b)
                } else {
                    let next = b.makeLabel()
                    condition(operand, arch, onTrue: onTrue, onFalse: next, &b)
                    b.place(next)
                }
            }
        case .test(let test):
            b.currentNote = noteText(test.location)
            self.test(test, arch, onTrue: onTrue, onFalse: onFalse, &b)
        }
    }

    /// Operands that are all `==` tests of one 32-bit field under one mask
    /// (what `in {...}` and switch arms become): the field, mask and values.
    private static func equalityList(_ operands: [Condition]) -> (Field, UInt32, [UInt32], SourceLocation)? {
        var leaves: [Test] = []
        for operand in operands {
            guard case .test(let t) = operand, t.relation == .equal, t.field.bits == 32 else { return nil }
            leaves.append(t)
        }
        guard let first = leaves.first,
              leaves.allSatisfy({ $0.field == first.field && $0.mask == first.mask }) else { return nil }
        let mask = UInt32(truncatingIfNeeded: first.mask ?? 0xFFFF_FFFF)
        return (first.field, mask, leaves.map { UInt32(truncatingIfNeeded: $0.value) }, first.location)
    }

    /// One test: load, mask, compare; 64-bit fields word by word, high first.
    private static func test(_ t: Test, _ arch: Arch, onTrue: ProgramBuilder.Label, onFalse: ProgramBuilder.Label, _ b: inout ProgramBuilder) {
        let mask = t.mask ?? t.field.maxValue
        func load(_ offset: UInt32, _ wordMask: UInt32) {
            b.emit(.load(offset))
            if wordMask != 0xFFFF_FFFF { b.emit(.alu(.and, wordMask)) }
        }
        guard let high = t.field.highOffset(arch) else {
            load(t.field.lowOffset(arch), UInt32(truncatingIfNeeded: mask))
            compare32(t.relation, UInt32(truncatingIfNeeded: t.value), onTrue: onTrue, onFalse: onFalse, &b)
            return
        }
        let vHigh = UInt32(truncatingIfNeeded: t.value >> 32), vLow = UInt32(truncatingIfNeeded: t.value)
        let mHigh = UInt32(truncatingIfNeeded: mask >> 32), mLow = UInt32(truncatingIfNeeded: mask)
        let lowWord = b.makeLabel()
        load(high, mHigh)
        switch t.relation {
        case .equal, .notEqual:
            let (yes, no) = t.relation == .equal ? (onTrue, onFalse) : (onFalse, onTrue)
            b.branch(.eq, vHigh, onTrue: lowWord, onFalse: no)
            b.place(lowWord)
            load(t.field.lowOffset(arch), mLow)
            b.branch(.eq, vLow, onTrue: yes, onFalse: no)
        case .greater, .greaterEqual, .less, .lessEqual:
            // a > v: high > vh, or high == vh and low > vl (>= likewise);
            // a < v is not (a >= v), a <= v is not (a > v).
            let strict = t.relation == .greater || t.relation == .lessEqual
            let (yes, no) = (t.relation == .greater || t.relation == .greaterEqual) ? (onTrue, onFalse) : (onFalse, onTrue)
            let equalHigh = b.makeLabel()
            b.branch(.gt, vHigh, onTrue: yes, onFalse: equalHigh)
            b.place(equalHigh)
            b.branch(.eq, vHigh, onTrue: lowWord, onFalse: no)
            b.place(lowWord)
            load(t.field.lowOffset(arch), mLow)
            b.branch(strict ? .gt : .ge, vLow, onTrue: yes, onFalse: no)
        }
    }

    /// A 32-bit comparison of A with `value`.
    static func compare32(_ relation: Relation, _ value: UInt32, onTrue: ProgramBuilder.Label, onFalse: ProgramBuilder.Label, _ b: inout ProgramBuilder) {
        switch relation {
        case .equal: b.branch(.eq, value, onTrue: onTrue, onFalse: onFalse)
        case .notEqual: b.branch(.eq, value, onTrue: onFalse, onFalse: onTrue)
        case .greater: b.branch(.gt, value, onTrue: onTrue, onFalse: onFalse)
        case .greaterEqual: b.branch(.ge, value, onTrue: onTrue, onFalse: onFalse)
        case .less: b.branch(.ge, value, onTrue: onFalse, onFalse: onTrue)
        case .lessEqual: b.branch(.gt, value, onTrue: onFalse, onFalse: onTrue)
        }
    }
}
