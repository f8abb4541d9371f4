import CordonLinux

/// Writes random policies that use every construct of the language: nested
/// if/elseif/else, switch with fall-through and default, in/ni over lists
/// and set variables, masks, 64- and 32-bit comparisons at edge values
/// (0, 2^31, 2^32-1, 2^63, 2^64-1, -1), `$ip`, `$arch` in shared blocks,
/// several architectures, every action, and long syscall lists. Every
/// policy it writes must check without errors.
public struct PolicyGenerator {
    private var g: SplitMix
    /// The architectures blocks are written for.
    public static let arches: [Arch] = Arch.allCases

    public init(seed: UInt64) {
        g = SplitMix(seed: seed)
    }

    private mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &g) < percent }
    private mutating func pick<T>(_ items: [T]) -> T { items.randomElement(using: &g)! }

    static let edge64: [String] = ["0", "1", "2", "0x7fffffff", "0x80000000", "0xffffffff", "0x100000000", "0x100000001",
                                   "0x7fffffffffffffff", "0x8000000000000000", "0xffffffffffffffff", "-1", "-2", "4096"]
    static let edge32: [String] = ["0", "1", "2", "0x7fffffff", "0x80000000", "0xffffffff", "-1", "-2147483648", "4096", "AF_INET", "O_WRONLY"]
    static let masks: [String] = ["0xff", "1", "0x80000000", "0xffffffff", "0x100000000", "0xffffffff00000000", "O_ACCMODE",
                                  "PROT_EXEC", "(CLONE_NEWUSER | CLONE_NEWNET)", "0x8000000000000000"]
    static let actions: [String] = ["allow", "log", "kill_process", "kill_thread", "trap", "trap 7", "errno EPERM", "errno 1",
                                    "errno 4095", "trace", "trace 3", "notify", "errno ENOSYS", "errno EACCES", "kill"]

    /// The names of syscalls every architecture in `arches` has.
    private static func common(_ arches: [Arch]) -> [String] {
        var names = Set(SyscallTable.forArch(arches[0]).names)
        for arch in arches.dropFirst() { names.formIntersection(SyscallTable.forArch(arch).names) }
        return names.sorted()
    }

    private struct BlockContext {
        let arches: [Arch]
        let names: [String]
        /// Whether every architecture of the block has 64-bit arguments.
        let wide: Bool
        var lists: [String]
        var serial: Int
    }

    /// One policy's text.
    public mutating func policy() -> String {
        var out = ""
        var arches = Self.arches.filter { _ in chance(55) }
        if arches.isEmpty { arches = [pick(Self.arches)] }
        arches.shuffle(using: &g)
        var topLists: [String] = []
        let all = Self.common(arches)
        for i in 0..<Int.random(in: 0...2, using: &g) {
            let count = chance(20) ? Int.random(in: 50...300, using: &g) : Int.random(in: 1...6, using: &g)
            let names = (0..<count).map { _ in pick(all) }
            out += "set L\(i) {\(names.joined(separator: " "))}\n"
            topLists.append("$L\(i)")
        }
        if chance(40) { out += "set M0 {\(pick(Self.masks))}\n" }
        // Blocks: sometimes shared, in random groups.
        var remaining = arches
        var blockIndex = 0
        while !remaining.isEmpty {
            let size = chance(40) ? Int.random(in: 1...remaining.count, using: &g) : 1
            let group = Array(remaining.prefix(size))
            remaining.removeFirst(size)
            let names = Self.common(group)
            var context = BlockContext(arches: group, names: names, wide: group.allSatisfy { $0.argumentBits == 64 },
                                       lists: topLists, serial: blockIndex * 100)
            blockIndex += 1
            let header = group.count == 1 && chance(70) ? group[0].rawValue : "arch {\(group.map(\.rawValue).joined(separator: " "))}"
            out += "\(header) {\n\(body(&context, depth: 0, mustReturn: true))}\n"
        }
        if chance(50) { out += "badarch \(pick(Self.actions))\n" }
        return out
    }

    private mutating func body(_ c: inout BlockContext, depth: Int, mustReturn: Bool) -> String {
        let indent = String(repeating: "    ", count: depth + 1)
        var out = ""
        for _ in 0..<Int.random(in: 0...(depth > 2 ? 1 : 3), using: &g) {
            switch Int.random(in: 0..<10, using: &g) {
            case 0..<5: out += ifStatement(&c, depth: depth)
            case 5..<7: out += switchStatement(&c, depth: depth)
            case 7:
                c.serial += 1
                let name = "V\(c.serial)"
                if chance(50) {
                    out += "\(indent)set \(name) {\((0..<Int.random(in: 1...4, using: &g)).map { _ in pick(c.names) }.joined(separator: " "))}\n"
                    c.lists.append("$\(name)")
                } else {
                    out += "\(indent)set \(name) {\(pick(["1", "0xff", "O_RDWR | O_CREAT", "1 << 40", "-1", "7 / 2", "-7 % 3"]))}\n"
                }
            default:
                if chance(30) { out += "\(indent)return \(pick(Self.actions))\n"; return out }
            }
        }
        if mustReturn || chance(40) { out += "\(indent)return \(pick(Self.actions))\n" }
        return out
    }

    private mutating func ifStatement(_ c: inout BlockContext, depth: Int) -> String {
        let indent = String(repeating: "    ", count: depth + 1)
        var out = "\(indent)if {\(condition(&c, depth: 0))} {\n\(body(&c, depth: depth + 1, mustReturn: false))\(indent)}"
        for _ in 0..<(chance(30) ? Int.random(in: 1...2, using: &g) : 0) {
            out += " elseif {\(condition(&c, depth: 0))} {\n\(body(&c, depth: depth + 1, mustReturn: false))\(indent)}"
        }
        if chance(40) { out += " else {\n\(body(&c, depth: depth + 1, mustReturn: chance(50)))\(indent)}" }
        return out + "\n"
    }

    private mutating func switchStatement(_ c: inout BlockContext, depth: Int) -> String {
        let indent = String(repeating: "    ", count: depth + 1)
        let onNr = chance(60)
        let subject = onNr ? "$nr" : argumentField(&c)
        var out = "\(indent)switch -- \(subject) {\n"
        var used = Set<String>()
        for _ in 0..<Int.random(in: 1...4, using: &g) {
            let pattern = onNr ? (chance(85) ? pick(c.names) : String(Int.random(in: 0...500, using: &g)))
                               : pick(["0", "1", "2", "AF_INET", "AF_UNIX", "4096", "0xffffffff"])
            guard used.insert(pattern).inserted else { continue }
            if chance(25) {
                out += "\(indent)    \(pattern) -\n"
            } else {
                out += "\(indent)    \(pattern) {\n\(body(&c, depth: depth + 2, mustReturn: false))\(indent)    }\n"
            }
        }
        // A final body, so a trailing '-' always has one to fall into.
        let last = chance(40) ? "default" : (onNr ? pick(c.names) : "3")
        if used.insert(last).inserted || last == "default" {
            out += "\(indent)    \(last) {\n\(body(&c, depth: depth + 2, mustReturn: false))\(indent)    }\n"
        } else {
            out += "\(indent)    default {\n\(body(&c, depth: depth + 2, mustReturn: false))\(indent)    }\n"
        }
        return out + "\(indent)}\n"
    }

    private mutating func argumentField(_ c: inout BlockContext) -> String {
        let n = Int.random(in: 0...5, using: &g)
        return c.wide && chance(60) ? "$args(\(n))" : "$args32(\(n))"
    }

    private mutating func condition(_ c: inout BlockContext, depth: Int) -> String {
        if depth < 2 && chance(35) {
            let op = pick(["&&", "||"])
            let a = condition(&c, depth: depth + 1), b = condition(&c, depth: depth + 1)
            return chance(20) ? "!(\(a) \(op) \(b))" : "(\(a)) \(op) (\(b))"
        }
        switch Int.random(in: 0..<14, using: &g) {
        case 0: return "$nr \(pick(["eq", "ne"])) \(chance(50) ? "\"\(pick(c.names))\"" : pick(c.names))"
        case 1: return "$nr \(pick(["in", "ni"])) {\((0..<Int.random(in: 1...5, using: &g)).map { _ in pick(c.names) }.joined(separator: " "))}"
        case 2 where !c.lists.isEmpty: return "$nr \(pick(["in", "ni"])) \(pick(c.lists))"
        case 3: return "$nr \(pick(["==", "!=", "<", "<=", ">", ">="])) \(pick(["0", "1", "60", "300", "0x40000000", "-1", "0x40000040"]))"
        case 4: return "($nr & \(pick(["0xff", "1", "0x40000000"]))) == \(pick(["0", "1", "41", "0x40000000"]))"
        case 5:
            let field = argumentField(&c)
            let constants = field.hasPrefix("$args(") ? Self.edge64 : Self.edge32
            return "\(field) \(pick(["==", "!=", "<", "<=", ">", ">="])) \(pick(constants))"
        case 6:
            let field = argumentField(&c)
            let mask = field.hasPrefix("$args(") ? pick(Self.masks) : pick(["0xff", "1", "0x80000000", "O_ACCMODE", "PROT_EXEC"])
            return chance(50) ? "(\(field) & \(mask)) \(pick(["==", "!="])) \(pick(["0", "1", "2"]))" : "\(field) & \(mask)"
        case 7:
            let field = argumentField(&c)
            return "\(field) \(pick(["in", "ni"])) {\(pick(["1 2 3", "AF_INET AF_UNIX", "0 4096", "-1 0"]))}"
        case 8: return "$ip \(pick([">=", "<", "=="])) \(pick(["0x400000", "0x7f0000000000", "0", "0xffffffffffffffff"]))"
        case 9: return "$arch \(pick(["eq", "ne"])) \"\(pick(c.arches).rawValue)\""
        case 10 where c.wide:
            return "$args(\(Int.random(in: 0...5, using: &g))) \(pick(["==", ">"])) (\(pick(["1 << 40", "-7 / 2", "0x100000000 + 5", "~0 ^ 0xff"])))"
        case 11, 12:
            // A parameter by its kernel name, where the left of && fixes the syscall.
            let usable = Self.named.filter { syscall, parameter in
                c.arches.allSatisfy { arch in
                    SyscallParameters.parameter(parameter, of: syscall, arch: arch).map { !$0.isSplit } ?? false
                }
            }
            guard let (syscall, parameter) = usable.randomElement(using: &g) else { return "$nr eq \(pick(c.names))" }
            let wide = c.arches.allSatisfy { SyscallParameters.parameter(parameter, of: syscall, arch: $0)?.width == 8 }
            let test = chance(30)
                ? "($args(\(parameter)) & \(pick(wide ? Self.masks : ["0xff", "1", "0x80000000", "O_ACCMODE", "PROT_EXEC"]))) != 0"
                : "$args(\(parameter)) \(pick(["==", "!=", "<", ">="])) \(pick(wide ? Self.edge64 : Self.edge32))"
            return "$nr eq \(syscall) && \(test)"
        default:
            return "!(\(argumentField(&c)) == \(pick(Self.edge32)))"
        }
    }

    /// Parameters the generator names: ints, a umode_t, longs, on syscalls
    /// whose argument order differs between architectures (clone).
    static let named: [(String, String)] = [
        ("socket", "family"), ("socket", "type"), ("openat", "flags"), ("openat", "mode"), ("clone", "clone_flags"),
        ("clone", "newsp"), ("mprotect", "prot"), ("personality", "personality"), ("fchmod", "mode"), ("read", "count"),
        ("ioctl", "cmd"), ("prctl", "option"), ("kill", "sig"), ("pread64", "pos"), ("mmap", "prot"), ("setuid", "uid"),
    ]
}

/// SplitMix64: a small, seeded, reproducible generator.
public struct SplitMix: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
