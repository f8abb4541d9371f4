import CordonBPF
import CordonLinux
import CordonPolicy

/// The output formats of `cordon compile`.
public enum OutputFormat: String, CaseIterable, Sendable {
    case c, raw, gosecco, go, listing

    /// The format an output path's extension implies: `.h` c, `.bpf` raw,
    /// `.s` gosecco, `.go` go; anything else (and standard output) c.
    public static func forPath(_ path: String?) -> OutputFormat {
        guard let path, path != "-" else { return .c }
        if path.hasSuffix(".h") { return .c }
        if path.hasSuffix(".bpf") { return .raw }
        if path.hasSuffix(".s") { return .gosecco }
        if path.hasSuffix(".go") { return .go }
        return .c
    }
}

/// What the emitters need besides the program.
public struct EmitContext: Sendable {
    /// The prefix of C and Go identifiers.
    public let name: String
    /// The policy file, for the header comment.
    public let policyPath: String
    /// The Go package.
    public let goPackage: String

    public init(name: String, policyPath: String, goPackage: String = "main") {
        self.name = name
        self.policyPath = policyPath
        self.goPackage = goPackage
    }

    /// The policy's file name, as the header comments show it: without the
    /// folders, so an output does not depend on how the path was spelled
    /// (`p.tcl`, `./p.tcl`, `/src/p.tcl`) and `--check` passes from any folder.
    public var policyName: String {
        String(policyPath.split(separator: "/").last ?? Substring(policyPath))
    }

    /// A `FILE:LINE` note with FILE relative to the policy's folder:
    /// `lib/net.tcl:3` for a file the policy sources from `lib/`.
    public func displayed(note: String) -> String {
        guard let slash = policyPath.lastIndex(of: "/") else { return note }
        let folder = policyPath[...slash]
        return note.hasPrefix(folder) ? String(note.dropFirst(folder.count)) : note
    }

    /// A valid C and Go identifier from a file name: `build-nonet.tcl` is `build_nonet`.
    public static func identifier(fromPath path: String) -> String {
        var base = Substring(path.split(separator: "/").last ?? "policy")
        if let dot = base.lastIndex(of: ".") , dot != base.startIndex { base = base[..<dot] }
        var result = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        if result.isEmpty { result = "policy" }
        if result.first!.isNumber { result = "cordon_" + result }
        return result
    }
}

/// Formats a compiled program; the emitters only format, they decide nothing.
public enum Emitter {
    public static func emit(_ compiled: CompiledProgram, as format: OutputFormat, _ context: EmitContext) -> [UInt8] {
        switch format {
        case .raw: return RawCodec.encode(compiled.program.instructions)
        case .listing: return Array(Listing.print(compiled.program.instructions).utf8)
        case .gosecco:
            // Generated programs use only gosecco's mnemonics.
            return Array(((try? GoseccoText.print(compiled.program.instructions)) ?? "").utf8)
        case .c: return Array(CHeaderEmitter.emit(compiled, context).utf8)
        case .go: return Array(GoSourceEmitter.emit(compiled, context).utf8)
        }
    }

    /// The comment for instruction `pc`: its meaning, and its policy line.
    static func comments(_ compiled: CompiledProgram, _ context: EmitContext) -> [String] {
        let meanings = Listing.meanings(compiled.program.instructions)
        return meanings.enumerated().map { pc, meaning in
            let note = compiled.notes[pc].map { "; \(context.displayed(note: $0))" } ?? ""
            return PolicyText.cComment(meaning + note)
        }
    }
}
