import CordonLinux

/// Runs a validated program over a `SeccompData` as the kernel does, and
/// counts the instructions executed. It is the oracle later stages run
/// millions of times, so the program is decoded once into a flat step array.
public struct Emulator: Sendable {
    /// The result of one run.
    public struct Outcome: Hashable, Sendable {
        /// The 32-bit value the filter returned.
        public let value: UInt32
        /// How many instructions ran, the final return included.
        public let executed: Int
        /// The index of the return instruction that ended the run.
        public let returnIndex: Int
    }

    /// The decoded operation of a step: one case per opcode, derived from
    /// the opcode table's `Operation`, so the switch below is a jump table.
    @usableFromInline
    enum Kind: UInt8, Sendable {
        case ldAbs, ldLen, ldImm, ldMem, ldxImm, ldxLen, ldxMem, st, stx
        case addK, subK, mulK, divK, orK, andK, lshK, rshK, xorK
        case addX, subX, mulX, divX, orX, andX, lshX, rshX, xorX
        case neg, ja, jeqK, jgtK, jgeK, jsetK, jeqX, jgtX, jgeX, jsetX
        case retK, retA, tax, txa

        init(_ operation: Operation) {
            switch operation {
            case .loadAbsolute: self = .ldAbs
            case .loadLength: self = .ldLen
            case .loadImmediate: self = .ldImm
            case .loadMemory: self = .ldMem
            case .loadXImmediate: self = .ldxImm
            case .loadXLength: self = .ldxLen
            case .loadXMemory: self = .ldxMem
            case .store: self = .st
            case .storeX: self = .stx
            case .negate: self = .neg
            case .jumpAlways: self = .ja
            case .returnK: self = .retK
            case .returnA: self = .retA
            case .tax: self = .tax
            case .txa: self = .txa
            case .alu(let op, let operand):
                let k: [ALUOperator: Kind] = [.add: .addK, .sub: .subK, .mul: .mulK, .div: .divK, .or: .orK, .and: .andK, .lsh: .lshK, .rsh: .rshK, .xor: .xorK]
                let x: [ALUOperator: Kind] = [.add: .addX, .sub: .subX, .mul: .mulX, .div: .divX, .or: .orX, .and: .andX, .lsh: .lshX, .rsh: .rshX, .xor: .xorX]
                self = (operand == .k ? k : x)[op]!
            case .jump(let test, let operand):
                switch (test, operand) {
                case (.eq, .k): self = .jeqK
                case (.gt, .k): self = .jgtK
                case (.ge, .k): self = .jgeK
                case (.set, .k): self = .jsetK
                case (.eq, .x): self = .jeqX
                case (.gt, .x): self = .jgtX
                case (.ge, .x): self = .jgeX
                case (.set, .x): self = .jsetX
                }
            }
        }
    }

    @usableFromInline
    struct Step: Sendable {
        let kind: Kind
        let jt: UInt8
        let jf: UInt8
        let k: UInt32
    }

    /// The program being run.
    public let program: Program
    @usableFromInline let steps: [Step]

    /// Prepares `program` for running.
    public init(_ program: Program) {
        self.program = program
        steps = program.instructions.map { insn in
            Step(kind: Kind(insn.operation!), jt: insn.jt, jf: insn.jf, k: insn.k)
        }
    }

    /// Runs the program over `data`.
    public func run(_ data: SeccompData) -> Outcome {
        execute(data, trace: nil)
    }

    /// Runs the program over `data` and also returns the index of every
    /// instruction executed, in order.
    public func trace(_ data: SeccompData) -> (outcome: Outcome, path: [Int]) {
        var path: [Int] = []
        let outcome = execute(data, trace: &path)
        return (outcome, path)
    }

    private func execute(_ data: SeccompData, trace: UnsafeMutablePointer<[Int]>?) -> Outcome {
        // The sixteen words of seccomp_data, so a load is one array read.
        var words = InlineArray<16, UInt32>(repeating: 0)
        for i in 0..<16 { words[i] = data.word(at: UInt32(i * 4)) }
        var memory = InlineArray<16, UInt32>(repeating: 0)
        var a: UInt32 = 0
        var x: UInt32 = 0
        var pc = 0
        var executed = 0
        return steps.withUnsafeBufferPointer { steps in
            while true {
                let step = steps[pc]
                executed += 1
                trace?.pointee.append(pc)
                switch step.kind {
                case .ldAbs: a = words[Int(step.k >> 2)]
                case .ldLen: a = SeccompData.size
                case .ldImm: a = step.k
                case .ldMem: a = memory[Int(step.k)]
                case .ldxImm: x = step.k
                case .ldxLen: x = SeccompData.size
                case .ldxMem: x = memory[Int(step.k)]
                case .st: memory[Int(step.k)] = a
                case .stx: memory[Int(step.k)] = x
                case .addK: a = a &+ step.k
                case .subK: a = a &- step.k
                case .mulK: a = a &* step.k
                case .divK: a = a / step.k
                case .orK: a |= step.k
                case .andK: a &= step.k
                case .lshK: a = a << step.k
                case .rshK: a = a >> step.k
                case .xorK: a ^= step.k
                case .addX: a = a &+ x
                case .subX: a = a &- x
                case .mulX: a = a &* x
                case .divX:
                    // The kernel's translation returns 0 when X is 0.
                    if x == 0 { return Outcome(value: 0, executed: executed, returnIndex: pc) }
                    a = a / x
                case .orX: a |= x
                case .andX: a &= x
                case .lshX: a = a << (x & 31)
                case .rshX: a = a >> (x & 31)
                case .xorX: a ^= x
                case .neg: a = 0 &- a
                case .ja: pc += Int(step.k)
                case .jeqK: pc += Int(a == step.k ? step.jt : step.jf)
                case .jgtK: pc += Int(a > step.k ? step.jt : step.jf)
                case .jgeK: pc += Int(a >= step.k ? step.jt : step.jf)
                case .jsetK: pc += Int(a & step.k != 0 ? step.jt : step.jf)
                case .jeqX: pc += Int(a == x ? step.jt : step.jf)
                case .jgtX: pc += Int(a > x ? step.jt : step.jf)
                case .jgeX: pc += Int(a >= x ? step.jt : step.jf)
                case .jsetX: pc += Int(a & x != 0 ? step.jt : step.jf)
                case .retK: return Outcome(value: step.k, executed: executed, returnIndex: pc)
                case .retA: return Outcome(value: a, executed: executed, returnIndex: pc)
                case .tax: x = a
                case .txa: a = x
                }
                pc += 1
            }
        }
    }
}
