import CordonBPF
import CordonLinux
import CordonPolicy

/// `cordon decompile`: any program the analysis can follow, written back as
/// a policy. One block per architecture the program treats apart from the
/// rest (x32 split out), each class of its inputs a rule, the largest
/// argument-free action the block's final `return`, the action for other
/// architectures `badarch`, and an `expect` line per class. A generator run
/// backwards: the classes are exact, so the policy is too, and the caller
/// proves it by comparing the compiled policy with the program.
public enum PolicyLifter {
    /// Why a program could not be lifted.
    public struct LiftError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The policy text for `program`, with `source` named in its header.
    /// `proof` goes in the header (what `cordon diff` found).
    /// How the rules of a block are written.
    public enum Style: Sendable {
        /// One `if` per class of inputs, conditions in full: the readable form.
        case flat
        /// The program's decisions nested word by word (the number, then
        /// the arguments), one `return` per path of its decision diagram:
        /// for programs whose classes are too many or too scattered to
        /// write one by one.
        case nested
    }

    /// The most rules a flat block gets; past it the nested form reads
    /// better and compiles far faster.
    public static let flatRuleLimit = 400
    /// The most classes of inputs a program may split into to be lifted at all.
    public static let classLimit = 1_000_000
    /// The most returns a nested block may unfold into.
    public static let nestedLeafLimit: UInt64 = 200_000

    public static func lift(_ program: [Instruction], source: String, proof: String? = nil, style: Style = .flat,
                            expectLimit: Int = 2000) throws -> String {
        let store = WordSets()
        let tests = WordTests()
        let diagrams = DecisionDiagrams(words: store)
        let root = try ProgramDiagram.build(program, in: diagrams, tests: tests)
        let classes = try diagrams.paths(root, limit: classLimit).map { ProgramDiff.Difference(words: $0.words, a: UInt32($0.value), b: UInt32($0.value)) }
        let merged = ProgramDiff.merged(classes, in: store)
        let writer = ExpressionWriter(store: store, tests: tests)
        let emulator = (try? Validator.validate(program)).map { Emulator($0) }
        // badarch: what an architecture cordon does not know gets (the program
        // decides every such value alike, or it cannot be written).
        var known = store.empty
        for arch in Arch.allCases { known = store.or(known, store.single(arch.auditArch)) }
        let unknown = store.not(known)
        let badarchActions = Set(merged.filter { !store.and($0.words[4] ?? store.full, unknown).isEmpty }.map { $0.a })
        guard badarchActions.count == 1, let badarch = badarchActions.first else {
            throw LiftError(description: "the program decides architectures cordon does not know in \(badarchActions.count) ways; a policy has one badarch")
        }
        var blocks = "", expects: [String] = []
        for arch in Arch.allCases {
            // This architecture's share of each class.
            var archWords = store.single(arch.auditArch)
            var nrPart = store.full
            if arch == .x86_64 || arch == .x32 {
                let x32 = store.minus(store.anyBit(Arch.x32SyscallBit), store.single(0xFFFF_FFFF))
                nrPart = arch == .x32 ? x32 : store.not(x32)
            }
            var mine: [(words: [UInt32: WordSets.WordSet], value: UInt32)] = []
            for c in merged {
                let a = store.and(c.words[4] ?? store.full, archWords)
                let n = store.and(c.words[0] ?? store.full, nrPart)
                guard !a.isEmpty, !n.isEmpty else { continue }
                var words = c.words
                words[4] = nil
                words[0] = n == nrPart ? nil : n
                if arch.argumentBits == 32 {
                    // The kernel passes 0 in the high words here: a class that
                    // needs another value holds no input of this architecture.
                    guard ProgramDiff.narrowHighWords.allSatisfy({ words[$0].map { store.contains($0, 0) } ?? true }) else { continue }
                    for offset in ProgramDiff.narrowHighWords { words[offset] = nil }
                }
                mine.append((words, c.a))
            }
            archWords = store.empty
            guard !mine.isEmpty else { continue }
            if mine.allSatisfy({ $0.value == badarch }) && arch != .x32 { continue }
            // The final return: the action of the most syscalls without conditions.
            var weight: [UInt32: UInt64] = [:]
            for c in mine where c.words.keys.allSatisfy({ $0 == 0 }) {
                weight[c.value, default: 0] += store.count(c.words[0] ?? nrPart)
            }
            let fallback = weight.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? mine[0].value
            // The rules in the order the program returns them (as the
            // smallest member of each class shows): the program's own order,
            // which its author chose and its callers' common cases follow.
            if let emulator {
                mine = mine.enumerated().map { index, c in
                    (c, emulator.run(writer.sampleInput(c.words, arch: arch, nrPart: nrPart)).returnIndex, index)
                }.sorted { ($0.1, $0.2) < ($1.1, $1.2) }.map(\.0)
            }
            var body = ""
            switch style {
            case .flat:
                let rules = mine.count { $0.value != fallback }
                guard rules <= flatRuleLimit else {
                    throw LiftError(description: "\(arch.rawValue) has \(rules) classes with conditions, too many to write one by one")
                }
                for c in mine where c.value != fallback {
                    let condition = try writer.condition(c.words, arch: arch, nrPart: nrPart)
                    body += "    if {\(condition)} {\n        return \(text(c.value))\n    }\n"
                }
                body += "    return \(text(fallback))\n"
            case .nested:
                var start: [UInt32: WordSets.WordSet] = [4: store.single(arch.auditArch)]
                if !nrPart.isFull { start[0] = nrPart }
                if arch.argumentBits == 32 { for offset in ProgramDiff.narrowHighWords { start[offset] = store.single(0) } }
                let restricted = diagrams.restrict(root, to: start)
                if diagrams.exhausted { throw ProgramClasses.Refusal.diagramTooLarge }
                let leaves = diagrams.pathCount(restricted)
                guard leaves <= nestedLeafLimit else {
                    throw LiftError(description: "\(arch.rawValue)'s decisions unfold into \(leaves) returns, too many to write nested")
                }
                body = try writer.nested(restricted, in: diagrams, arch: arch)
            }
            blocks += "\n\(arch.rawValue) {\n\(body)}\n"
            // An expect line cannot set the instruction pointer: classes that test it get none.
            for c in mine where expects.count < expectLimit && c.words[8] == nil && c.words[12] == nil {
                expects.append("expect \(arch.rawValue) \(writer.member(c.words, arch: arch, nrPart: nrPart)) \(braced(text(c.value)))")
            }
        }
        var out = "# Decompiled by cordon decompile from \(PolicyText.comment(source)): \(program.count) instructions, \(classes.count) input classes.\n"
        if let proof { out += "# \(PolicyText.comment(proof))\n" }
        out += "\nbadarch \(text(badarch))\n" + blocks
        if !expects.isEmpty { out += "\n" + expects.joined(separator: "\n") + "\n" }
        return out
    }

