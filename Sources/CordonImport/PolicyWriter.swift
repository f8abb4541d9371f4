import CordonLinux
import CordonPolicy

/// Writes a resolved profile as a readable cordon policy: one block per
/// architecture of the filter, one `if` per rule in profile order, the
/// default action last. Names an architecture lacks are left out there, with
/// a note; so are the rules not in force, with the reason. Every string of
/// the profile reaches the policy through `PolicyText` only.
public enum PolicyWriter {
    public static func write(_ resolved: ResolvedProfile, source: String, notice: [String] = []) throws(ImportError) -> String {
        let profile = resolved.profile
        var out = notice.map { $0.isEmpty ? "#\n" : "# \(PolicyText.comment($0))\n" }.joined()
        if !notice.isEmpty { out += "\n" }
        let caps = resolved.options.capabilities.sorted()
        let kernel = resolved.options.kernel.map { $0.map(String.init).joined(separator: ".") }
        out += "# Converted by cordon import from \(PolicyText.comment(source)), a Docker/OCI seccomp profile,\n"
        out += "# read as Docker and runc read it: host \(resolved.options.host), "
        out += "capabilities \(caps.isEmpty ? "none" : caps.joined(separator: " ")), "
        out += kernel.map { "kernel \($0)" } ?? "every minKernel taken as met"
        if resolved.options.harden {
            out += ".\n# Hardened (--harden): int-sized parameters are compared by name, at the width\n"
            out += "# the kernel reads (runc compares all 64 bits, which a caller can pass high bits\n# past)"
        }
        out += ".\n# The filter covers \(resolved.arches.map { $0.rawValue }.joined(separator: ", "))"
        if !resolved.unsupportedArches.isEmpty {
            out += "; cordon cannot filter for \(PolicyText.comment(resolved.unsupportedArches.joined(separator: ", "))), so they are left out"
        }
        out += ".\n"
        let defaultAction = try ProfileSemantics.action(profile.defaultAction, errno: profile.defaultErrnoRet)
        out += "# The default action is \(PolicyText.comment(profile.defaultAction)) (\(text(defaultAction))).\n"
        if !resolved.skipped.isEmpty {
            out += "#\n# Rules not in force here:\n"
            for (number, reason) in resolved.skipped {
                let names = profile.syscalls![number - 1].allNames
                out += "#   rule \(number) (\(PolicyText.comment(names.prefix(4).joined(separator: " ")))\(names.count > 4 ? " ..." : "")): \(PolicyText.comment(reason))\n"
            }
        }
        for arch in resolved.arches {
            out += "\n\(arch.rawValue) {\n"
            let table = SyscallTable.forArch(arch)
            // The import compares what libseccomp compares.
            let width = ProfileSemantics.comparedBits(arch)
            for (number, rule) in resolved.rules {
                let names = rule.allNames
                var present: [String] = [], missing: [String] = []
                for name in names where !present.contains(name) && !missing.contains(name) {
                    if table.number(of: name) != nil, let word = PolicyText.bareWord(name) { present.append(word) } else { missing.append(name) }
                }
                let action = try ProfileSemantics.action(rule.action, errno: rule.errnoRet)
                let fields = Fields(arch: arch, syscalls: present, harden: resolved.options.harden)
                let conditions = try arguments(rule.args ?? [], width, fields)
                out += "    # Rule \(number): \(PolicyText.comment(rule.action))" + (present.count == 1 ? " for \(present[0])" : ", \(present.count) syscalls")
                out += conditions.map { " when \($0)" } ?? ""
                out += ".\n"
                if let comment = rule.comment, !comment.isEmpty { out += "    # \(PolicyText.comment(comment))\n" }
                if !missing.isEmpty { out += wrap(PolicyText.comment("Not on \(arch.rawValue): \(missing.joined(separator: " "))."), prefix: "    # ") }
                if let cut = cutValues(rule.args ?? [], width), !cut.isEmpty {
                    out += "    # On \(arch.rawValue) arguments are 32 bits: libseccomp compares only the low word of \(cut).\n"
                }
                guard !present.isEmpty else { continue }
                var test = present.count == 1 ? "$nr eq \"\(present[0])\"" : "$nr in {\n\(wrap(present.joined(separator: " "), prefix: "        "))    }"
                if let conditions { test += " && \(conditions)" }
                out += "    if {\(test)} {\n        return \(text(action))\n    }\n"
            }
            out += "    return \(text(defaultAction))\n}\n"
        }
        return out
    }

