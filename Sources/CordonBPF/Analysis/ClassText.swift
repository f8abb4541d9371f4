import CordonLinux

/// Input classes as people read them: the architecture, the syscalls by
/// name, and a condition on each other word the class constrains.
public struct ClassText {
    public let store: WordSets

    public init(store: WordSets) { self.store = store }

    /// One readable piece of a class: an architecture, its syscalls, the
    /// condition on the other words.
    public struct Row: Hashable, Sendable {
        public let arch: String
        public let syscalls: String
        public let condition: String
    }

    private static let archWord: UInt32 = 4, nrWord: UInt32 = 0

    /// A class's rows: one per architecture it covers (x32 apart from x86_64).
    public func rows(_ words: [UInt32: WordSets.WordSet]) -> [Row] {
        let archSet = words[Self.archWord] ?? store.full
        let nrSet = words[Self.nrWord] ?? store.full
        var rows: [Row] = []
        var known = store.empty
        for arch in Arch.allCases where arch != .x32 {
            let value = store.single(arch.auditArch)
            known = store.or(known, value)
            guard !store.and(archSet, value).isEmpty else { continue }
            let condition = self.condition(words, littleEndian: arch.isLittleEndian)
            if arch == .x86_64 {
                // Bit 30 of nr selects x32 (except -1, which stays x86_64).
                let x32Bit = store.anyBit(Arch.x32SyscallBit)
                let minusOne = store.single(0xFFFF_FFFF)
                let x32 = store.minus(store.and(nrSet, x32Bit), minusOne)
                let native = store.minus(nrSet, x32)
                if !native.isEmpty { rows.append(Row(arch: "x86_64", syscalls: syscalls(native, .x86_64), condition: condition)) }
                if !x32.isEmpty { rows.append(Row(arch: "x32", syscalls: syscalls(x32, .x32), condition: condition)) }
            } else {
                rows.append(Row(arch: arch.rawValue, syscalls: syscalls(nrSet, arch), condition: condition))
            }
        }
        let others = store.minus(archSet, known)
        if !others.isEmpty {
            let label = store.count(others) > 1 << 31 ? "other architectures" : "architectures " + values(others)
            rows.append(Row(arch: label, syscalls: nrSet.isFull ? "any syscall" : "numbers " + values(nrSet), condition: condition(words, littleEndian: true)))
        }
        return rows
    }

    /// The syscalls of `set` on `arch`: their names (or the names it lacks,
    /// when it holds most of the table), then how many numbers without a
    /// name it holds.
    public func syscalls(_ set: WordSets.WordSet, _ arch: Arch) -> String {
        if set.isFull { return "any syscall" }
        let table = SyscallTable.forArch(arch)
        var inside: [String] = [], outside: [String] = []
        var named = store.empty
        for name in table.names {
            guard let nr = table.number(of: name) else { continue }
            named = store.or(named, store.single(nr))
            if store.contains(set, nr) { inside.append(name) } else { outside.append(name) }
        }
        let unnamed = store.count(store.minus(set, named))
        var text: String
        if inside.isEmpty {
            text = ""
        } else if outside.isEmpty {
            text = "every syscall"
        } else if inside.count > outside.count && inside.count > 16 {
            text = "every syscall but " + outside.joined(separator: " ")
        } else {
            text = inside.joined(separator: " ")
        }
        if unnamed > 0 {
            let numbers = store.ranges(store.minus(set, named), limit: 3).map { ranges in
                ranges.map { $0.count == 1 ? String($0.lowerBound) : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: " ")
            }
            let what = numbers.map { "number\(unnamed == 1 ? "" : "s") \($0)" } ?? "\(unnamed) unnamed numbers"
            text += text.isEmpty ? what : " (and \(what))"
        }
        return text
    }

    private func compress(_ items: [String]) -> String {
        items.count > 12 ? items.prefix(10).joined(separator: " ") + " and \(items.count - 10) more" : items.joined(separator: " ")
    }

    /// The condition on every word but arch and nr: `args[0] low == 0x2 && ...`, or `always`.
    public func condition(_ words: [UInt32: WordSets.WordSet], littleEndian: Bool) -> String {
        let parts = words.keys.sorted().compactMap { offset -> String? in
            guard offset != Self.archWord, offset != Self.nrWord, let set = words[offset], !set.isFull else { return nil }
            let name = SeccompData.fieldName(at: offset, littleEndian: littleEndian) ?? "word \(offset)"
            return test(name, set)
        }
        return parts.isEmpty ? "always" : parts.joined(separator: " && ")
    }

    /// `name == 0x2`, `name in 0x10-0x1f`, `(name & 0x8) == 0x8`, ...
    public func test(_ name: String, _ set: WordSets.WordSet) -> String {
        let complement = store.not(set)
        if let ranges = store.ranges(complement, limit: 2), store.count(complement) <= 4, !ranges.isEmpty {
            let values = ranges.flatMap { Array($0) }
            return values.map { "\(name) != \(hex($0))" }.joined(separator: " && ")
        }
        if let ranges = store.ranges(set, limit: 3) {
            let parts = ranges.map { r in r.count == 1 ? "\(name) == \(hex(r.lowerBound))" : rangeTest(name, r) }
            return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " || ") + ")"
        }
        for (candidate, word) in [(set, "in"), (complement, "not in")] where store.count(candidate) <= 32 {
            if let ranges = store.ranges(candidate, limit: 32) {
                return "\(name) \(word) {" + ranges.flatMap { Array($0) }.map(hex).joined(separator: " ") + "}"
            }
        }
        if let patterns = store.patterns(set, limit: 4) {
            let parts = patterns.map { "(\(name) & \(hex($0.mask))) == \(hex($0.value))" }
            return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " || ") + ")"
        }
        if let patterns = store.patterns(complement, limit: 4) {
            return patterns.map { "(\(name) & \(hex($0.mask))) != \(hex($0.value))" }.joined(separator: " && ")
        }
        return "\(name) in a set of \(store.count(set)) values"
    }

    private func rangeTest(_ name: String, _ r: ClosedRange<UInt32>) -> String {
        if r.lowerBound == 0 { return "\(name) <= \(hex(r.upperBound))" }
        if r.upperBound == .max { return "\(name) >= \(hex(r.lowerBound))" }
        return "\(name) in \(hex(r.lowerBound))-\(hex(r.upperBound))"
    }

    private func values(_ set: WordSets.WordSet) -> String {
        guard let ranges = store.ranges(set, limit: 8) else { return "(\(store.count(set)) values)" }
        return ranges.map { $0.count == 1 ? hex($0.lowerBound) : "\(hex($0.lowerBound))-\(hex($0.upperBound))" }.joined(separator: " ")
    }

    private func hex(_ v: UInt32) -> String { v < 10 ? String(v) : "0x" + String(v, radix: 16) }
}
