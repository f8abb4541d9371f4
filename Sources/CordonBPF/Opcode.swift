/// The second operand of an ALU operation or conditional jump: the
/// instruction's constant `k`, or the index register `X`.
public enum Operand: Hashable, Sendable {
    case k
    case x
}

/// The ALU operations seccomp accepts (`BPF_MOD` is refused by the kernel's
/// `seccomp_check_filter`, though classic BPF has it).
public enum ALUOperator: UInt16, CaseIterable, Hashable, Sendable {
    case add = 0x00, sub = 0x10, mul = 0x20, div = 0x30
    case or = 0x40, and = 0x50, lsh = 0x60, rsh = 0x70, xor = 0xA0

    /// The gosecco mnemonic stem (`add`, `and`, ...).
    var stem: String {
        switch self {
        case .add: "add"
        case .sub: "sub"
        case .mul: "mul"
        case .div: "div"
        case .or: "or"
        case .and: "and"
        case .lsh: "lsh"
        case .rsh: "rsh"
        case .xor: "xor"
        }
    }

    /// The `<linux/filter.h>` macro of the operation (`BPF_ADD`).
    public var cMacro: String { "BPF_" + stem.uppercased() }

    /// The C compound-assignment operator, for the listing (`+=`, `&=`).
    public var symbol: String {
        switch self {
        case .add: "+="
        case .sub: "-="
        case .mul: "*="
        case .div: "/="
        case .or: "|="
        case .and: "&="
        case .lsh: "<<="
        case .rsh: ">>="
        case .xor: "^="
        }
    }
}

/// The conditional jump tests of classic BPF.
public enum JumpTest: UInt16, CaseIterable, Hashable, Sendable {
    case eq = 0x10, gt = 0x20, ge = 0x30, set = 0x40

    /// The `<linux/filter.h>` macro of the test (`BPF_JEQ`).
    public var cMacro: String { "BPF_" + stem.uppercased() }

    var stem: String {
        switch self {
        case .eq: "jeq"
        case .gt: "jgt"
        case .ge: "jge"
        case .set: "jset"
        }
    }
}

/// What an instruction does: every operation a seccomp filter may contain.
/// Codes outside this set are refused by the kernel.
public enum Operation: Hashable, Sendable {
    /// `A = seccomp_data[k]` (32-bit word, `BPF_LD|BPF_W|BPF_ABS`).
    case loadAbsolute
    /// `A = sizeof(seccomp_data)` (`BPF_LD|BPF_W|BPF_LEN`).
    case loadLength
    /// `A = k` (`BPF_LD|BPF_IMM`).
    case loadImmediate
    /// `A = M[k]` (`BPF_LD|BPF_MEM`).
    case loadMemory
    /// `X = k` (`BPF_LDX|BPF_IMM`).
    case loadXImmediate
    /// `X = sizeof(seccomp_data)` (`BPF_LDX|BPF_W|BPF_LEN`).
    case loadXLength
    /// `X = M[k]` (`BPF_LDX|BPF_MEM`).
    case loadXMemory
    /// `M[k] = A` (`BPF_ST`).
    case store
    /// `M[k] = X` (`BPF_STX`).
    case storeX
    /// `A = A op k` or `A = A op X`.
    case alu(ALUOperator, Operand)
    /// `A = -A`.
    case negate
    /// `pc += k`.
    case jumpAlways
    /// `pc += (A test k|X) ? jt : jf`.
    case jump(JumpTest, Operand)
    /// `return k`.
    case returnK
    /// `return A`.
    case returnA
    /// `X = A`.
    case tax
    /// `A = X`.
    case txa
}

/// One row of the opcode table: a code, its operation, and how the gosecco
/// assembler text spells it.
public struct OpcodeInfo: Sendable {
    /// The 16-bit `code` field.
    public let code: UInt16
    /// What the code does.
    public let operation: Operation
    /// The gosecco mnemonic (`ld_mem`, `ldx_mem`, `st` and `stx` are
    /// gosecco's too); `ret_a` is cordon's: gosecco has no mnemonic for RET A.
    public let mnemonic: String
    /// Whether the text forms carry `jt` and `jf`.
    public let usesJumps: Bool
    /// Whether the text forms carry `k`.
    public let usesK: Bool
}

/// The opcode table: the one place that says which codes exist and what they
/// mean. Validator, emulator, assembler and disassembler all read it.
public enum OpcodeTable {
    /// Class bits of `code`.
    public static let ld: UInt16 = 0x00, ldx: UInt16 = 0x01, st: UInt16 = 0x02, stx: UInt16 = 0x03
    public static let alu: UInt16 = 0x04, jmp: UInt16 = 0x05, ret: UInt16 = 0x06, misc: UInt16 = 0x07

