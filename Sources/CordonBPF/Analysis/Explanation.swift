import CordonLinux

/// What a filter does, per architecture: the syscalls each action gets
/// whatever their arguments, then those decided by argument, each with its
/// condition and action. Built from the program's exact input classes, so it
/// reads any filter a program analysis can follow, not only cordon's.
public enum Explanation {
    /// The text of `cordon explain` for `program`.
    public static func text(_ program: [Instruction], limit: Int = 1_000_000) throws(ProgramClasses.Refusal) -> String {
        let store = WordSets()
        let classes = try ProgramClasses.classes(program, in: store, limit: limit)
        let merged = ProgramDiff.merged(classes.map { ProgramDiff.Difference(words: $0.words, a: $0.value, b: $0.value) }, in: store)
        let rendering = ClassText(store: store)
        var archOrder: [String] = []
        var plain: [String: [(UInt32, String)]] = [:], checked: [String: [(String, String, UInt32)]] = [:]
        for c in merged {
            for row in rendering.rows(c.words) {
                if plain[row.arch] == nil && checked[row.arch] == nil { archOrder.append(row.arch) }
                if row.condition == "always" {
                    plain[row.arch, default: []].append((c.a, row.syscalls))
                    checked[row.arch, default: []] += []
                } else {
                    checked[row.arch, default: []].append((row.syscalls, row.condition, c.a))
                    plain[row.arch, default: []] += []
                }
            }
        }
        let known = Arch.allCases.map(\.rawValue)
        archOrder.sort { (known.firstIndex(of: $0) ?? 99) < (known.firstIndex(of: $1) ?? 99) }
        // Architectures decided alike for every syscall share one entry.
        var sections: [(arches: [String], body: String)] = []
        for arch in archOrder {
            var out = ""
            // Actions in the order of their first class; syscalls of one action joined.
            var actions: [UInt32] = [], syscalls: [UInt32: [String]] = [:]
            for (value, names) in plain[arch] ?? [] {
                if syscalls[value] == nil { actions.append(value) }
                syscalls[value, default: []].append(names)
            }
            for value in actions {
                out += "  \(SeccompReturn(rawValue: value).named): \(syscalls[value]!.joined(separator: " "))\n"
            }
            let byArgument = (checked[arch] ?? []).sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            if !byArgument.isEmpty {
                out += "  by argument:\n"
                for (names, condition, value) in byArgument {
                    out += "    \(names)  \(condition)  \(SeccompReturn(rawValue: value).named)\n"
                }
            }
            if let i = sections.firstIndex(where: { $0.body == out && out.hasSuffix(": any syscall\n") && !out.contains("by argument") }) {
                sections[i].arches.append(arch)
            } else {
                sections.append(([arch], out))
            }
        }
        return sections.map { $0.arches.joined(separator: ", ") + "\n" + $0.body }.joined()
    }
}