    static func text(_ value: UInt32) -> String {
        let action = SeccompReturn(rawValue: value)
        switch action {
        case .errno(let n): return ConstantTable.errnoName(of: Int64(n)).map { "errno \($0)" } ?? "errno \(n)"
        case .trap(let n): return "trap \(n)"
        case .trace(let n): return "trace \(n)"
        case .unknown: return "kill_process"  // the kernel treats an unknown action so
        default: return action.description
        }
    }

    private static func braced(_ action: String) -> String { action.contains(" ") ? "{\(action)}" : action }
}

/// Word sets written as the language's conditions.
struct ExpressionWriter {
    let store: WordSets
    /// The program's comparisons of each word, for sets that need them.
    let tests: WordTests

    /// `$nr in {...} && $args32(0) == 1 && ...` for one class of one architecture.
    func condition(_ words: [UInt32: WordSets.WordSet], arch: Arch, nrPart: WordSets.WordSet) throws -> String {
        var parts: [String] = []
        if let nr = words[0] { parts.append(try nrCondition(nr, arch: arch, nrPart: nrPart)) }
        let le = arch.isLittleEndian
        let syscalls = words[0].flatMap { syscallNames($0, arch: arch) }
        var done: Set<UInt32> = []
        for offset in words.keys.sorted() where offset >= 8 && !done.contains(offset) {
            let set = words[offset]!
            let (field, isHigh) = Self.field(offset, littleEndian: le)
            // Both words of a 64-bit field fixed: one comparison of the whole field.
            let base = offset < 16 ? 8 : 16 + (offset - 16) / 8 * 8
            let other = base + (base + 4 == offset ? 0 : 4)
            if arch.argumentBits == 64, let otherSet = words[other], store.count(set) == 1, store.count(otherSet) == 1,
               let v = store.smallest(set), let w = store.smallest(otherSet) {
                let value = isHigh ? UInt64(v) << 32 | UInt64(w) : UInt64(w) << 32 | UInt64(v)
                let named = offset >= 16 ? syscalls.flatMap { NamedArgument(slot: Int((offset - 16) / 8), syscalls: $0, arch: arch) } : nil
                let subject = named.map { $0.isWide ? "$args(\($0.parameter.name))" : field } ?? field
                parts.append("\(subject) == \(named.flatMap { $0.isWide ? $0.value(value) : nil } ?? hex(value))")
                done.insert(other)
                continue
            }
            parts.append(try argumentCondition(set, offset: offset, arch: arch, syscalls: syscalls))
        }
        return parts.isEmpty ? "1" : parts.joined(separator: " && ")
    }

