/// One classic BPF instruction, as `struct sock_filter` holds it.
public struct Instruction: Hashable, Sendable {
    /// The operation code (class, size/op, mode/source bits).
    public var code: UInt16
    /// Conditional jumps: instructions to skip when the test holds.
    public var jt: UInt8
    /// Conditional jumps: instructions to skip when it does not.
    public var jf: UInt8
    /// The constant operand.
    public var k: UInt32

    /// An instruction from its four raw fields.
    public init(code: UInt16, jt: UInt8 = 0, jf: UInt8 = 0, k: UInt32 = 0) {
        self.code = code
        self.jt = jt
        self.jf = jf
        self.k = k
    }

    /// The table row for this code, or nil when seccomp refuses the code.
    public var info: OpcodeInfo? { OpcodeTable.info(code) }

    /// What the instruction does, or nil when seccomp refuses the code.
    public var operation: Operation? { info?.operation }

    // MARK: Constructors for the operations generators use.

    /// `A = seccomp_data[offset]`.
    public static func load(_ offset: UInt32) -> Instruction { Instruction(code: 0x20, k: offset) }
    /// `A = value`.
    public static func loadImmediate(_ value: UInt32) -> Instruction { Instruction(code: 0x00, k: value) }
    /// `A = M[cell]`: a load of scratch memory.
    public static func loadMemory(_ cell: UInt32) -> Instruction { Instruction(code: 0x60, k: cell) }
    /// `M[cell] = A`.
    public static func store(_ cell: UInt32) -> Instruction { Instruction(code: 0x02, k: cell) }
    /// `A = A op k`.
    public static func alu(_ op: ALUOperator, _ k: UInt32) -> Instruction { Instruction(code: OpcodeTable.alu | op.rawValue, k: k) }
    /// `A = A op X`.
    public static func aluX(_ op: ALUOperator) -> Instruction { Instruction(code: OpcodeTable.alu | op.rawValue | 0x08) }
    /// A conditional jump on `A test k`.
    public static func jump(_ test: JumpTest, _ k: UInt32, jt: UInt8, jf: UInt8) -> Instruction {
        Instruction(code: OpcodeTable.jmp | test.rawValue, jt: jt, jf: jf, k: k)
    }
    /// `pc += offset`.
    public static func jumpAlways(_ offset: UInt32) -> Instruction { Instruction(code: 0x05, k: offset) }
    /// `return value`.
    public static func ret(_ value: UInt32) -> Instruction { Instruction(code: 0x06, k: value) }
    /// `return A`.
    public static let returnA = Instruction(code: 0x16)

    /// Whether the instruction ends the program (`RET K` or `RET A`).
    public var isReturn: Bool { code == 0x06 || code == 0x16 }

}

/// A program that the validator accepted: what the kernel would load.
/// Only `Validator.validate` makes one.
public struct Program: Hashable, Sendable {
    /// The instructions, at most 4096, last one a return.
    public let instructions: [Instruction]

    init(validated instructions: [Instruction]) {
        self.instructions = instructions
    }

    /// Number of instructions.
    public var count: Int { instructions.count }
}

extension Program {
    /// The same program with each `RET K`'s value passed through `change`
    /// (a `RET A` is left alone). Still valid: only return values differ.
    public func mappingReturns(_ change: (UInt32) -> UInt32) -> Program {
        Program(validated: instructions.map { $0.code == 0x06 ? .ret(change($0.k)) : $0 })
    }
}
