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

    /// The syscalls of `set` on `arch`: names, and numbers the table lacks.
    public func syscalls(_ set: WordSets.WordSet, _ arch: Arch) -> String {
        if set.isFull { return "any syscall" }
        let table = SyscallTable.forArch(arch)
        let tableRange = store.range(0, arch == .x32 ? Arch.x32SyscallBit | 0xFFFF : 0xFFFF)
        let outside = store.minus(set, tableRange)
        let inside = store.and(set, tableRange)
        var parts: [String] = []
        if store.count(inside) * 2 > UInt64(table.names.count) + 16, store.count(inside) > 32 {
            // Most of the table: say what is missing.
            let missing = store.minus(tableRange, inside)
            let names = table.names.filter { table.number(of: $0).map { store.contains(missing, $0) } ?? false }
            parts.append(names.isEmpty ? "every syscall" : "every syscall but " + names.joined(separator: " "))
        } else if let ranges = store.ranges(inside, limit: 512) {
            var names: [String] = [], unnamed: [String] = []
            for range in ranges {
                if range.count > 4096 { unnamed.append("\(range.lowerBound)-\(range.upperBound)"); continue }
                for nr in range {
                    if let name = table.name(of: nr) { names.append(name) } else { unnamed.append(String(nr)) }
                }
            }
            parts.append((names + (unnamed.isEmpty ? [] : ["(unnamed \(compress(unnamed)))"])).joined(separator: " "))
        } else {
            parts.append("\(store.count(inside)) numbers")
        }
        if !outside.isEmpty { parts.append("numbers " + values(outside)) }
        return parts.filter { !$0.isEmpty }.joined(separator: ", ")
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
