import CordonLinux
import CordonPolicy

/// Writes what `cordon learn` saw as a draft policy that allows exactly that:
/// one block per architecture the command used, its syscalls grouped by
/// purpose with a comment giving each one's count and programs, argument
/// rules by parameter name where arguments matter (`ArgumentRule`), a
/// refusing default, `badarch kill_process`, and an `expect` line for each
/// distinct call so that `cordon test` replays the run. The same calls give
/// the same text. Every word that came from the run (program names, the
/// command) reaches the policy through `PolicyText` only.
public enum LearnedPolicyWriter {
    /// Syscalls an `expect` line shows the default refusing, the first one
    /// the run did not use.
    static let refusedExamples = ["ptrace", "kexec_load", "init_module", "reboot", "mount", "swapon"]

    /// The draft for `calls`, made by `command`, refusing what was not seen with `defaultAction`.
    public static func write(_ calls: LearnedCalls, command: [String], defaultAction: SeccompReturn) -> String {
        var out = header(calls, command: command)
        out += "\nbadarch kill_process\n"
        var expects: [String] = []
        for arch in Arch.allCases {
            guard let seen = calls.syscalls[arch], !seen.isEmpty else { continue }
            let (block, blockExpects) = self.block(arch, seen, defaultAction: defaultAction)
            out += "\n" + block
            expects += blockExpects
        }
        if !expects.isEmpty { out += "\n" + expects.joined(separator: "\n") + "\n" }
        return out
    }

    /// The rules for the calls `seen` on `arch`, to be placed before a block's
    /// other rules (`cordon learn --update`), and their expect lines.
    public static func rules(_ arch: Arch, _ seen: [UInt32: LearnedCalls.Syscall]) -> (rules: String, expects: [String]) {
        let table = SyscallTable.forArch(arch)
        var byPurpose: [SyscallPurpose: [(name: String, syscall: LearnedCalls.Syscall)]] = [:]
        var unnamed: [(nr: UInt32, syscall: LearnedCalls.Syscall)] = []
        for (nr, syscall) in seen {
            if let name = table.name(of: nr), let word = PolicyText.bareWord(name) {
                byPurpose[SyscallPurpose.of(name), default: []].append((word, syscall))
            } else {
                unnamed.append((nr, syscall))
            }
        }
        var out = "", expects: [String] = []
        let writesWithCreat = table.number(of: "creat").map { seen[$0] != nil } ?? false
        for purpose in byPurpose.keys.sorted() {
            let entries = byPurpose[purpose]!.sorted { $0.name < $1.name }
            out += "    # \(purpose.rawValue)\n"
            let width = entries.map(\.name.count).max()!
            for entry in entries {
                out += "    #   \(entry.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(String(entry.syscall.count).leftPadded(6))  \(programs(entry.syscall))\n"
            }
            let plain = entries.filter { ArgumentRule.of($0.name, arch: arch) == nil }
            if !plain.isEmpty {
                out += plain.count == 1 ? "    if {$nr eq \(plain[0].name)} {\n"
                    : "    if {$nr in {\n\(PolicyWriter.wrap(plain.map(\.name).joined(separator: " "), prefix: "        "))    }} {\n"
                out += "        return allow\n    }\n"
                expects += plain.map { "expect \(arch.rawValue) \($0.name) allow" }
            }
            for entry in entries {
                guard let rule = ArgumentRule.of(entry.name, arch: arch) else { continue }
                if writesWithCreat, entry.name == "open" || entry.name == "openat" {
                    // creat writes whatever open's flags say: a flags rule would
                    // only look like a limit (and the checker says so).
                    out += "    # \(entry.name): any flags, since the run wrote files with creat.\n"
                    out += "    if {$nr eq \(entry.name)} {\n        return allow\n    }\n"
                    expects.append("expect \(arch.rawValue) \(entry.name) allow")
                    continue
                }
                let (text, ruleExpects) = argumentRule(entry.name, rule, entry.syscall, arch: arch)
                out += text
                expects += ruleExpects
            }
        }
        for entry in unnamed.sorted(by: { $0.nr < $1.nr }) {
            out += "    # syscall \(entry.nr): not in cordon's \(arch.rawValue) table; \(entry.syscall.count) calls  \(programs(entry.syscall))\n"
            out += "    if {$nr == \(entry.nr)} {\n        return allow\n    }\n"
            expects.append("expect \(arch.rawValue) \(entry.nr) allow")
        }
        return (out, expects)
    }

    private static func block(_ arch: Arch, _ seen: [UInt32: LearnedCalls.Syscall], defaultAction: SeccompReturn) -> (String, [String]) {
        let (rules, expects) = rules(arch, seen)
        var out = "\(arch.rawValue) {\n" + rules
        out += "    # Anything else\n    return \(PolicyWriter.text(defaultAction))\n}\n"
        var allExpects = expects
        let table = SyscallTable.forArch(arch)
        if let refused = refusedExamples.first(where: { name in table.number(of: name).map { seen[$0] == nil } ?? false }) {
            allExpects.append("expect \(arch.rawValue) \(refused) \(braced(PolicyWriter.text(defaultAction)))")
        }
        return (out, allExpects)
    }

