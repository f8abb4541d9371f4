import CordonBPF
import CordonKernel
import CordonLinux

/// `cordon disasm FILE.bpf [--format listing|gosecco]`
enum DisasmCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "disasm")
        guard args.positional.count == 1 else { throw UsageError("usage: cordon disasm FILE.bpf [--format listing|gosecco]") }
        let format = args.value("--format") ?? "listing"
        guard format == "listing" || format == "gosecco" else { throw UsageError("unknown format '\(format)': use listing or gosecco") }
        let instructions: [Instruction]
        do { instructions = try RawCodec.decode(IO.readBytes(args.positional[0])) }
        catch let error as RawCodec.DecodeError { throw InputError("\(args.positional[0]): \(error)") }
        switch format {
        case "listing": IO.print(Listing.print(instructions))
        case "gosecco":
            do { IO.print(try GoseccoText.print(instructions)) }
            catch { throw InputError("\(args.positional[0]): \(error)") }
        default: throw UsageError("unknown format '\(format)': use listing or gosecco")
        }
        return 0
    }
}

/// `cordon asm FILE [-o OUT.bpf] [--format listing|gosecco]`
enum AsmCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "asm")
        guard args.positional.count == 1 else { throw UsageError("usage: cordon asm FILE [-o OUT.bpf] [--format listing|gosecco]") }
        let path = args.positional[0]
        var format: AssemblerText.Format?
        if let name = args.value("--format") {
            guard let chosen = AssemblerText.Format(rawValue: name) else { throw UsageError("unknown format '\(name)': use listing or gosecco") }
            format = chosen
        }
        _ = try OutputFile.destination(args.value("-o"), inputs: [path])
        let text = try IO.readText(path)
        let instructions: [Instruction]
        do { instructions = try AssemblerText.parse(text, format: format) }
        catch { throw InputError("\(path):\(error.line):\(error.column): error: \(error.message)") }
        let refusals = Validator.refusals(instructions)
        if !refusals.isEmpty {
            let lines = AssemblerText.instructionLineNumbers(text)
            throw InputError(refusals.map { refusal in
                guard let index = refusal.index, index < lines.count else { return "\(path): error: \(refusal)" }
                return "\(path):\(lines[index]):1: error: \(refusal)"
            }.joined(separator: "\n"))
        }
        try OutputFile.write(RawCodec.encode(instructions), to: args.value("-o"), inputs: [path])
        return 0
    }
}

/// `cordon emulate --bpf FILE ARCH SYSCALL [ARG...] [--ip N] [--trace]`, or
/// `cordon emulate POLICY ARCH SYSCALL [ARG...]`.
enum EmulateCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "emulate")
        guard let bpfPath = args.value("--bpf") else { return try PolicyEmulation.run(args) }
        guard args.positional.count >= 2, args.positional.count <= 8 else {
            throw UsageError("usage: cordon emulate --bpf FILE.bpf ARCH SYSCALL [ARG...]")
        }
        let data = try parseCall(args.positional, ip: args.value("--ip"))
        let program: Program
        do {
            program = try Validator.validate(RawCodec.decode(IO.readBytes(bpfPath)))
        } catch let error as RawCodec.DecodeError {
            throw InputError("\(bpfPath): \(error)")
        } catch let error as Validator.Refusal {
            throw InputError("\(bpfPath): the kernel would refuse this program: \(error)")
        }
        let (outcome, path) = Emulator(program).trace(data)
        var decision = SeccompReturn(rawValue: outcome.value)
        if case .errno(let data) = decision, data > SeccompReturn.maxErrno {
            // The kernel caps the errno at MAX_ERRNO before returning it.
            IO.error("note: the program returns ERRNO(\(data)); the kernel caps errno at \(SeccompReturn.maxErrno)")
            decision = .errno(SeccompReturn.maxErrno)
        }
        IO.print("\(decision.named)  at instruction \(outcome.returnIndex)  \(outcome.executed) instructions executed\n")
        if args.has("--trace") {
            let lines = Listing.print(program.instructions).split(separator: "\n")
            for pc in path { IO.print("  " + lines[pc] + "\n") }
        }
        return 0
    }

    /// `ARCH SYSCALL [ARG...]` as the kernel would pass them.
    static func parseCall(_ words: [String], ip: String?) throws -> SeccompData {
        guard let arch = Arch(rawValue: words[0]) else {
            throw UsageError("unknown architecture '\(words[0])': use one of \(Arch.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard words.count >= 2 else { throw UsageError("usage: cordon emulate ... ARCH SYSCALL [ARG...]") }
        guard let nr = ValueSyntax.syscall(words[1], arch: arch) else {
            throw InputError("unknown syscall '\(words[1])' on \(arch)")
        }
        guard words.count <= 8 else { throw UsageError("a syscall has at most six arguments") }
        var values: [UInt64] = []
        for word in words.dropFirst(2) {
            guard let value = ValueSyntax.argument(word, arch: arch) else {
                throw InputError("'\(word)' is neither an integer nor a known constant")
            }
            values.append(value)
        }
        var pointer: UInt64 = 0
        if let ip {
            guard let value = ValueSyntax.integer(ip) else { throw UsageError("--ip needs an integer") }
            pointer = value
        }
        return SeccompData(arch: arch, nr: nr, instructionPointer: pointer, args: values)
    }
}

/// `cordon kernel-probe FILE.bpf [--load-only]`: asks the live kernel which
/// return each call on standard input reaches (see `ProbeRequest`), or with
/// `--load-only` whether it accepts the program at all. For tests and for
/// checking a program against the kernel by hand; it never runs a syscall.
enum KernelProbeCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "kernel-probe")
        guard args.positional.count == 1 else { throw UsageError("usage: cordon kernel-probe FILE.bpf [--load-only] < CALLS") }
        let path = args.positional[0]
        let instructions: [Instruction]
        do { instructions = try RawCodec.decode(IO.readBytes(path)) }
        catch let error as RawCodec.DecodeError { throw InputError("\(path): \(error)") }
        if args.has("--load-only") {
            let code = try KernelProbe.loadErrno(instructions)
            IO.print(code == 0 ? "accepted\n" : "refused \(code)\n")
            return 0
        }
        let program: Program
        do { program = try Validator.validate(instructions) }
        catch { throw InputError("\(path): \(error)") }
        let calls: [KernelProbe.Call]
        do { calls = try ProbeRequest.parse(IO.readText("-")) }
        catch { throw InputError("standard input: \(error)") }
        IO.print(ProbeRequest.format(try KernelProbe.decide(program, calls: calls)))
        return 0
    }
}
