import CordonBPF
import CordonCompiler
import CordonLinux
import CordonPolicy
import Foundation

/// A program to analyse: a raw `.bpf` file, or a policy compiled at -O2.
enum AnalysedProgram {
    /// Reads `path`: raw bytes when it ends in `.bpf`, else a policy (given
    /// as `text` when it does not come from the disk).
    static func load(_ path: String, text: String? = nil, sources: @escaping FrontEnd.Loader = FrontEnd.diskLoader) throws -> [Instruction] {
        if path.hasSuffix(".bpf") && text == nil {
            do { return try RawCodec.decode(IO.readBytes(path)) } catch let error as RawCodec.DecodeError {
                throw InputError("\(path): \(error)")
            }
        }
        let result: FrontEnd.Result
        let defines = DiagnosticOutput.options.defines
        if let text {
            result = FrontEnd.check(SourceFile(path: path, text: text), load: sources, defines: defines)
        } else {
            do { result = try FrontEnd.check(path: path, defines: defines) } catch { throw InputError(error.description) }
        }
        // Warnings, if any, belong to `cordon check`; -Werror still fails here.
        let shown = DiagnosticOutput.options.warningsAsErrors ? result.diagnostics : result.diagnostics.filter { $0.severity == .error }
        guard !DiagnosticOutput.show(shown), let policy = result.policy else { throw InputError("\(path): the policy has errors") }
        do { return try Compiler.compile(policy, level: .optimizing).program.instructions } catch {
            throw InputError("\(path): error: \(error)")
        }
    }

    /// The policy at `path` as committed in `revision` (`git show REV:./PATH`).
    /// Its bytes are decoded as the disk loader decodes a file.
    static func committedText(_ path: String, revision: String) throws -> String {
        guard !revision.hasPrefix("-") else { throw UsageError("--from-git \(revision): not a revision") }
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let relative = path.hasPrefix("/") ? path : "./" + path
        git.arguments = ["git", "show", "\(revision):\(relative)"]
        let out = Pipe(), err = Pipe()
        git.standardOutput = out
        git.standardError = err
        do { try git.run() } catch { throw InputError("cordon diff: cannot run git: \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        git.waitUntilExit()
        guard git.terminationStatus == 0 else {
            throw InputError("cordon diff: git show \(revision):\(relative): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        switch TextDecoding.decode([UInt8](data)) {
        case .success(let text): return text
        case .failure(let failure):
            throw InputError("\(path)@\(revision):\(failure.line):\(failure.column): error: \(failure.message)")
        }
    }

    /// Reads the files a committed policy sources from the same revision,
    /// so `--from-git` compares the policy as it was, sources included.
    static func committedLoader(revision: String) -> FrontEnd.Loader {
        { path in
            do { return .text(try committedText(path, revision: revision)) } catch let error as InputError {
                return .unreadable(error.message.replacingOccurrences(of: "cordon diff: ", with: ""))
            } catch {
                return .unreadable("\(error)")
            }
        }
    }
}

/// `cordon diff A B` and `cordon diff --from-git REV POLICY`: every class of
/// inputs on which two filters decide differently; exit 0 when none, 1 when some.
enum DiffCommand {
    static let usage = "usage: cordon diff A B | cordon diff --from-git REV POLICY   (A, B: policies or raw .bpf programs)"

    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "diff")
        let a: [Instruction], b: [Instruction], names: (String, String)
        if let revision = args.value("--from-git") {
            guard args.positional.count == 1 else { throw UsageError(usage) }
            let path = args.positional[0]
            a = try AnalysedProgram.load("\(path)@\(revision)", text: AnalysedProgram.committedText(path, revision: revision),
                                         sources: AnalysedProgram.committedLoader(revision: revision))
            b = try AnalysedProgram.load(path)
            names = ("\(path)@\(revision)", path)
        } else {
            guard args.positional.count == 2 else { throw UsageError(usage) }
            a = try AnalysedProgram.load(args.positional[0])
            b = try AnalysedProgram.load(args.positional[1])
            names = (args.positional[0], args.positional[1])
        }
        let store = WordSets()
        let found: (differences: [ProgramDiff.Difference], classes: Int)
        do { found = try ProgramDiff.differences(a, b, in: store) } catch { throw InputError("cordon diff: \(error)") }
        let lines = render(ProgramDiff.merged(ProgramDiff.realizable(found.differences, in: store), in: store), store: store)
        if lines.isEmpty {
            IO.print("\(names.0) and \(names.1) decide alike on every input (\(found.classes) classes compared)\n")
            return 0
        }
        IO.print("# ARCH  SYSCALLS  CONDITION  \(names.0) -> \(names.1)\n" + lines.joined(separator: "\n") + "\n")
        IO.print("\(lines.count) difference\(lines.count == 1 ? "" : "s") (\(found.classes) classes compared)\n")
        return 1
    }

    /// One line per architecture, condition and pair of actions, the syscalls merged.
    static func render(_ differences: [ProgramDiff.Difference], store: WordSets) -> [String] {
        let text = ClassText(store: store)
        struct Key: Hashable { let arch: String, condition: String, a: UInt32, b: UInt32 }
        var order: [Key] = [], syscalls: [Key: [String]] = [:]
        for difference in differences {
            for row in text.rows(difference.words) {
                let key = Key(arch: row.arch, condition: row.condition, a: difference.a, b: difference.b)
                if syscalls[key] == nil { order.append(key) }
                syscalls[key, default: []].append(row.syscalls)
            }
        }
        let archOrder = Arch.allCases.map(\.rawValue)
        order.sort { ($0.arch, $0.condition) < ($1.arch, $1.condition) }
        order.sort { (archOrder.firstIndex(of: $0.arch) ?? 99) < (archOrder.firstIndex(of: $1.arch) ?? 99) }
        return order.map { key in
            let a = SeccompReturn(rawValue: key.a).named, b = SeccompReturn(rawValue: key.b).named
            return "\(key.arch)  \(syscalls[key]!.joined(separator: " "))  \(key.condition)  \(a) -> \(b)"
        }
    }
}
