import CordonBPF
import CordonLinux
import CordonTestSupport
import Foundation
import XCTest

/// Asks the live kernel through `cordon kernel-probe` (a separate process:
/// filters are never loaded into the test runner) and compares with the emulator.
enum KernelOracle {
    /// One call as sent to the kernel.
    struct Call {
        let arch: Arch
        let nr: UInt32
        let args: [UInt64]
    }

    /// What the kernel answered for a call.
    enum Answer: Equatable {
        case returned(index: Int, ip: UInt64)
        case killed(signal: Int32)
    }

    /// Writes `instructions` as a raw file in a temporary folder.
    static func writeProgram(_ instructions: [Instruction], in dir: URL, name: String = "p.bpf") throws -> URL {
        let url = dir.appendingPathComponent(name)
        try Data(RawCodec.encode(instructions)).write(to: url)
        return url
    }

    /// The kernel's answers for `calls` on the program at `path`.
    static func ask(_ path: URL, _ calls: [Call]) throws -> [Answer] {
        let input = calls.map { call in
            ([call.arch.rawValue, "0x" + String(call.nr, radix: 16)] + call.args.map { "0x" + String($0, radix: 16) }).joined(separator: " ")
        }.joined(separator: "\n") + "\n"
        let result = try runCordon(["kernel-probe", path.path], input: input)
        guard result.status == 0 else { throw OracleError("kernel-probe failed (\(result.status)): \(result.stderr)") }
        let lines = result.stdout.split(separator: "\n")
        guard lines.count == calls.count else { throw OracleError("kernel-probe answered \(lines.count) of \(calls.count) calls") }
        return try lines.map { line in
            let fields = line.split(separator: " ")
            if fields.first == "killed", fields.count == 2, let signal = Int32(fields[1]) { return .killed(signal: signal) }
            guard fields.count == 2, let index = Int(fields[0]), let ip = UInt64(fields[1].dropFirst(2), radix: 16) else {
                throw OracleError("bad kernel-probe line '\(line)'")
            }
            return .returned(index: index, ip: ip)
        }
    }

    /// Whether the kernel loads the program: nil when accepted, else the errno.
    static func loadErrno(_ path: URL) throws -> Int32? {
        let result = try runCordon(["kernel-probe", path.path, "--load-only"])
        guard result.status == 0 else { throw OracleError("kernel-probe --load-only failed: \(result.stderr)") }
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if text == "accepted" { return nil }
        guard text.hasPrefix("refused "), let code = Int32(text.dropFirst(8)) else { throw OracleError("bad answer '\(text)'") }
        return code
    }

    /// The emulator's answer for a call, given the instruction pointer the kernel saw.
    /// i386 calls keep all 64 bits: `int $0x80` from a 64-bit process passes the
    /// upper register halves on, and the probe sends what it is given.
    static func emulate(_ emulator: Emulator, _ call: Call, ip: UInt64) -> Emulator.Outcome {
        emulator.run(SeccompData(nr: call.nr, arch: call.arch.auditArch, instructionPointer: ip, args: call.args))
    }

    /// Compares kernel and emulator on every call; returns the disagreements as text.
    static func disagreements(_ program: Program, _ calls: [Call], at path: URL) throws -> [String] {
        let answers = try ask(path, calls)
        let emulator = Emulator(program)
        var found: [String] = []
        for (call, answer) in zip(calls, answers) {
            switch answer {
            case .returned(let index, let ip):
                let outcome = emulate(emulator, call, ip: ip)
                let emulatorReturned = program.instructions[outcome.returnIndex].isReturn
                if !emulatorReturned || outcome.returnIndex != index {
                    found.append("\(call): kernel reached return \(index), emulator instruction \(outcome.returnIndex)")
                }
            case .killed(let signal):
                // Only a division by X = 0 ends a run without a return; it returns 0.
                let outcome = emulate(emulator, call, ip: 0)
                if program.instructions[outcome.returnIndex].isReturn || outcome.value != 0 {
                    found.append("\(call): kernel killed the caller (signal \(signal)), emulator returned at \(outcome.returnIndex)")
                }
            }
        }
        return found
    }

    /// Every syscall of `arch`'s table plus numbers around it, with `args`.
    static func everySyscall(_ arch: Arch, args: [UInt64] = []) -> [Call] {
        // uretprobe and uprobe never reach a filter (the probe refuses to ask about them).
        var numbers = SyscallTable.forArch(arch).entries.map(\.number)
            .filter { Arch.unfilteredSyscall(auditArch: arch.auditArch, nr: $0) == nil }
        let base: UInt32 = arch == .x32 ? Arch.x32SyscallBit : 0
        numbers += [base | 1000, base | 0x3FFF_FFFF & 0xFFFF, 0xFFFF_FFFF]
        if arch == .x86_64 { numbers += [0x3FFF_FFFF, 0x8000_0000] }
        return numbers.map { Call(arch: arch, nr: $0, args: args) }
    }
}

struct OracleError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
