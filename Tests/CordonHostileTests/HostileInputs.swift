import CordonBPF
import CordonTestSupport
import Foundation

/// Seeded generators of hostile inputs for every surface cordon reads:
/// token soups and payloads an attacker or a careless tool would write.
/// Deterministic: a failure names its seed and case number.
enum HostileInputs {
    /// Words that mean something to some part of cordon, and some that
    /// mean trouble to a terminal, a C compiler or a Tcl reader.
    static let policyWords = [
        "x86_64", "i386", "x32", "aarch64", "arm", "riscv64", "arch", "{x86_64 i386}", "set", "source", "badarch", "expect",
        "if", "elseif", "else", "then", "switch", "--", "default", "-", "return", "allow", "log", "kill", "kill_process",
        "kill_thread", "trap", "errno", "trace", "notify", "EPERM", "ENOTSUP", "EACCES", "4095", "4096", "65536",
        "$nr", "$arch", "$ip", "$args(0)", "$args(5)", "$args(6)", "$args32(1)", "$args(family)", "$X", "$NET",
        "==", "!=", "<", "<=", ">", ">=", "&&", "||", "!", "~", "&", "|", "^", "<<", ">>", "+", "-", "*", "/", "%",
        "in", "ni", "eq", "ne", "(", ")", "{", "}", "[", "]", "\"", "\\", ";", "#", "\n", "\t", "\r\n",
        "read", "\"socket\"", "socketcall", "openat", "execve", "0", "1", "-1", "0x7fffffff", "0xffffffffffffffff",
        "-9223372036854775808", "99999999999999999999999", "0o777", "0b101", "08", "AF_INET", "AF_UNIX", "O_WRONLY",
        "PROT_EXEC", "CLONE_NEWUSER", "AF_INETT", "\u{1B}[31m", "\u{7}", "*/", "/*", "\u{2028}", "é", "😀",
        "proc", "puts", "eval", "[exec ls]", "{*}", "$", "${x}", "\\\n",
    ]

