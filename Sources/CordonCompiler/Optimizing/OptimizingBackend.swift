import CordonBPF
import CordonLinux
import CordonPolicy

/// The optimizing backend (`-O2`, the default). Not a cleverer copy of the
/// direct walk: for each architecture value it specializes the policy per
/// syscall number, over the intervals where no `$nr` test changes its
/// answer; compiles each residual once (the node graph shares equal code);
/// merges neighbouring intervals with the same code into ranges; and
/// dispatches with a balanced search over the ranges. A syscall allowed
/// whatever its arguments ends on a path that reads only `arch` and `nr`,
/// so the kernel's action cache can hold it.
enum OptimizingBackend {
    /// Specializing per syscall number hoists the number dispatch above
    /// everything; when a policy tests `$nr` deep inside argument checks that
    /// copies the argument logic into every range, and may not fit the
    /// kernel's limit. Then the block is compiled as written instead (still
    /// with shared tails, no reloads and JSET), before giving up.
    static func compile(_ policy: IRPolicy, mix: SyscallMix = .builtIn) throws(CompileError) -> CompiledProgram {
        do {
            let withFacts = try compile(policy, specialize: true, learnsFacts: true, mix: mix)
            // A large program may be one where facts copied chains per
            // combination of what paths know: compile it without, and with
            // the fields it compares most in scratch memory; keep the smallest.
            guard withFacts.program.count > factsCheckSize else { return withFacts }
            var best = withFacts
            var normalized: CompiledProgram?
            if let program = try? compile(policy, specialize: true, learnsFacts: false, normalizesFields: true, mix: mix) {
                // Without a field in scratch memory it is the plain compile without facts.
                guard program.program.instructions.contains(where: { $0.code == Instruction.store(0).code }) else {
                    return program.program.count < best.program.count ? program : best
                }
                normalized = program
            }
            if let without = try? compile(policy, specialize: true, learnsFacts: false, mix: mix),
               without.program.count < best.program.count { best = without }
            // Normalizing runs a few more instructions on some paths: it has
            // to save a tenth of the program to be kept.
            if let normalized, normalized.program.count * 10 <= best.program.count * 9 { best = normalized }
            return best
        } catch {
            do { return try compile(policy, specialize: true, learnsFacts: false, mix: mix) } catch {
                // Specialized, it does not fit: the unspecialized form, or
                // the specialized one with fields in scratch memory, whichever
                // fits in fewer instructions.
                let normalized = try? compile(policy, specialize: true, learnsFacts: false, normalizesFields: true, mix: mix)
                do {
                    let unspecialized = try compile(policy, specialize: false, learnsFacts: true, mix: mix)
                    if let normalized, normalized.program.count < unspecialized.program.count { return normalized }
                    return unspecialized
                } catch {
                    if let normalized { return normalized }
                    throw error
                }
            }
        }
    }

    /// Past this many instructions, -O2 also compiles without path facts.
    static let factsCheckSize = 1024

