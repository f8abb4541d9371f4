import CordonLinux
import CordonPolicy

/// Turns JSON into a `Profile` the way Go's encoding/json fills moby's
/// types: for each key in order, the field with that exact name or else a
/// case-insensitive match (so the last of duplicate keys wins, and
/// `DefaultAction` sets `defaultAction`); unknown keys are ignored; `null`
/// leaves a field unset. Values are then checked as Docker, runc and
/// libseccomp check them, each error at its line and column.
enum ProfileDecoding {
    static func decode(_ bytes: [UInt8]) throws(ImportError) -> Profile {
        let root: JSONNode
        do { root = try JSONReader.parse(bytes) } catch {
            throw ImportError("not valid JSON: \(error.message)", at: (error.line, error.column))
        }
        var profile = Profile()
        for (key, value) in try members(root, "the profile") {
            switch field(key, ["defaultAction", "defaultErrnoRet", "architectures", "archMap", "syscalls"]) {
            case "defaultAction": profile.defaultAction = try string(value, "defaultAction") ?? profile.defaultAction
            case "defaultErrnoRet": profile.defaultErrnoRet = try errnoValue(value, "defaultErrnoRet")
            case "architectures": profile.architectures = try seccompArches(value, "architectures")
            case "archMap": profile.archMap = try each(array(value, "archMap"), archMapEntry)
            case "syscalls": profile.syscalls = try each(array(value, "syscalls"), rule)
            default: break
            }
        }
        guard !profile.defaultAction.isEmpty else { throw ImportError("the profile has no \"defaultAction\"", at: (root.line, root.column)) }
        _ = try ProfileSemantics.action(profile.defaultAction, errno: profile.defaultErrnoRet, at: (root.line, root.column))
        return profile
    }

    // MARK: moby's types

    private static func archMapEntry(_ node: JSONNode) throws(ImportError) -> Profile.ArchMapEntry {
        var entry = Profile.ArchMapEntry()
        for (key, value) in try members(node, "an archMap entry") {
            switch field(key, ["architecture", "subArchitectures"]) {
            case "architecture":
                if let name = try string(value, "architecture") { entry.architecture = try seccompArch(name, value) }
            case "subArchitectures": entry.subArchitectures = try seccompArches(value, "subArchitectures")
            default: break
            }
        }
        return entry
    }

    private static func rule(_ node: JSONNode) throws(ImportError) -> Profile.Rule {
        var rule = Profile.Rule()
        rule.place = (node.line, node.column)
        for (key, value) in try members(node, "a syscalls rule") {
            switch field(key, ["names", "name", "action", "errnoRet", "args", "comment", "includes", "excludes"]) {
            case "names": rule.names = try strings(value, "names")
            case "name": rule.name = try string(value, "name") ?? rule.name
            case "action": rule.action = try string(value, "action") ?? rule.action
            case "errnoRet": rule.errnoRet = try errnoValue(value, "errnoRet")
            case "args": rule.args = try each(array(value, "args"), argument)
            case "comment": rule.comment = try string(value, "comment") ?? rule.comment
            case "includes": rule.includes = try filter(value, "includes")
            case "excludes": rule.excludes = try filter(value, "excludes")
            default: break
            }
        }
        guard !rule.action.isEmpty else { throw ImportError("the rule has no \"action\"", at: rule.place) }
        _ = try ProfileSemantics.action(rule.action, errno: rule.errnoRet, at: rule.place)
        for name in rule.allNames where !SyscallNames.isPlausible(name) {
            throw ImportError("\(PolicyText.quoted(name)) is not a syscall name of any architecture"
                              + (SyscallNames.closest(to: name).map { " (did you mean \($0)?)" } ?? ""), at: rule.place)
        }
        return rule
    }

    private static func argument(_ node: JSONNode) throws(ImportError) -> Profile.Argument {
        var argument = Profile.Argument()
        argument.place = (node.line, node.column)
        for (key, value) in try members(node, "an argument condition") {
            switch field(key, ["index", "value", "valueTwo", "op"]) {
            case "index": argument.index = try unsigned(value, "index") ?? argument.index
            case "value": argument.value = try unsigned(value, "value") ?? argument.value
            case "valueTwo": argument.valueTwo = try unsigned(value, "valueTwo") ?? argument.valueTwo
            case "op": argument.op = try string(value, "op") ?? argument.op
            default: break
            }
        }
        guard argument.index <= 5 else { throw ImportError("argument index \(argument.index) is not 0..5", at: argument.place) }
        guard ProfileSemantics.comparisons.contains(argument.op) else {
            throw ImportError("unknown comparison \(PolicyText.quoted(argument.op))"
                              + (Suggest.closest(to: argument.op, in: ProfileSemantics.comparisons).map { " (did you mean \($0)?)" } ?? ""), at: argument.place)
        }
        return argument
    }

    private static func filter(_ node: JSONNode, _ name: String) throws(ImportError) -> Profile.Filter? {
        if case .null = node.value { return nil }
        var filter = Profile.Filter()
        for (key, value) in try members(node, "\"\(name)\"") {
            switch field(key, ["arches", "caps", "minKernel"]) {
            case "arches":
                filter.arches = try strings(value, "arches")
                for arch in filter.arches ?? [] where !DockerNames.arches.contains(arch) {
                    throw ImportError("unknown architecture \(PolicyText.quoted(arch))" + suggestion(arch, DockerNames.arches), at: (value.line, value.column))
                }
            case "caps":
                filter.caps = try strings(value, "caps")
                for cap in filter.caps ?? [] where !Capabilities.names.contains(cap) {
                    throw ImportError("unknown capability \(PolicyText.quoted(cap))" + suggestion(cap, Capabilities.names), at: (value.line, value.column))
                }
            case "minKernel":
                filter.minKernel = try string(value, "minKernel")
                if let text = filter.minKernel, DockerNames.kernelVersion(text) == nil {
                    throw ImportError("minKernel \(PolicyText.quoted(text)) is not a kernel version such as 5.10", at: (value.line, value.column))
                }
            default: break
            }
        }
        return filter
    }