    /// The condition that word `offset` (the instruction pointer's or an
    /// argument's) is in `set`: a high word through the 64-bit field, a low
    /// one by the parameter's name where `syscalls` all name it alike.
    /// Values outside `care` may be decided either way.
    private func argumentCondition(_ set: WordSets.WordSet, offset: UInt32, arch: Arch, syscalls: [String]?,
                                   care: WordSets.WordSet? = nil) throws -> String {
        let (field, isHigh) = Self.field(offset, littleEndian: arch.isLittleEndian)
        if isHigh { return try wordCondition(set, field: field, shift: 32, offset: offset, care: care) }
        if offset >= 16, let syscalls, let named = NamedArgument(slot: Int((offset - 16) / 8), syscalls: syscalls, arch: arch) {
            let low = named.isWide ? field.replacingOccurrences(of: "$args(", with: "$args32(") : "$args(\(named.parameter.name))"
            return try wordCondition(set, field: low, shift: 0, offset: offset, care: care, names: named)
        }
        let low = field == "$ip" ? "($ip & 0xffffffff)" : field.replacingOccurrences(of: "$args(", with: "$args32(")
        return try wordCondition(set, field: arch.argumentBits == 32 && field != "$ip" ? field : low, shift: 0, offset: offset, care: care)
    }

    /// The shortest condition that word `offset` is in `set`, where values
    /// outside `care` cannot occur: the set itself, or the set with those
    /// values added. `syscalls` are the numbers the path has fixed.
    func condition(_ set: WordSets.WordSet, of offset: UInt32, care: WordSets.WordSet, arch: Arch, syscalls: [String]?) throws -> String {
        let candidates = offset == 0 ? [set] : [set, store.or(set, store.not(care))]
        var best: String?
        var failure: Error?
        for candidate in candidates {
            do {
                let text = offset == 0 ? try nrCondition(store.and(candidate, care), arch: arch, nrPart: care)
                    : try argumentCondition(candidate, offset: offset, arch: arch, syscalls: syscalls, care: care)
                if text.count < best?.count ?? .max { best = text }
            } catch { failure = error }
        }
        if let best { return best }
        throw failure ?? PolicyLifter.LiftError(description: "a set of word \(offset) that cannot be written")
    }

    /// The field of a word offset, and whether it is the high word.
    static func field(_ offset: UInt32, littleEndian: Bool) -> (String, Bool) {
        let base = offset < 16 ? 8 : 16 + (offset - 16) / 8 * 8
        let name = offset < 16 ? "$ip" : "$args(\((offset - 16) / 8))"
        return (name, SeccompData.highWordOffset(base: base, littleEndian: littleEndian) == offset)
    }

    /// The names of the syscalls `set` holds, when they are few and all named.
    func syscallNames(_ set: WordSets.WordSet, arch: Arch) -> [String]? {
        guard store.count(set) <= 64, let ranges = store.ranges(set, limit: 64) else { return nil }
        let table = SyscallTable.forArch(arch)
        var names: [String] = []
        for r in ranges {
            for nr in r {
                guard let name = table.name(of: nr) else { return nil }
                names.append(name)
            }
        }
        return names
    }