    static func compile(_ policy: IRPolicy, specialize: Bool, learnsFacts: Bool, normalizesFields: Bool = false,
                        mix: SyscallMix) throws(CompileError) -> CompiledProgram {
        let badarchNote = noteText(policy.badarch.location)
        var compiler = ResidualCompiler(fallthroughValue: policy.badarch.action.rawValue)
        compiler.learnsFacts = learnsFacts
        compiler.normalizesFields = normalizesFields
        let badarch = compiler.graph.ret(policy.badarch.action.rawValue, note: badarchNote)

        // The arch chain, built from its end: the last miss goes to badarch.
        // x86_64's value is tested first: on an x86_64 host it is the common case.
        let routes = ArchRoute.routes(policy)
        let ordered = routes.filter { $0.auditArch == Arch.x86_64.auditArch } + routes.filter { $0.auditArch != Arch.x86_64.auditArch }
        var next = badarch
        var searches: [DispatchSearch] = []
        for route in ordered.reversed() {
            let tree = dispatch(route, badarch: badarch, policy: policy, specialize: specialize, mix: mix, &compiler, &searches)
            let load = compiler.graph.add(.statement(.load(0), next: tree), note: nil)
            next = compiler.graph.add(.branch(.eq, k: route.auditArch, onTrue: load, onFalse: next), note: nil)
        }
        var root = compiler.graph.add(.statement(.load(4), next: next), note: nil)
        // The kernel checks scratch memory by a forward pass over the code,
        // not its paths, and carries what holds before a RET into the code
        // placed after it: a cell stored on every path that reads it can
        // still fail there. Then each cell used is written once at the start
        // (with A's initial 0); the code reads a cell only after its own store.
        if compiler.usedCells != 0, let laidOut = try? compiler.graph.linearize(root).buildWithNotes(),
           Validator.refusals(laidOut.instructions).contains(where: \.readsMemoryBeforeWrite) {
            for cell in (0..<8).reversed() where compiler.usedCells & (1 << cell) != 0 {
                root = compiler.graph.add(.statement(.store(UInt32(cell)), next: root), note: nil)
            }
        }
        var compiled = try Compiler.finish(compiler.graph.linearize(root), level: .optimizing)
        compiled.searches = searches.reversed()
        return compiled
    }

    /// A range of syscall numbers and the node deciding them.
    struct Range {
        let low: UInt64
        let high: UInt64  // inclusive
        let node: NodeGraph.ID
        /// How often syscalls of the range are expected: the measured count of
        /// each (x86_64), plus a base weight per syscall the architecture has.
        var weight = 0
    }

    /// The search over syscall numbers for one architecture value, with A
    /// holding `nr` on entry.
    private static func dispatch(_ route: ArchRoute, badarch: NodeGraph.ID, policy: IRPolicy, specialize: Bool, mix: SyscallMix,
                                 _ compiler: inout ResidualCompiler, _ searches: inout [DispatchSearch]) -> NodeGraph.ID {
        var points = Set<UInt64>([0])
        if specialize {
            if let block = route.main { points.formUnion(Specializer.breakpoints(block.statements)) }
            if let block = route.x32 { points.formUnion(Specializer.breakpoints(block.statements)) }
        }
        if route.splitsX32 {
            // Bit 30 changes at these numbers; -1 is x86_64's.
            points.formUnion([0x4000_0000, 0x8000_0000, 0xC000_0000, 0xFFFF_FFFF])
        }
        // Each block prepared once: its `$nr`-only conditions decided by a search.
        let preparedMain = route.main.map { PreparedStatements($0.statements) }
        let preparedX32 = route.x32.map { PreparedStatements($0.statements) }
        let sorted = points.sorted()
        var ranges: [Range] = []
        var residualNodes: [[Statement]: NodeGraph.ID] = [:]
        for (i, low) in sorted.enumerated() {
            let high = (i + 1 < sorted.count ? sorted[i + 1] : 1 << 32) - 1
            let nr = UInt32(low)
            let block: IRBlock?
            if route.splitsX32 {
                block = Arch.of(auditArch: route.auditArch, nr: nr) == .x32 ? route.x32 : route.main
            } else {
                block = route.main
            }
            let node: NodeGraph.ID
            if let block {
                let prepared = block.arch == .x32 && route.splitsX32 ? preparedX32 : preparedMain
                let specialized = specialize ? Specializer.specialize(prepared!, nr: nr, keepMasked: true) : block.statements
                // Path facts drop repeated rules as they compile; without them, here.
                let residual = compiler.learnsFacts ? specialized : RepeatedRules.removed(specialized)
                if let known = residualNodes[residual] {
                    node = known
                } else {
                    compiler.arch = block.arch
                    compiler.normalized = compiler.normalizesFields ? NormalizedFields.plan(residual, arch: block.arch) : NormalizedFields()
                    node = compiler.statements(residual, .word(offset: 0, mask: 0xFFFF_FFFF))
                    residualNodes[residual] = node
                }
            } else {
                node = badarch
            }
            if let last = ranges.last, last.node == node {
                ranges[ranges.count - 1] = Range(low: last.low, high: high, node: node)
            } else {
                ranges.append(Range(low: low, high: high, node: node))
            }
        }
        weigh(&ranges, route, mix)
        searches.append(searchFigures(ranges, auditArch: route.auditArch))
        return searchTree(ranges[...], &compiler)
    }

