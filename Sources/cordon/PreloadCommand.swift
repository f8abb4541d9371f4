import CordonCompiler
import Foundation

/// `cordon preload POLICY -o FILE.so [--name NAME] [--template FILE] [-O0|-O2]`
enum PreloadCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "preload")
        guard args.positional.count == 1, let output = args.value("-o"), output != "-" else {
            throw UsageError("usage: cordon preload POLICY -o FILE.so [--name NAME] [--template FILE]")
        }
        let path = args.positional[0]
        // bash's `enable -f ./nonet.so nonet` looks up nonet_struct: the
        // name follows the shared object's file name unless given.
        let name = args.value("--name") ?? EmitContext.identifier(fromPath: output)
        guard EmitContext.identifier(fromPath: name) == name else {
            throw UsageError("--name '\(name)' is not a valid C identifier")
        }
        let inputs = [path] + (args.value("--template").map { [$0] } ?? [])
        _ = try OutputFile.destination(output, inputs: inputs)
        let template = try args.value("--template").map { try IO.readText($0) } ?? Preload.template
        let (loaded, files) = try loadPolicyAndFiles(path)
        guard let policy = loaded else { return 1 }
        let compiled: CompiledProgram
        do { compiled = try Compiler.compile(policy, level: args.has("-O0") ? .direct : .optimizing) }
        catch { throw InputError("\(path): error: \(error)") }
        guard compiled.program.count + Preload.markerLength <= 4096 else {
            throw InputError("\(path): error: the filter has \(compiled.program.count) instructions; with the .so's \(Preload.markerLength)-instruction marker it exceeds the kernel's 4096")
        }
        let header = Emitter.emit(compiled, as: .c, EmitContext(name: name, policyPath: path))
        let cookie = Preload.cookie(Emitter.emit(compiled, as: .raw, EmitContext(name: name, policyPath: path)))
        let object: [UInt8]
        do {
            object = try Preload.build(source: Preload.render(template, name: name, cookie: cookie), header: header,
                                       compiler: ProcessInfo.processInfo.environment["CC"])
        } catch {
            throw InputError("cordon preload: \(error)")
        }
        try OutputFile.write(object, to: output, inputs: files + inputs, mode: 0o755)
        IO.error(Preload.gapsNote(output))
        return 0
    }
}