    /// The numbers `set` holds, as names and ranges; or, when what it lacks
    /// (within the block's numbers) is smaller, as `!(...)` of that.
    private func nrCondition(_ set: WordSets.WordSet, arch: Arch, nrPart: WordSets.WordSet) throws -> String {
        let lacking = store.minus(nrPart, set)
        if store.count(lacking) < store.count(set), let negative = try? positiveNumbers(lacking, arch: arch, nrPart: nrPart) {
            return "!(" + negative + ")"
        }
        if let positive = try? positiveNumbers(set, arch: arch, nrPart: nrPart) { return positive }
        if let negative = try? positiveNumbers(lacking, arch: arch, nrPart: nrPart) { return "!(" + negative + ")" }
        // Masked tests of the number (a JSET on nr): patterns of bits.
        return try wordCondition(set, field: "$nr", shift: 0, offset: 0, care: nrPart)
    }

    /// Small runs of numbers by name (or number) in one `in` list, long runs
    /// as comparisons.
    private func positiveNumbers(_ set: WordSets.WordSet, arch: Arch, nrPart: WordSets.WordSet) throws -> String {
        let table = SyscallTable.forArch(arch)
        guard let ranges = store.ranges(set, limit: 96) else {
            throw PolicyLifter.LiftError(description: "a set of \(store.count(set)) syscall numbers too scattered to write")
        }
        var listed: [String] = [], parts: [String] = []
        for r in ranges {
            if r.count <= 64 {
                for nr in r { listed.append(table.name(of: nr).flatMap { PolicyText.bareWord($0) } ?? String(nr)) }
            } else {
                parts.append(range(r, "$nr", 0))
            }
        }
        if !listed.isEmpty { parts.insert(listed.count == 1 ? "$nr eq \(listed[0])" : "$nr in {\(listed.joined(separator: " "))}", at: 0) }
        return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " || ") + ")"
    }

    /// A word's set as a condition on `field`; a high word (`shift` 32) is
    /// compared through the 64-bit field.
    /// `names`, when given, writes values and masks of a named parameter
    /// with its constants.
    /// Values outside `care` may be decided either way.
    private func wordCondition(_ set: WordSets.WordSet, field: String, shift: UInt64, offset: UInt32,
                               care: WordSets.WordSet? = nil, names: NamedArgument? = nil) throws -> String {
        if set.isFull { return "1" }
        let complement = store.not(set)
        // A few scattered values read best as a list (of single names or numbers).
        for (candidate, word) in [(set, "in"), (complement, "ni")] where shift == 0 && store.count(candidate) <= 24 && store.count(candidate) > 2 {
            if let ranges = store.ranges(candidate, limit: 24), ranges.count > 1 {
                let values = ranges.flatMap { Array($0) }.map { v -> String in
                    let named = names?.value(UInt64(v))
                    return named.map { $0.hasPrefix("(") ? nil : $0 }.flatMap { $0 } ?? hex(UInt64(v))
                }
                return "\(field) \(word) {" + values.joined(separator: " ") + "}"
            }
        }
        let inside = store.ranges(set, limit: 16), outside = store.ranges(complement, limit: 16)
        if let outside, outside.count < (inside?.count ?? .max) {
            // The shorter form: what the set lacks.
            if outside.count == 1, outside[0].count == 1, shift == 0 {
                return "\(field) != \(names?.value(UInt64(outside[0].lowerBound)) ?? hex(UInt64(outside[0].lowerBound)))"
            }
            return "!" + or(outside.map { range($0, field, shift, names) }, forceParens: true)
        }
        if let inside { return or(inside.map { range($0, field, shift, names) }) }
        // The diagram's paths as masked patterns, the shorter of the set's and its complement's.
        let shortest = [(set, ""), (complement, "!")].compactMap { candidate, prefix in
            store.patterns(candidate, limit: 128).map { (prefix, $0) }
        }.min { $0.1.count < $1.1.count }
        let patterns = shortest.map { prefix, patterns in
            (count: patterns.count, text: prefix + or(patterns.map { masked($0, field, shift, names) }, forceParens: !prefix.isEmpty))
        }
        if let patterns, patterns.count <= 4 { return patterns.text }
        // Many patterns, or none in reach: a decision over the program's own tests of this word.
        var formula = TestFormula(store: store, tests: tests.byOffset[offset] ?? [], field: field, shift: shift)
        if let text = formula.write(set, care: care ?? store.full), text.count < patterns?.text.count ?? .max { return text }
        if let patterns { return patterns.text }
        throw PolicyLifter.LiftError(description: "a set of \(store.count(set)) values of \(field) too scattered to write")
    }

    private func or(_ parts: [String], forceParens: Bool = false) -> String {
        parts.count == 1 && !forceParens ? parts[0] : "(" + parts.joined(separator: " || ") + ")"
    }

    private func range(_ r: ClosedRange<UInt32>, _ field: String, _ shift: UInt64, _ names: NamedArgument? = nil) -> String {
        let low = UInt64(r.lowerBound) << shift, high = UInt64(r.upperBound) << shift | (shift == 32 ? 0xFFFF_FFFF : 0)
        if r.count == 1 && shift == 0 { return "\(field) == \(names?.value(low) ?? hex(low))" }
        if shift == 32 && r.count == 1 { return "(\(field) & 0xffffffff00000000) == \(hex(low))" }
        if r.lowerBound == 0 { return "\(field) <= \(hex(high))" }
        if r.upperBound == .max { return "\(field) >= \(hex(low))" }
        return "(\(field) >= \(hex(low)) && \(field) <= \(hex(high)))"
    }

    private func masked(_ p: (mask: UInt32, value: UInt32), _ field: String, _ shift: UInt64, _ names: NamedArgument? = nil) -> String {
        let mask = UInt64(p.mask) << shift, value = UInt64(p.value) << shift
        let maskText = names?.mask(mask).map { $0.contains("|") ? "(\($0))" : $0 } ?? hex(mask)
        let valueText = value == 0 ? "0" : value == mask && maskText != hex(mask) ? maskText : hex(value)
        // A mask within the low word tests the same bits of the whole parameter.
        let subject = names.map { $0.isWide && shift == 0 ? "$args(\($0.parameter.name))" : field } ?? field
        return "(\(subject) & \(maskText)) == \(valueText)"
    }

    private func hex(_ v: UInt64) -> String { v < 10 ? String(v) : "0x" + String(v, radix: 16) }

    /// A decision diagram (restricted to one architecture's inputs) as
    /// nested `if`s. At each test, every way but one becomes an `if` whose
    /// body holds what follows it; the way hardest to write comes last and
    /// without a condition, since the others have returned, and each
    /// condition may count on the ones before it having failed. Where a
    /// way's set cannot be written, the program's own tests of the word
    /// split the values until each part lies in one way (the program built
    /// the sets from those tests, so they always suffice). A diagram shared
    /// by several ways is written under each.
    func nested(_ diagram: DecisionDiagrams.Diagram, in diagrams: DecisionDiagrams, arch: Arch) throws -> String {
        enum Work {
            case node(DecisionDiagrams.Diagram, depth: Int, syscalls: [String]?)
            /// The ways of a test of `offset`, for the values in `care`.
            case choice(offset: UInt32, edges: [DecisionDiagrams.Edge], care: WordSets.WordSet, depth: Int, syscalls: [String]?)
            case line(String)
        }
        var out = ""
        var work: [Work] = [.node(diagram, depth: 1, syscalls: nil)]
        while let item = work.popLast() {
            switch item {
            case .line(let text):
                out += text
            case .node(let d, let depth, let syscalls):
                switch diagrams.node(d) {
                case .leaf(let value):
                    out += String(repeating: "    ", count: depth) + "return \(PolicyLifter.text(UInt32(value)))\n"
                case .test(let offset, let edges):
                    var care = store.empty
                    for edge in edges { care = store.or(care, edge.set) }
                    work.append(.choice(offset: offset, edges: edges, care: care, depth: depth, syscalls: syscalls))
                }
            case .choice(let offset, let all, let care, let depth, let syscalls):
                let pad = String(repeating: "    ", count: depth)
                let edges = all.filter { !store.and($0.set, care).isEmpty }
                // What the path has fixed of the number, for the arguments' names.
                func fixed(_ edge: DecisionDiagrams.Edge) -> [String]? {
                    offset == 0 ? syscallNames(store.and(edge.set, care), arch: arch) : syscalls
                }
                if edges.count == 1 {
                    work.append(.node(edges[0].child, depth: depth, syscalls: fixed(edges[0])))
                    continue
                }
                var items: [Work] = []
                if let written = try? sequence(edges, of: offset, care: care, arch: arch, syscalls: syscalls) {
                    for (edge, text) in written.dropLast() {
                        items.append(.line(pad + "if {\(text)} {\n"))
                        items.append(.node(edge.child, depth: depth + 1, syscalls: fixed(edge)))
                        items.append(.line(pad + "}\n"))
                    }
                    items.append(.node(written.last!.edge.child, depth: depth, syscalls: fixed(written.last!.edge)))
                } else {
                    // Split by the program's test of this word that leaves the fewest ways on its larger side.
                    let candidates = (tests.byOffset[offset] ?? []).compactMap { test -> (WordTests.Test, Int)? in
                        let yes = store.and(care, test.set), no = store.minus(care, test.set)
                        guard !yes.isEmpty, !no.isEmpty else { return nil }
                        let ways = max(edges.count { !store.and($0.set, yes).isEmpty }, edges.count { !store.and($0.set, no).isEmpty })
                        return (test, ways)
                    }
                    guard let split = candidates.min(by: { $0.1 < $1.1 })?.0 else {
                        throw PolicyLifter.LiftError(description: "a test of word \(offset) that the program's own tests cannot write")
                    }
                    let (field, shift) = Self.plainField(offset, arch: arch)
                    let formula = TestFormula(store: store, tests: [], field: field, shift: shift)
                    items.append(.line(pad + "if {\(formula.text(split))} {\n"))
                    items.append(.choice(offset: offset, edges: edges, care: store.and(care, split.set), depth: depth + 1, syscalls: syscalls))
                    items.append(.line(pad + "}\n"))
                    items.append(.choice(offset: offset, edges: edges, care: store.minus(care, split.set), depth: depth, syscalls: syscalls))
                }
                work.append(contentsOf: items.reversed())
            }
        }
        return out
    }

    /// The ways of a test, each with its condition, in the order to write
    /// them: alone, by the length of their condition, the longest last
    /// (written without one). Each condition may count on those before it.
    private func sequence(_ edges: [DecisionDiagrams.Edge], of offset: UInt32, care: WordSets.WordSet, arch: Arch,
                          syscalls: [String]?) throws -> [(edge: DecisionDiagrams.Edge, text: String)] {
        let alone = try edges.enumerated().map { index, edge in
            (edge: edge, index: index, length: try condition(edge.set, of: offset, care: care, arch: arch, syscalls: syscalls).count)
        }
        let ordered = alone.sorted { ($0.length, $0.index) < ($1.length, $1.index) }
        var result: [(edge: DecisionDiagrams.Edge, text: String)] = []
        var left = care
        for (edge, _, _) in ordered.dropLast() {
            result.append((edge, try condition(edge.set, of: offset, care: left, arch: arch, syscalls: syscalls)))
            left = store.minus(left, edge.set)
        }
        result.append((ordered.last!.edge, ""))
        return result
    }

    /// The field that reads word `offset` on `arch`, and the shift of the
    /// word in it: `$nr`; `$args32(N)` for a low word of a 64-bit ABI,
    /// `$args(N)` on a 32-bit one; the 64-bit field, shifted 32, for a high word.
    static func plainField(_ offset: UInt32, arch: Arch) -> (String, UInt64) {
        if offset == 0 { return ("$nr", 0) }
        if offset == 4 { return ("$arch", 0) }
        let (field, isHigh) = field(offset, littleEndian: arch.isLittleEndian)
        if isHigh { return (field, 32) }
        if field == "$ip" { return ("($ip & 0xffffffff)", 0) }
        return (arch.argumentBits == 32 ? field : field.replacingOccurrences(of: "$args(", with: "$args32("), 0)
    }

    /// The smallest member of a class of `arch`'s inputs.
    func sampleInput(_ words: [UInt32: WordSets.WordSet], arch: Arch, nrPart: WordSets.WordSet) -> SeccompData {
        let nr = store.smallest(words[0] ?? nrPart) ?? 0
        var fields = [UInt64](repeating: 0, count: 7)  // the instruction pointer, then the arguments
        let le = arch.isLittleEndian
        for (offset, set) in words where offset >= 8 {
            let n = Int((offset - 8) / 8)
            let (_, isHigh) = Self.field(offset, littleEndian: le)
            let v = UInt64(store.smallest(set) ?? 0)
            fields[n] |= isHigh ? v << 32 : v
        }
        return SeccompData(nr: nr, arch: arch.auditArch, instructionPointer: fields[0], args: Array(fields[1...]))
    }

    /// `{NR a0 ... a5}`: the smallest member of the class, for an expect line.
    func member(_ words: [UInt32: WordSets.WordSet], arch: Arch, nrPart: WordSets.WordSet) -> String {
        let data = sampleInput(words, arch: arch, nrPart: nrPart)
        let nr = data.nr, args = data.args
        let name = SyscallTable.forArch(arch).name(of: nr).flatMap { PolicyText.bareWord($0) } ?? String(nr)
        let last = args.lastIndex { $0 != 0 }
        let shown: [String] = last.map { end in args[...end].map { $0 < 10 ? String($0) : "0x" + String($0, radix: 16) } } ?? []
        return shown.isEmpty ? name : "{\(name) \(shown.joined(separator: " "))}"
    }
}