    /// A random policy: sometimes a well-formed skeleton with hostile
    /// pieces, sometimes pure token soup.
    static func policy(_ g: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<4, using: &g) {
        case 0:
            return (0..<Int.random(in: 1...60, using: &g)).map { _ in policyWords.randomElement(using: &g)! }.joined(separator: " ")
        case 1:
            let depth = Int.random(in: 1...300, using: &g)
            return "x86_64 {\n" + String(repeating: "if {$args(0) == 1} {\n", count: depth) + "return allow\n"
                + String(repeating: "}\n", count: Int.random(in: max(0, depth - 2)...depth + 2, using: &g)) + "return errno 1\n}\n"
        default:
            var body = ""
            for _ in 0..<Int.random(in: 1...8, using: &g) {
                let words = (0..<Int.random(in: 1...6, using: &g)).map { _ in policyWords.randomElement(using: &g)! }.joined(separator: " ")
                switch Int.random(in: 0..<4, using: &g) {
                case 0: body += "    if {\(words)} { return \(["allow", "errno EPERM", "kill", words].randomElement(using: &g)!) }\n"
                case 1: body += "    switch \(["$nr", "$args(0)", words].randomElement(using: &g)!) { \(words) { return allow } default { return log } }\n"
                case 2: body += "    set V\(Int.random(in: 0..<3, using: &g)) {\(words)}\n"
                default: body += "    \(words)\n"
                }
            }
            let arch = ["x86_64", "i386", "x32", "arch {x86_64 x32}", "aarch64", "sparc"].randomElement(using: &g)!
            let tail = ["", "expect x86_64 {read} allow\n", "badarch allow\n", "source inc.tcl\n", "set NET {socket connect}\n"]
            return tail.randomElement(using: &g)! + "\(arch) {\n\(body)    return allow\n}\n"
        }
    }

    /// A `source` tree: file name -> text, with cycles, diamonds, repeats,
    /// missing files and hostile names.
    static func sourceTree(_ g: inout SeededGenerator) -> [String: String] {
        let count = Int.random(in: 1...12, using: &g)
        var files: [String: String] = [:]
        let names = (0..<count).map { "f\($0).tcl" } + ["missing.tcl", "../up.tcl", "/etc/passwd", "dir/", "a b.tcl", "\u{1B}.tcl"]
        for i in 0..<count {
            var text = ""
            for _ in 0..<Int.random(in: 0...4, using: &g) { text += "source \(names.randomElement(using: &g)!)\n" }
            if Int.random(in: 0..<3, using: &g) == 0 { text += "set S\(i) \(i)\n" }
            if Int.random(in: 0..<5, using: &g) == 0 { text += policy(&g) }
            files["f\(i).tcl"] = text
        }
        return files
    }

    static let mnemonics = ["ld_abs", "ld_imm", "ld_len", "ld_mem", "ldx_imm", "ldx_mem", "ldx_len", "st", "stx", "jmp", "jeq_k", "jgt_k",
                            "jge_k", "jset_k", "jeq_x", "add_k", "sub_x", "and_k", "or_k", "xor_k", "lsh_k", "rsh_x", "mul_k", "div_k",
                            "div_x", "neg", "tax", "txa", "ret_k", "ret_a", "ret_x", "mod_k", "ld_ind", "nop", "#", ""]

    /// Assembler text, gosecco or listing form, with hostile fields: half
    /// the time a real program's text with a few characters changed.
    static func asmText(_ g: inout SeededGenerator) -> String {
        if Bool.random(using: &g), let instructions = try? RawCodec.decode(rawProgram(&g)) {
            var text = Array(Bool.random(using: &g) ? Listing.print(instructions) : ((try? GoseccoText.print(instructions)) ?? ""))
            for _ in 0..<Int.random(in: 0...2, using: &g) where !text.isEmpty {
                text[Int.random(in: 0..<text.count, using: &g)] = ["\t", " ", "0", "F", "x", "\n", "#", "\u{1B}"].randomElement(using: &g)!
            }
            return String(text)
        }
        let fieldWords = ["0", "4", "10", "20", "FFFFFFFF", "100000000", "-1", "zz", "00", "01", "C000003E", "7FFF0000", "\u{1B}", "0x10", ""]
        var lines: [String] = []
        let listing = Bool.random(using: &g)
        for index in 0..<Int.random(in: 0...40, using: &g) {
            if listing {
                let fields = (0..<4).map { _ in "0x" + fieldWords.randomElement(using: &g)! }
                lines.append(String(format: "%04d: ", index) + fields.joined(separator: " ") + "  comment")
            } else {
                let fields = (0..<Int.random(in: 0...4, using: &g)).map { _ in fieldWords.randomElement(using: &g)! }
                lines.append(([mnemonics.randomElement(using: &g)!] + fields).joined(separator: ["\t", " ", "\t\t"].randomElement(using: &g)!))
            }
        }
        return lines.joined(separator: Bool.random(using: &g) ? "\n" : "\r\n")
    }

    /// Raw bytes: random, or instruction-shaped with plausible opcodes.
    static func rawProgram(_ g: inout SeededGenerator) -> [UInt8] {
        if Int.random(in: 0..<4, using: &g) == 0 {
            return (0..<Int.random(in: 0...80, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
        }
        let codes: [UInt16] = [0x20, 0x00, 0x80, 0x01, 0x81, 0x60, 0x61, 0x02, 0x03, 0x05, 0x15, 0x25, 0x35, 0x45, 0x1d,
                               0x04, 0x14, 0x24, 0x34, 0x3c, 0x54, 0x44, 0xa4, 0x64, 0x74, 0x84, 0x07, 0x87, 0x06, 0x16, 0x94, 0x40]
        var bytes: [UInt8] = []
        let count = Int.random(in: 1...60, using: &g)
        for i in 0..<count {
            let code = i == count - 1 && Bool.random(using: &g) ? 0x06 : codes.randomElement(using: &g)!
            let k: UInt32 = [0, 4, 16, 24, 60, 64, 0x7fff0000, 0x00050001, 0xffffffff, UInt32.random(in: 0...100, using: &g)].randomElement(using: &g)!
            bytes += [UInt8(code & 0xff), UInt8(code >> 8), UInt8.random(in: 0...4, using: &g), UInt8.random(in: 0...4, using: &g),
                      UInt8(k & 0xff), UInt8((k >> 8) & 0xff), UInt8((k >> 16) & 0xff), UInt8(k >> 24)]
        }
        return bytes
    }

    static let jsonPayloads = [
        "\"x\\n if {1} { return allow }\\n #\"", "\"}\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\u001b[31m\"", "null", "true", "[]", "{}",
        "-1", "18446744073709551616", "1e400", "4095", "0.5", "\"SCMP_ACT_ALLOW\"", "\"SCMP_ARCH_X86_64\"", "\"CAP_SYS_ADMIN\"",
        String(repeating: "[", count: 50) + String(repeating: "]", count: 50), "\"" + String(repeating: "a", count: 5000) + "\"",
    ]

    static let jsonKeys = ["defaultAction", "DEFAULTACTION", "defaultErrnoRet", "architectures", "archMap", "syscalls", "names", "name",
                           "action", "errnoRet", "args", "index", "value", "valueTwo", "op", "comment", "includes", "excludes", "caps",
                           "arches", "minKernel", "\u{017F}yscalls"]

    /// A Docker profile mutated: bytes flipped or cut, values replaced by
    /// payloads, keys repeated or recased.
    static func profile(_ base: [UInt8], _ g: inout SeededGenerator) -> [UInt8] {
        var text = String(decoding: base, as: UTF8.self)
        for _ in 0..<Int.random(in: 1...3, using: &g) {
            switch Int.random(in: 0..<6, using: &g) {
            case 0:
                var bytes = Array(text.utf8)
                if !bytes.isEmpty { bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g) }
                text = String(decoding: bytes, as: UTF8.self)
            case 1:
                text = String(text.prefix(Int.random(in: 0...text.count, using: &g)))
            case 2:
                // Replace one string or number value with a payload.
                if let range = text.range(of: ": \"SCMP_ACT_ERRNO\"") ?? text.range(of: "\"SCMP_ACT_ALLOW\"") {
                    text.replaceSubrange(range, with: ": " + jsonPayloads.randomElement(using: &g)!)
                }
            case 3:
                let key = jsonKeys.randomElement(using: &g)!
                text = text.replacingOccurrences(of: "{", with: "{\"\(key)\": \(jsonPayloads.randomElement(using: &g)!), ", options: [], range: text.startIndex..<text.index(text.startIndex, offsetBy: min(1, text.count)))
            case 4:
                text = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"\(jsonKeys.randomElement(using: &g)!)\": \(jsonPayloads.randomElement(using: &g)!)}]}"
            default:
                text = text.replacingOccurrences(of: "\"comment\": \"\"", with: "\"comment\": \(jsonPayloads.randomElement(using: &g)!)")
            }
        }
        return Array(text.utf8)
    }
}