    // MARK: Go's decoding of one value

    /// The field a JSON key sets: the exact name, else a case-insensitive match.
    static func field(_ key: String, _ fields: [String]) -> String? {
        if fields.contains(key) { return key }
        let folded = fold(key)
        return fields.first { fold($0) == folded }
    }

    /// Go's case folding for field names: ASCII letters, plus the Kelvin
    /// sign and the long s, which fold to k and s.
    static func fold(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar -> Unicode.Scalar in
            switch scalar {
            case "\u{212A}": "k"
            case "\u{017F}": "s"
            case "A"..."Z": Unicode.Scalar(scalar.value + 32)!
            default: scalar
            }
        }))
    }

    private static func members(_ node: JSONNode, _ what: String) throws(ImportError) -> [(key: String, value: JSONNode)] {
        guard case .object(let members) = node.value else { throw mismatch(node, what, "an object") }
        return members
    }

    private static func array(_ node: JSONNode, _ what: String) throws(ImportError) -> [JSONNode]? {
        switch node.value {
        case .null: return nil
        case .array(let items): return items
        default: throw mismatch(node, "\"\(what)\"", "an array")
        }
    }

    private static func string(_ node: JSONNode, _ what: String) throws(ImportError) -> String? {
        switch node.value {
        case .null: return nil
        case .string(let text): return text
        default: throw mismatch(node, "\"\(what)\"", "a string")
        }
    }

    private static func strings(_ node: JSONNode, _ what: String) throws(ImportError) -> [String]? {
        try each(array(node, what)) { item throws(ImportError) in try string(item, what) ?? "" }
    }

    private static func seccompArches(_ node: JSONNode, _ what: String) throws(ImportError) -> [String]? {
        try each(array(node, what)) { item throws(ImportError) in try seccompArch(string(item, what) ?? "", item) }
    }

    /// `transform` applied to each item (nil stays nil).
    private static func each<T>(_ items: [JSONNode]?, _ transform: (JSONNode) throws(ImportError) -> T) throws(ImportError) -> [T]? {
        guard let items else { return nil }
        var result: [T] = []
        result.reserveCapacity(items.count)
        for item in items { result.append(try transform(item)) }
        return result
    }

    /// A Go `uint`/`uint64`: a JSON integer from 0 to 2^64-1, nothing else.
    private static func unsigned(_ node: JSONNode, _ what: String) throws(ImportError) -> UInt64? {
        switch node.value {
        case .null: return nil
        case .number(let text):
            guard let value = UInt64(text) else {
                throw ImportError("\"\(what)\" is \(text): it must be an integer from 0 to 18446744073709551615", at: (node.line, node.column))
            }
            return value
        default: throw mismatch(node, "\"\(what)\"", "a number")
        }
    }

    /// An errno for SCMP_ACT_ERRNO or SCMP_ACT_TRACE: libseccomp refuses
    /// 4095 and above, so runc could not start the container.
    private static func errnoValue(_ node: JSONNode, _ what: String) throws(ImportError) -> UInt64? {
        guard let value = try unsigned(node, what) else { return nil }
        guard value < 4095 else {
            throw ImportError("\"\(what)\" is \(value): libseccomp refuses an errno of 4095 or more, so runc could not load this profile",
                              at: (node.line, node.column))
        }
        return value
    }

    private static func seccompArch(_ name: String, _ node: JSONNode) throws(ImportError) -> String {
        guard DockerNames.seccompArches.contains(name) else {
            throw ImportError("unknown architecture \(PolicyText.quoted(name))" + suggestion(name, DockerNames.seccompArches), at: (node.line, node.column))
        }
        return name
    }

    private static func mismatch(_ node: JSONNode, _ what: String, _ wanted: String) -> ImportError {
        ImportError("\(what) must be \(wanted), not a JSON \(node.kind)", at: (node.line, node.column))
    }

    private static func suggestion(_ name: String, _ candidates: [String]) -> String {
        Suggest.closest(to: String(name.prefix(64)), in: candidates).map { " (did you mean \($0)?)" } ?? ""
    }

}

/// The names Docker's profiles use for architectures and kernels.
enum DockerNames {
    /// libseccomp's architecture names, as `architectures` and `archMap` use them.
    static let seccompArches = [
        "SCMP_ARCH_NATIVE", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
        "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
        "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
        "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    ]

    /// The architecture names of `includes.arches`/`excludes.arches` (Go's
    /// GOARCH values and the names moby's profile uses).
    static let arches = [
        "amd64", "386", "x86", "x32", "arm", "arm64", "ppc", "ppc64", "ppc64le", "s390", "s390x", "riscv64",
        "mips", "mipsle", "mips64", "mips64le", "mips64n32", "mips64len32", "loong64", "loongarch64",
    ]

    /// `X.Y` (further parts allowed) as numbers, or nil.
    static func kernelVersion(_ text: String) -> [Int]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count >= 2, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        return parts.map { $0! }
    }
}

/// Whether a word can be a syscall name at all.
enum SyscallNames {
    /// Every syscall name cordon knows, on any architecture.
    static let known: Set<String> = Set(Arch.allCases.flatMap { SyscallTable.forArch($0).names })

    /// A name cordon knows, or one that looks like a syscall name of an
    /// architecture it does not know (lower-case letters, digits, `_`).
    static func isPlausible(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    static func closest(to name: String) -> String? {
        Suggest.closest(to: String(name.prefix(64)), in: known)
    }
}
