import CordonBPF
import CordonLinux
import CordonPolicy

/// Which code generator.
public enum OptimizationLevel: String, Sendable, CaseIterable {
    /// The direct, dropnet-shaped lowering: one group of instructions per statement.
    case direct = "O0"
    /// The optimizing backend: specialized per syscall number, range dispatch.
    case optimizing = "O2"
}

/// A compiled filter: the validated program and, per instruction, the policy
/// line it comes from (nil for the generator's own instructions).
public struct CompiledProgram: Sendable {
    public let program: Program
    public let notes: [String?]
    public let level: OptimizationLevel
    /// -O2: the search over syscall numbers of each architecture value, in
    /// the program's order, with its figures (empty at -O0).
    public internal(set) var searches: [DispatchSearch] = []
}

/// Why a policy could not be compiled.
public enum CompileError: Error, CustomStringConvertible, Sendable {
    /// The program does not fit the kernel's limit.
    case tooLarge(count: Int, level: OptimizationLevel)

    public var description: String {
        switch self {
        case .tooLarge(let count, let level):
            return "the filter needs at least \(count) instructions at -\(level.rawValue); the kernel accepts at most \(Validator.maxInstructions)"
                + (level == .direct ? " (try -O2)" : ": split the policy or simplify its rules")
        }
    }
}

/// Compiles a checked policy with either generator.
public enum Compiler {
    /// `mix` shapes -O2's search over syscall numbers (never a decision).
    public static func compile(_ policy: IRPolicy, level: OptimizationLevel, mix: SyscallMix = .builtIn) throws(CompileError) -> CompiledProgram {
        let result: Result<CompiledProgram, CompileError> = LargeStack.run {
            do throws(CompileError) {
                switch level {
                case .direct: return .success(try DirectLowering.compile(policy))
                case .optimizing: return .success(try OptimizingBackend.compile(policy, mix: mix))
                }
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Builds and validates; a program over the limit becomes `tooLarge`.
    static func finish(_ builder: ProgramBuilder, level: OptimizationLevel) throws(CompileError) -> CompiledProgram {
        let built: (instructions: [Instruction], notes: [String?])
        do {
            built = try builder.buildWithNotes()
        } catch .tooLong(let count) {
            throw .tooLarge(count: count, level: level)
        } catch {
            preconditionFailure("code generator bug: \(error)")
        }
        do {
            return CompiledProgram(program: try Validator.validate(built.instructions), notes: built.notes, level: level)
        } catch {
            if case .tooLong(let count) = error.reason { throw .tooLarge(count: count, level: level) }
            preconditionFailure("code generator bug: the program fails validation: \(error)")
        }
    }
}

/// The 32-bit words of seccomp_data a field is made of, in the byte order of
/// the block's architecture (s390x is big endian: a 64-bit field's high word
/// comes first).
extension Field {
    /// Where the field's 8 bytes start (the instruction pointer, an
    /// argument); nil for `nr`, a 32-bit field of its own.
    private var base: UInt32? {
        switch self {
        case .nr: nil
        case .instructionPointer: 8
        case .argument(let n), .argumentLow(let n): UInt32(16 + 8 * n)
        }
    }

    /// The offset of the low word (the only word of a 32-bit field).
    func lowOffset(_ arch: Arch) -> UInt32 {
        base.map { SeccompData.lowWordOffset(base: $0, littleEndian: arch.isLittleEndian) } ?? 0
    }

    /// The offset of the high word of a 64-bit field.
    func highOffset(_ arch: Arch) -> UInt32? {
        guard bits == 64, let base else { return nil }
        return SeccompData.highWordOffset(base: base, littleEndian: arch.isLittleEndian)
    }
}

/// Where syscalls of one `seccomp_data.arch` value go.
struct ArchRoute {
    let auditArch: UInt32
    /// The block for syscalls of this value (x86_64 for the x86_64 value).
    let main: IRBlock?
    /// On x86_64's value: the x32 block, for numbers with bit 30 set (not -1).
    let x32: IRBlock?
    /// Whether numbers must be told apart by bit 30.
    var splitsX32: Bool { auditArch == Arch.x86_64.auditArch }

    /// The routes of a policy, in the order its blocks appear.
    static func routes(_ policy: IRPolicy) -> [ArchRoute] {
        var seen: [UInt32] = []
        for block in policy.blocks where !seen.contains(block.arch.auditArch) { seen.append(block.arch.auditArch) }
        return seen.map { audit in
            if audit == Arch.x86_64.auditArch {
                return ArchRoute(auditArch: audit, main: policy.block(for: .x86_64), x32: policy.block(for: .x32))
            }
            return ArchRoute(auditArch: audit, main: policy.blocks.first { $0.arch.auditArch == audit }, x32: nil)
        }
    }
}

/// `FILE:LINE` of a location, as the notes show it.
func noteText(_ location: SourceLocation?) -> String? {
    location.map { "\($0.file.path):\($0.line)" }
}
