import CSeccomp
import CordonBPF
import Glibc

/// The seccomp filters of a running process, as the kernel keeps them
/// (`ptrace(PTRACE_SECCOMP_GET_FILTER)`): the classic BPF each filter was
/// loaded with, the most recent first. The process is stopped for the read
/// and then let go. Needs CAP_SYS_ADMIN, and a reader not itself under seccomp.
public enum FilterDump {
    /// Why the filters could not be read.
    public struct DumpError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The kernel's limit on a process's filters: 32,768 instructions in all
    /// (each filter counted 4 more), so at most this many of each.
    static let maxInstructions = 32_768
    static let maxFilters = 32_768 / 5

    /// The filters of `pid`, the most recent (the one the kernel runs first) first.
    public static func filters(of pid: Int32) throws(DumpError) -> [[Instruction]] {
        var buffer = [cordon_insn](repeating: cordon_insn(), count: maxInstructions)
        var lengths = [Int](repeating: 0, count: maxFilters)
        var count = 0, step: Int32 = 0
        let error = lengths.withUnsafeMutableBufferPointer { lengthsPointer in
            lengthsPointer.withMemoryRebound(to: size_t.self) { sizes in
                withUnsafeMutablePointer(to: &count) { countPointer in
                    countPointer.withMemoryRebound(to: size_t.self, capacity: 1) { filters in
                        cordon_dump_filters(pid, &buffer, buffer.count, sizes.baseAddress, maxFilters, filters, &step)
                    }
                }
            }
        }
        if error != 0 { throw DumpError(description: explain(error, step: step, pid: pid)) }
        var result: [[Instruction]] = []
        var start = 0
        for length in lengths.prefix(count) {
            result.append(buffer[start..<start + length].map { Instruction(code: $0.code, jt: $0.jt, jf: $0.jf, k: $0.k) })
            start += length
        }
        // ptrace's index 0 is the oldest filter (measured here: a process
        // under two nested `cordon run`s gives the outer policy at index 0,
        // as the kernel's get_nth_filter counts back from the newest);
        // cordon numbers from the newest, the one the kernel runs first.
        return result.reversed()
    }

    private static func explain(_ error: Int32, step: Int32, pid: Int32) -> String {
        let reason = String(cString: strerror(error))
        if step == 1 {
            switch error {
            case ESRCH: return "no process \(pid)"
            case EPERM: return "cannot stop process \(pid) to read its filters: \(reason) (ptrace needs the process's user, or CAP_SYS_PTRACE; Yama may ask for more)"
            default: return "cannot stop process \(pid) to read its filters: \(reason)"
            }
        }
        switch error {
        case EACCES: return "cannot read the filters of process \(pid): \(reason) (the kernel gives them only to a reader with CAP_SYS_ADMIN that is not itself under seccomp)"
        case EINVAL: return "process \(pid) has no seccomp filter (or this kernel was built without CONFIG_CHECKPOINT_RESTORE, which keeps filters readable)"
        case ENOENT: return "process \(pid) has no seccomp filter"
        default: return "cannot read the filters of process \(pid): \(reason)"
        }
    }
}