/// An argument slot every syscall of a condition declares alike (same
/// parameter name and width, whole in its slot), so the lifted policy can
/// write `$args(NAME)`: the kernel's name, read at the width the kernel
/// reads. For an `int`-sized parameter that is the 32-bit word the program
/// tests. A 64-bit parameter (`isWide`) is named only where a mask within
/// its low word is tested, the same bits either way; its low word is
/// otherwise `$args32(N)`. Values are written with the constants the
/// parameter takes, where every syscall names them alike.
struct NamedArgument {
    let parameter: SyscallParameter
    let syscalls: [String]
    let arch: Arch

    /// A 64-bit parameter of a 64-bit ABI.
    var isWide: Bool { parameter.width == 8 }

    init?(slot: Int, syscalls: [String], arch: Arch) {
        var found: SyscallParameter?
        for name in syscalls {
            guard let p = SyscallParameters.of(name, arch: arch)?.first(where: { $0.slot == slot }),
                  p.width == 4 || (p.width == 8 && p.argumentBits == 64), !p.isSplit,
                  found.map({ $0.name == p.name && $0.width == p.width }) ?? true else { return nil }
            found = p
        }
        guard let found else { return nil }
        parameter = found
        self.syscalls = syscalls
        self.arch = arch
    }

    /// `value` as a constant name (or names joined by `|`), when every
    /// syscall names it alike; nil for a plain number.
    /// Flags joined by `|` come in parentheses: `|` binds less tightly than `==`.
    func value(_ value: UInt64) -> String? {
        agreed { CallText.valueExpression(value, of: parameter, syscall: $0, arch: arch) }
            .flatMap { Self.isNames($0) ? ($0.contains("|") ? "(\($0))" : $0) : nil }
    }

    /// `mask` as flag names, when the parameter takes flags.
    func mask(_ mask: UInt64) -> String? {
        agreed { CallText.maskExpression(mask, of: parameter, syscall: $0, arch: arch) }
    }

    private func agreed(_ text: (String) -> String?) -> String? {
        let texts = Set(syscalls.map(text))
        guard texts.count == 1, let only = texts.first else { return nil }
        return only
    }

    /// Whether `text` is made of constant names (not a number the table could not name).
    private static func isNames(_ text: String) -> Bool {
        text.split(separator: "|").allSatisfy { part in part.first.map { $0.isLetter || $0 == "_" } ?? false }
    }
}
