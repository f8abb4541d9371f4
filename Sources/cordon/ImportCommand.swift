import CordonImport
import CordonLinux
import CordonPolicy
import Foundation

/// `cordon import PROFILE.json -o policy.tcl [--arch HOST] [--cap CAP]... [--kernel X.Y] [--notice FILE]`
enum ImportCommand {
    static func run(_ words: [String]) throws -> Int32 {
        // --cap may repeat: gather them before the common parsing.
        var rest: [String] = [], caps: Set<String> = []
        var i = 0
        while i < words.count {
            if words[i] == "--cap", i + 1 < words.count {
                for cap in words[i + 1].split(separator: ",").map(String.init) {
                    guard let name = Capabilities.canonical(cap) else {
                        let upper = cap.uppercased()
                        let hint = Suggest.closest(to: upper.hasPrefix("CAP_") ? upper : "CAP_" + upper, in: Capabilities.names)
                        throw UsageError("unknown capability \(PolicyText.quoted(cap))" + (hint.map { " (did you mean \($0)?)" } ?? "")
                                         + ": capabilities are CAP_CHOWN ... CAP_CHECKPOINT_RESTORE, with or without CAP_")
                    }
                    caps.insert(name)
                }
                i += 2
            } else {
                rest.append(words[i])
                i += 1
            }
        }
        let args = try Arguments(rest, for: "import")
        guard args.positional.count == 1 else {
            throw UsageError("usage: cordon import PROFILE.json [-o policy.tcl] [--arch HOST] [--cap CAP]... [--kernel X.Y] [--harden]")
        }
        let path = args.positional[0]
        let inputs = [path] + (args.value("--notice").map { [$0] } ?? [])
        _ = try OutputFile.destination(args.value("-o"), inputs: inputs)
        switch args.value("--from") ?? "docker" {
        case "docker": break
        case "gosecco": return try importGosecco(path, output: args.value("-o"), inputs: inputs)
        case let other: throw UsageError("--from \(other): use docker or gosecco")
        }
        guard let host = ImportOptions.hostName(args.value("--arch") ?? "amd64") else {
            throw UsageError("unknown host architecture '\(args.value("--arch")!)': use amd64, x86, arm64, arm, riscv64, ppc64le, s390x or loong64")
        }
        var kernel: [Int]?
        if let text = args.value("--kernel") {
            let parts = text.split(separator: ".").map { Int($0) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { throw UsageError("--kernel takes a version such as 5.10") }
            kernel = parts.map { $0! }
        }
        let notice = try args.value("--notice").map { try IO.readText($0).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
        let text: String
        do {
            let profile = try Profile.decode(IO.readBytes(path))
            let resolved = ResolvedProfile(profile, ImportOptions(host: host, capabilities: caps, kernel: kernel, harden: args.has("--harden")))
            text = try PolicyWriter.write(resolved, source: (path as NSString).lastPathComponent,
                                          notice: notice.last == "" ? Array(notice.dropLast()) : notice)
        } catch let error as ImportError {
            throw InputError(error.rendered(path: path))
        }
        try OutputFile.write(Array(text.utf8), to: args.value("-o"), inputs: inputs)
        return 0
    }

    /// `--from gosecco`: the policy as gosecco's documentation defines it,
    /// a warning at each line where gosecco's compiler decides otherwise,
    /// checked by cordon's front end before it is written.
    private static func importGosecco(_ path: String, output: String?, inputs: [String]) throws -> Int32 {
        let text = try IO.readText(path)
        let result: GoseccoImport.Result
        do { result = try GoseccoImport.convert(text, source: (path as NSString).lastPathComponent) } catch {
            throw InputError(error.rendered(path: path))
        }
        for warning in result.warnings { IO.error("\(path):\(warning.line): warning: \(warning.message)") }
        let checked = FrontEnd.check(SourceFile(path: output ?? "imported.tcl", text: result.text), read: { _ in nil })
        guard checked.policy != nil else {
            let errors = checked.diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n")
            throw InputError("\(path): error: the imported policy does not check (an importer bug):\n\(errors)")
        }
        try OutputFile.write(Array(result.text.utf8), to: output, inputs: inputs)
        return 0
    }
}