    /// How a rule's argument conditions are written for one block: `$args(N)`
    /// as runc compares them, `$args32(N)` on x32 (libseccomp compares 32
    /// bits there), and with `--harden` `$args(NAME)` for a parameter the
    /// kernel reads narrower than its register, when every syscall of the
    /// rule declares it alike.
    struct Fields {
        let arch: Arch
        let syscalls: [String]
        let harden: Bool

        /// The field for argument `index` and the mask values are cut to.
        func field(_ index: Int, width: UInt64) -> (text: String, width: UInt64) {
            if harden, arch.argumentBits == 64, !syscalls.isEmpty {
                let declared = syscalls.map { SyscallParameters.of($0, arch: arch)?.first { $0.slot == index } }
                if let first = declared.first ?? nil, first.isNarrowerThanItsSlot,
                   declared.allSatisfy({ $0?.name == first.name && $0?.width == first.width }) {
                    return ("$args(\(first.name))", first.width == 2 ? 0xFFFF : 0xFFFF_FFFF)
                }
            }
            return (arch == .x32 ? "$args32(\(index))" : "$args(\(index))", width)
        }
    }

    /// The conditions of a rule as a cordon expression, or nil for none.
    static func arguments(_ conditions: [Profile.Argument], _ width: UInt64, _ fields: Fields) throws(ImportError) -> String? {
        guard !conditions.isEmpty else { return nil }
        var parts: [String] = []
        for c in conditions {
            guard c.index <= 5 else { throw ImportError("argument index \(c.index) is not 0..5", at: c.place) }
            let (field, width) = fields.field(Int(c.index), width: width)
            let v = number(c.value & width)
            switch c.op {
            case "SCMP_CMP_NE": parts.append("\(field) != \(v)")
            case "SCMP_CMP_LT": parts.append("\(field) < \(v)")
            case "SCMP_CMP_LE": parts.append("\(field) <= \(v)")
            case "SCMP_CMP_EQ": parts.append("\(field) == \(v)")
            case "SCMP_CMP_GE": parts.append("\(field) >= \(v)")
            case "SCMP_CMP_GT": parts.append("\(field) > \(v)")
            case "SCMP_CMP_MASKED_EQ": parts.append("(\(field) & \(number(c.value & width))) == \(number((c.valueTwo ?? 0) & width))")
            default: throw ImportError("unknown comparison \(PolicyText.quoted(c.op))", at: c.place)
            }
        }
        let indexes = conditions.map(\.index)
        // runc: a repeated index makes each condition a rule of its own.
        if Set(indexes).count < indexes.count { return "(" + parts.joined(separator: " || ") + ")" }
        return parts.count == 1 ? parts[0] : parts.joined(separator: " && ")
    }

    /// The data words libseccomp cuts on a 32-bit ABI, for a note.
    private static func cutValues(_ conditions: [Profile.Argument], _ width: UInt64) -> String? {
        guard width != .max else { return nil }
        let cut = conditions.filter { $0.value > width || ($0.valueTwo ?? 0) > width }.map { "args(\($0.index))" }
        return cut.isEmpty ? nil : cut.joined(separator: ", ")
    }

    /// Decimal up to a million, hex above.
    static func number(_ value: UInt64) -> String {
        value < 1_000_000 ? String(value) : "0x" + String(value, radix: 16)
    }

    /// An action as the language writes it, errno numbers by name.
    static func text(_ action: SeccompReturn) -> String {
        if case .errno(let n) = action, let name = ConstantTable.errnoName(of: Int64(n)) { return "errno \(name)" }
        return action.description
    }

    /// Words wrapped at 78 columns, each line prefixed.
    static func wrap(_ words: String, prefix: String) -> String {
        var lines: [String] = [], line = ""
        for word in words.split(separator: " ") {
            if !line.isEmpty && prefix.count + line.count + 1 + word.count > 78 {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { prefix + $0 + "\n" }.joined()
    }
}