    /// Every operation seccomp accepts, with its code.
    public static let all: [OpcodeInfo] = {
        var rows: [OpcodeInfo] = [
            OpcodeInfo(code: 0x06, operation: .returnK, mnemonic: "ret_k", usesJumps: false, usesK: true),
            OpcodeInfo(code: 0x16, operation: .returnA, mnemonic: "ret_a", usesJumps: false, usesK: false),
            OpcodeInfo(code: 0x20, operation: .loadAbsolute, mnemonic: "ld_abs", usesJumps: false, usesK: true),
            OpcodeInfo(code: 0x80, operation: .loadLength, mnemonic: "ld_len", usesJumps: false, usesK: false),
            OpcodeInfo(code: 0x00, operation: .loadImmediate, mnemonic: "ld_imm", usesJumps: false, usesK: true),
            OpcodeInfo(code: 0x60, operation: .loadMemory, mnemonic: "ld_mem", usesJumps: false, usesK: true),
            OpcodeInfo(code: 0x81, operation: .loadXLength, mnemonic: "ldx_len", usesJumps: false, usesK: false),
            OpcodeInfo(code: 0x01, operation: .loadXImmediate, mnemonic: "ldx_imm", usesJumps: false, usesK: true),
            OpcodeInfo(code: 0x61, operation: .loadXMemory, mnemonic: "ldx_mem", usesJumps: false, usesK: true),
            OpcodeInfo(code: 0x02, operation: .store, mnemonic: "st", usesJumps: false, usesK: true),
            OpcodeInfo(code: 0x03, operation: .storeX, mnemonic: "stx", usesJumps: false, usesK: true),
            OpcodeInfo(code: 0x84, operation: .negate, mnemonic: "neg", usesJumps: false, usesK: false),
            OpcodeInfo(code: 0x07, operation: .tax, mnemonic: "tax", usesJumps: false, usesK: false),
            OpcodeInfo(code: 0x87, operation: .txa, mnemonic: "txa", usesJumps: false, usesK: false),
            OpcodeInfo(code: 0x05, operation: .jumpAlways, mnemonic: "jmp", usesJumps: false, usesK: true),
        ]
        for op in ALUOperator.allCases {
            rows.append(OpcodeInfo(code: alu | op.rawValue, operation: .alu(op, .k), mnemonic: op.stem + "_k", usesJumps: false, usesK: true))
            rows.append(OpcodeInfo(code: alu | op.rawValue | 0x08, operation: .alu(op, .x), mnemonic: op.stem + "_x", usesJumps: false, usesK: false))
        }
        for test in JumpTest.allCases {
            rows.append(OpcodeInfo(code: jmp | test.rawValue, operation: .jump(test, .k), mnemonic: test.stem + "_k", usesJumps: true, usesK: true))
            rows.append(OpcodeInfo(code: jmp | test.rawValue | 0x08, operation: .jump(test, .x), mnemonic: test.stem + "_x", usesJumps: true, usesK: false))
        }
        return rows
    }()

    private static let byCode: [OpcodeInfo?] = {
        var table = [OpcodeInfo?](repeating: nil, count: 256)
        for row in all { table[Int(row.code)] = row }
        return table
    }()

    private static let byMnemonic: [String: OpcodeInfo] =
        Dictionary(uniqueKeysWithValues: all.map { ($0.mnemonic, $0) })

    /// The row for `code`, or nil when seccomp does not accept that code.
    public static func info(_ code: UInt16) -> OpcodeInfo? {
        code < 256 ? byCode[Int(code)] : nil
    }

    /// The row for a gosecco mnemonic, or nil.
    public static func info(mnemonic: String) -> OpcodeInfo? { byMnemonic[mnemonic] }

    /// A symbolic name for any code, accepted or not (`LD|W|ABS`, `ALU|MOD|K`,
    /// `LD|H|IND`), for messages about codes the table refuses.
    public static func symbolicName(_ code: UInt16) -> String {
        if code > 0xFF { return String(format16(code)) }
        let cls = code & 0x07
        switch cls {
        case ld, ldx:
            let size = ["W", "H", "B", "DW"][Int((code >> 3) & 0x03)]
            let mode = ["IMM", "ABS", "IND", "MEM", "LEN", "MSH", "MODE6", "MODE7"][Int((code >> 5) & 0x07)]
            return "\(cls == ld ? "LD" : "LDX")|\(size)|\(mode)"
        case st: return "ST"
        case stx: return "STX"
        case alu, jmp:
            let names: [String] = cls == alu
                ? ["ADD", "SUB", "MUL", "DIV", "OR", "AND", "LSH", "RSH", "NEG", "MOD", "XOR", "OP11", "OP12", "OP13", "OP14", "OP15"]
                : ["JA", "JEQ", "JGT", "JGE", "JSET", "OP5", "OP6", "OP7", "OP8", "OP9", "OP10", "OP11", "OP12", "OP13", "OP14", "OP15"]
            return "\(cls == alu ? "ALU" : "JMP")|\(names[Int(code >> 4)])|\(code & 0x08 != 0 ? "X" : "K")"
        case ret:
            return "RET|" + ["K", "X", "A", "RVAL3"][Int((code >> 3) & 0x03)]
        default:
            return code & 0x80 != 0 ? "MISC|TXA-family(0x\(String(code, radix: 16)))" : "MISC|TAX-family(0x\(String(code, radix: 16)))"
        }
    }

    private static func format16(_ code: UInt16) -> String { "0x" + String(code, radix: 16) }
}