    /// What every syscall weighs before its measured count: about the mix's
    /// average count per syscall, so rare syscalls keep some pull and the
    /// tree stays near balanced for them (a worst case near log2 of the ranges).
    static let baseWeight = 100

    /// Gives each range its weight: the syscalls of the route's
    /// architectures that fall in it, each `baseWeight` plus its measured count.
    private static func weigh(_ ranges: inout [Range], _ route: ArchRoute, _ mix: SyscallMix) {
        var numbers: [(UInt64, Int)] = []
        for block in [route.main, route.x32].compactMap({ $0 }) {
            let weights = mix.counts(for: block.arch)
            numbers += SyscallTable.forArch(block.arch).entries.map { (UInt64($0.number), baseWeight + (weights[$0.name] ?? 0)) }
        }
        numbers.sort { $0.0 < $1.0 }
        var next = 0
        for i in ranges.indices {
            while next < numbers.count && numbers[next].0 < ranges[i].low { next += 1 }
            var j = next
            while j < numbers.count && numbers[j].0 <= ranges[i].high {
                ranges[i].weight += numbers[j].1
                j += 1
            }
        }
    }

    /// A weight-balanced binary search over `ranges`: `if (A >= split)` at
    /// each level, split where the weight halves, so frequent syscalls sit
    /// near the root (with equal weights, it halves the number of ranges).
    private static func searchTree(_ ranges: ArraySlice<Range>, _ compiler: inout ResidualCompiler) -> NodeGraph.ID {
        if ranges.count == 1 { return ranges.first!.node }
        // One number between two ranges that decide alike: one JEQ.
        if ranges.count == 3 {
            let (a, m, c) = (ranges[ranges.startIndex], ranges[ranges.startIndex + 1], ranges[ranges.startIndex + 2])
            if a.node == c.node && m.low == m.high {
                return compiler.graph.add(.branch(.eq, k: UInt32(m.low), onTrue: m.node, onFalse: a.node), note: nil)
            }
        }
        let middle = split(ranges)
        let below = searchTree(ranges[ranges.startIndex..<middle], &compiler)
        let above = searchTree(ranges[middle...], &compiler)
        let split = UInt32(ranges[middle].low)
        return compiler.graph.add(.branch(.ge, k: split, onTrue: above, onFalse: below), note: nil)
    }
}

extension OptimizingBackend {
    /// Where to split `ranges` (at least two): the index that best halves
    /// their weight; among equal halvings, the one that leaves the heavier
    /// side fewer ranges (so heavy ranges sit shallower), then the middle.
    static func split(_ ranges: ArraySlice<Range>) -> Int {
        let total = ranges.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return ranges.startIndex + ranges.count / 2 }
        let center = ranges.startIndex + ranges.count / 2
        var best = ranges.startIndex + 1
        var bestKey = (Int.max, Int.max, Int.max)
        var left = 0
        for i in (ranges.startIndex + 1)..<ranges.endIndex {
            left += ranges[i - 1].weight
            let right = total - left
            let heavierCount = left >= right ? i - ranges.startIndex : ranges.endIndex - i
            let key = (abs(total - 2 * left), heavierCount, abs(i - center))
            if key < bestKey {
                best = i
                bestKey = key
            }
        }
        return best
    }
}
