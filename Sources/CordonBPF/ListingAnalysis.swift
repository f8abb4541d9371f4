import CordonLinux

/// What the listing knows before each instruction: what the accumulator holds
/// and which architecture every path to it has checked. A forward pass over
/// the program (BPF jumps only forward), merging at join points.
struct ListingAnalysis {
    /// What the accumulator holds.
    enum Accumulator: Equatable {
        case unknown
        /// A word of seccomp_data, by offset.
        case field(UInt32)
    }

    struct State: Equatable {
        var a: Accumulator = .unknown
        /// The `seccomp_data.arch` value every path here has tested equal, if one.
        var auditArch: UInt32?
        /// The syscall numbers every path here allows, from its tests of `nr`
        /// (`==`, and the `>=`/`>` of a search tree), as a closed range.
        var nrLow: UInt32 = 0
        var nrHigh: UInt32 = .max

        /// The syscall number, when the tests so far leave one.
        var nr: UInt32? { nrLow == nrHigh ? nrLow : nil }

        func merged(with other: State) -> State {
            State(a: a == other.a ? a : .unknown, auditArch: auditArch == other.auditArch ? auditArch : nil,
                  nrLow: min(nrLow, other.nrLow), nrHigh: max(nrHigh, other.nrHigh))
        }
    }

    /// The state before each instruction; nil for unreachable ones.
    let before: [State?]

    init(_ instructions: [Instruction]) {
        var states = [State?](repeating: nil, count: instructions.count)
        if !states.isEmpty { states[0] = State() }
        func flow(_ state: State, to target: Int) {
            guard target < states.count else { return }
            states[target] = states[target].map { $0.merged(with: state) } ?? state
        }
        for (pc, insn) in instructions.enumerated() {
            guard var state = states[pc] else { continue }
            switch insn.operation {
            case .loadAbsolute?:
                state.a = .field(insn.k)
                flow(state, to: pc + 1)
            case .returnK?, .returnA?, nil:
                break
            case .jumpAlways?:
                flow(state, to: pc + 1 + Int(insn.k))
            case .jump(let test, let operand)?:
                var onTrue = state
                if test == .eq, operand == .k, state.a == .field(4) { onTrue.auditArch = insn.k }
                var onFalse = state
                if operand == .k, state.a == .field(0) {
                    switch test {
                    case .eq:
                        onTrue.nrLow = max(state.nrLow, insn.k)
                        onTrue.nrHigh = min(state.nrHigh, insn.k)
                    case .gt:
                        if insn.k < .max { onTrue.nrLow = max(state.nrLow, insn.k + 1) }
                        onFalse.nrHigh = min(state.nrHigh, insn.k)
                    case .ge:
                        onTrue.nrLow = max(state.nrLow, insn.k)
                        if insn.k > 0 { onFalse.nrHigh = min(state.nrHigh, insn.k - 1) }
                    case .set:
                        break
                    }
                }
                flow(onTrue, to: pc + 1 + Int(insn.jt))
                flow(onFalse, to: pc + 1 + Int(insn.jf))
            case .store?, .storeX?, .loadXImmediate?, .loadXLength?, .loadXMemory?, .tax?:
                flow(state, to: pc + 1)
            default:
                state.a = .unknown
                flow(state, to: pc + 1)
            }
        }
        before = states
    }

    /// The kernel's name of the parameter in the argument word at `offset`,
    /// where every path to `pc` has fixed the architecture and the syscall:
    /// `socket's family`.
    func parameterName(at offset: UInt32, before pc: Int) -> String? {
        guard offset >= 16, offset < SeccompData.size, let state = before[pc], let audit = state.auditArch, let nr = state.nr,
              let arch = Arch.of(auditArch: audit, nr: nr), let syscall = SyscallTable.forArch(arch).name(of: nr) else { return nil }
        let slot = Int(offset - 16) / 8
        guard let parameter = SyscallParameters.of(syscall, arch: arch)?.first(where: { $0.slot == slot || ($0.isSplit && $0.slot + 1 == slot) })
        else { return nil }
        return "\(syscall)'s \(parameter.name)"
    }

    /// How to print constant `k` compared with the accumulator before `pc`:
    /// an architecture or syscall name where the analysis knows one.
    func operandText(_ k: UInt32, at pc: Int, test: JumpTest) -> String {
        guard let state = before[pc] else { return hexText(k) }
        switch state.a {
        case .field(4) where test == .eq:
            if let arch = Arch.withAuditArch(k).first {
                return "ARCH_" + (arch == .x86_64 ? "X86_64" : arch.rawValue.uppercased())
            }
        case .field(0):
            if test == .eq, let audit = state.auditArch, let arch = Arch.of(auditArch: audit, nr: k),
               let name = SyscallTable.forArch(arch).name(of: k) {
                return name
            }
            return k < 0x1000 ? String(k) : hexText(k)
        default:
            break
        }
        return hexText(k)
    }
}

/// `0x` and lower-case hex digits.
func hexText(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

/// Facts about a program that emitters use to write it symbolically.
public enum ProgramFacts {
    /// For each instruction, the offset of the seccomp_data word the
    /// accumulator holds before it on every path (nil when unknown).
    public static func accumulatorWords(_ instructions: [Instruction]) -> [UInt32?] {
        ListingAnalysis(instructions).before.map { state in
            if case .field(let offset)? = state?.a { return offset }
            return nil
        }
    }
}
