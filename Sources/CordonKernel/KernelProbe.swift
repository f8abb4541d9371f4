import CSeccomp
import CordonBPF
import CordonLinux
import Glibc

/// Asks the live kernel what a program decides, without running any syscall:
/// every `RET` is rewritten into `RET ERRNO(1024 + i)` for the i-th return
/// instruction, the rewritten filter is loaded in a forked child, the child
/// makes the syscalls, and each errno names the return the kernel reached.
/// i386 calls go through `int $0x80`, x32 ones through `syscall` with bit 30.
///
/// Call it only from a single-threaded process (the `cordon kernel-probe`
/// command), never from a test runner: it forks.
public enum KernelProbe {
    /// One syscall to ask about.
    public struct Call: Hashable, Sendable {
        public var arch: Arch
        /// The number as the kernel passes it (x32 numbers include bit 30).
        public var nr: UInt32
        public var args: [UInt64]

        public init(arch: Arch, nr: UInt32, args: [UInt64] = []) {
            self.arch = arch
            self.nr = nr
            self.args = args
        }
    }

    /// What the kernel decided for one call.
    public enum Answer: Hashable, Sendable {
        /// The filter reached the return instruction at `returnIndex`;
        /// `instructionPointer` is what the kernel put in `seccomp_data`.
        case returned(returnIndex: Int, instructionPointer: UInt64)
        /// The filter killed the caller without reaching a return: the
        /// kernel returns 0 (KILL_THREAD) when a program divides by X = 0.
        case killed(signal: Int32)
    }

    /// Why the probe could not answer.
    public enum ProbeError: Error, Hashable, CustomStringConvertible {
        case unsupportedArch(Arch)
        case multithreaded
        case system(errno: Int32)
        case childDied(status: Int32)
        case timeout
        case refused(errno: Int32)
        case tooManyReturns(Int)
        case unexpectedResult(call: Int, value: Int64)
        case unfiltered(call: Int, arch: Arch, name: String)

        public var description: String {
            switch self {
            case .unsupportedArch(let arch): return "this x86_64 host cannot make \(arch) syscalls"
            case .multithreaded: return "the kernel probe must run in a single-threaded process"
            case .system(let e): return "the kernel probe failed: \(String(cString: strerror(e)))"
            case .childDied(let status): return "the probe child died unexpectedly (wait status \(status))"
            case .timeout: return "the probe child did not finish in time"
            case .refused(let e): return "the kernel refused the filter: \(String(cString: strerror(e)))"
            case .tooManyReturns(let n): return "the program has \(n) return instructions; the probe can tell at most \(maxReturns) apart"
            case .unexpectedResult(let call, let value): return "call \(call) returned \(value), which no rewritten return gives"
            case .unfiltered(let call, let arch, let name):
                return "call \(call): \(arch) syscall \(name) never reaches a seccomp filter on recent kernels, so the kernel cannot be asked about it"
            }
        }
    }

    /// The first errno used to tag a return instruction.
    public static let errnoBase = 1024
    /// How many return instructions the errno range (up to MAX_ERRNO) can tag.
    public static let maxReturns = Int(SeccompReturn.maxErrno) - errnoBase + 1

    /// The program with its i-th return replaced by `RET ERRNO(errnoBase + i)`,
    /// and the instruction index of each tag.
    public static func rewriteReturns(_ instructions: [Instruction]) throws(ProbeError) -> (program: [Instruction], returnIndexes: [Int]) {
        var rewritten = instructions
        var indexes: [Int] = []
        for (pc, insn) in instructions.enumerated() where insn.isReturn {
            if indexes.count == maxReturns { throw .tooManyReturns(instructions.filter(\.isReturn).count) }
            rewritten[pc] = .ret(SeccompReturn.Action.errno | UInt32(errnoBase + indexes.count))
            indexes.append(pc)
        }
        return (rewritten, indexes)
    }

