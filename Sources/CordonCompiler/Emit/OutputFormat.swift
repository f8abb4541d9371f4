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
        if path.hasSuffix(".s") || path.hasSuffix(".gosecco") { return .gosecco }
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
    /// The Go output's variable (`Nonet`); its installer is `Install` + it.
    public let goName: String

    /// `goName` nil: the exported form of `name` (`build_nonet` is `BuildNonet`).
    public init(name: String, policyPath: String, goPackage: String = "main", goName: String? = nil) {
        self.name = name
        self.policyPath = policyPath
        self.goPackage = goPackage
        self.goName = goName ?? Self.exportedGoName(name)
    }

    /// Go's keywords, which no identifier may be.
    public static let goKeywords: Set<String> = [
        "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func", "go", "goto",
        "if", "import", "interface", "map", "package", "range", "return", "select", "struct", "switch", "type", "var",
    ]

    /// An exported Go name from a C identifier: each `_`-separated part
    /// capitalized (`build_nonet` is `BuildNonet`, `cordon_2fast` `Cordon2fast`).
    public static func exportedGoName(_ identifier: String) -> String {
        let joined = identifier.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return joined.isEmpty ? "Policy" : joined
    }

    /// `name` as a Go identifier that is no keyword (`type` becomes `type_`).
    public static func goSafe(_ name: String) -> String { goKeywords.contains(name) ? name + "_" : name }

    /// Why `name` is not a Go package name, or nil when it is one.
    public static func goPackageProblem(_ name: String) -> String? {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic),
              name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }) else {
            return "a Go package name is letters, digits and '_', not starting with a digit"
        }
        if goKeywords.contains(name) { return "'\(name)' is a Go keyword" }
        if name == "_" { return "'_' is the blank identifier" }
        return nil
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