    /// `if {$nr eq NAME && (... || ...)} { return allow }` for each distinct
    /// tuple of the rule's values that was seen, with a comment line each.
    private static func argumentRule(_ name: String, _ rule: ArgumentRule, _ syscall: LearnedCalls.Syscall, arch: Arch) -> (String, [String]) {
        let variants = syscall.variants.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        var out = "    # \(name): " + rule.parameters.indices.map { i in
            rule.maskTexts[i].map { "\(rule.parameters[i].name) & (\($0))" } ?? rule.parameters[i].name
        }.joined(separator: ", ") + ", as seen:\n"
        var alternatives: [String] = []
        var expects: [String] = []
        for (key, variant) in variants {
            var described: [String] = [], tests: [String] = []
            for (i, p) in rule.parameters.enumerated() {
                let value = CallText.valueExpression(key[i], of: p, syscall: name, arch: arch)
                described.append("\(p.name)=\(value)")
                let field = rule.maskTexts[i].map { "($args(\(p.name)) & (\($0)))" } ?? "$args(\(p.name))"
                tests.append("\(field) == \(value.contains("|") ? "(\(value))" : value)")
            }
            out += "    #   \(described.joined(separator: " "))  \(variant.count) call\(variant.count == 1 ? "" : "s")\n"
            alternatives.append(tests.count == 1 ? tests[0] : "(" + tests.joined(separator: " && ") + ")")
            expects.append("expect \(arch.rawValue) \(expectCall(name, rule, key, arch: arch)) allow")
        }
        out += "    if {$nr eq \(name) && (\n"
        out += alternatives.map { "            \($0)" }.joined(separator: " ||\n")
        out += ")} {\n        return allow\n    }\n"
        return (out, expects)
    }

    /// `{NAME a0 a1 ...}`: the rule's values in their slots, 0 elsewhere;
    /// a value that is one constant is written by name.
    private static func expectCall(_ name: String, _ rule: ArgumentRule, _ key: [UInt64], arch: Arch) -> String {
        let last = rule.parameters.map(\.slot).max() ?? 0
        var words = [String](repeating: "0", count: last + 1)
        for (i, p) in rule.parameters.enumerated() {
            let value = CallText.valueExpression(key[i], of: p, syscall: name, arch: arch)
            words[p.slot] = value.contains("|") || value.hasPrefix("0x") ? "0x" + String(key[i], radix: 16) : value
        }
        return "{\(name) \(words.joined(separator: " "))}"
    }

    private static func header(_ calls: LearnedCalls, command: [String]) -> String {
        let syscalls = calls.syscalls.values.reduce(0) { $0 + $1.count }
        let programs = Set(calls.syscalls.values.flatMap { $0.values.flatMap(\.programs) }).sorted()
        var out = "# A draft policy that cordon learn wrote from one run of:\n"
        out += PolicyWriter.wrap(PolicyText.comment(command.map(quotedWord).joined(separator: " ")), prefix: "#   ")
        out += PolicyWriter.wrap(PolicyText.comment("It allows exactly the \(syscalls) syscalls that run made (\(calls.total) calls, by \(programs.joined(separator: ", "))), with the arguments seen for socket, clone, ioctl, prctl, personality, mmap, mprotect and open. A run shows what a program did once, not all it may need: review this, then run the command under it with `cordon run POLICY --report -- COMMAND` to see what it refuses. Learning enforced nothing: every call was let through while cordon watched."), prefix: "# ")
        for (auditArch, count) in calls.unknownArches.sorted(by: { $0.key < $1.key }) {
            out += "# \(count) calls came from an architecture cordon does not know (AUDIT_ARCH 0x\(String(auditArch, radix: 16))); badarch refuses them.\n"
        }
        return out
    }

    /// The programs that made a syscall, for a comment.
    private static func programs(_ syscall: LearnedCalls.Syscall) -> String {
        let names = syscall.programs.sorted()
        let shown = names.prefix(4).joined(separator: " ") + (names.count > 4 ? " and \(names.count - 4) more" : "")
        return PolicyText.comment(shown)
    }

    /// A command word as a shell would take it back: bare, in single quotes,
    /// or (holding a single quote) in double quotes.
    private static func quotedWord(_ word: String) -> String {
        guard word.isEmpty || word.contains(where: { " \t'\"\\$`!*?[]{}();&|<>~#".contains($0) }) else { return word }
        if !word.contains("'") { return "'" + word + "'" }
        return "\"" + word.replacingOccurrences("\\", "\\\\").replacingOccurrences("\"", "\\\"").replacingOccurrences("$", "\\$").replacingOccurrences("`", "\\`") + "\""
    }

    private static func braced(_ action: String) -> String { action.contains(" ") ? "{\(action)}" : action }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }

    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