    /// Which return of `program` the kernel reaches for each call. A call
    /// that kills the child is answered `.killed` and a new child goes on
    /// with the next one.
    public static func decide(_ program: Program, calls: [Call], timeoutMilliseconds: UInt32 = 20_000) throws(ProbeError) -> [Answer] {
        let (rewritten, indexes) = try rewriteReturns(program.instructions)
        var answers: [Answer] = []
        answers.reserveCapacity(calls.count)
        while answers.count < calls.count {
            let batch = Array(calls[answers.count...])
            let run = try run(rewritten, calls: batch, timeoutMilliseconds: timeoutMilliseconds)
            for result in run.results {
                let tag = Int(-result.ret) - errnoBase
                guard tag >= 0, tag < indexes.count else { throw .unexpectedResult(call: answers.count, value: result.ret) }
                answers.append(.returned(returnIndex: indexes[tag], instructionPointer: result.ip))
            }
            if let status = run.deathStatus {
                // WIFSIGNALED: the low seven bits are the signal.
                let signal = status & 0x7F
                guard signal != 0 else { throw .childDied(status: status) }
                answers.append(.killed(signal: signal))
            }
        }
        return answers
    }

    /// Whether the kernel accepts `instructions` as a filter: 0, or the errno
    /// of seccomp(2) (EINVAL for a program it refuses).
    public static func loadErrno(_ instructions: [Instruction]) throws(ProbeError) -> Int32 {
        do {
            _ = try run(instructions, calls: [], timeoutMilliseconds: 20_000)
            return 0
        } catch .refused(let e) {
            return e
        }
    }

    /// Runs the calls in one child: the results of the calls that returned,
    /// and the wait status if the child died on the next one.
    private static func run(_ instructions: [Instruction], calls: [Call], timeoutMilliseconds: UInt32) throws(ProbeError) -> (results: ArraySlice<cordon_probe_result>, deathStatus: Int32?) {
        var cCalls: [cordon_probe_call] = []
        for (index, call) in calls.enumerated() {
            if let exempt = Arch.unfilteredSyscall(auditArch: call.arch.auditArch, nr: call.nr) {
                throw .unfiltered(call: index, arch: Arch.of(auditArch: call.arch.auditArch, nr: call.nr) ?? call.arch, name: exempt)
            }
            var c = cordon_probe_call()
            switch call.arch {
            case .x86_64, .x32: c.mode = UInt32(CORDON_CALL_SYSCALL64.rawValue)
            case .i386: c.mode = UInt32(CORDON_CALL_INT80.rawValue)
            default: throw .unsupportedArch(call.arch)
            }
            c.nr = call.nr
            let a = call.args + [UInt64](repeating: 0, count: max(0, 6 - call.args.count))
            c.args = (a[0], a[1], a[2], a[3], a[4], a[5])
            cCalls.append(c)
        }
        let filter = instructions.map { cordon_insn(code: $0.code, jt: $0.jt, jf: $0.jf, k: $0.k) }
        var results = [cordon_probe_result](repeating: cordon_probe_result(), count: calls.count)
        var installErrno: Int32 = 0
        var childStatus: Int32 = 0
        var completed = 0
        // Instructions beyond the kernel's limit: let the kernel say so.
        let length = UInt16(clamping: filter.count)
        let status = cordon_probe(filter, length, cCalls, cCalls.count, &results, &installErrno, &childStatus, &completed, timeoutMilliseconds)
        switch Int(status) {
        case Int(CORDON_PROBE_OK.rawValue):
            if installErrno != 0 { throw .refused(errno: installErrno) }
            return (results[...], nil)
        case Int(CORDON_PROBE_MULTITHREADED.rawValue): throw .multithreaded
        case Int(CORDON_PROBE_CHILD_DIED.rawValue):
            guard completed < calls.count else { throw .childDied(status: childStatus) }
            return (results[..<completed], childStatus)
        case Int(CORDON_PROBE_TIMEOUT.rawValue): throw .timeout
        default: throw .system(errno: errno)
        }
    }
}
