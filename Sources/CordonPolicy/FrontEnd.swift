import CordonLinux
import Foundation

/// The front end's driver: reads a policy and the files it sources, parses
/// and checks them, and lowers them to the IR. Diagnostics come back as
/// data; the policy only when there is no error.
public enum FrontEnd {
    /// Reads a file's text by path; nil when it cannot be read.
    public typealias Reader = @Sendable (String) -> String?

    /// Reads files from disk.
    public static let diskReader: Reader = { path in
        FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
    }

    /// The result of checking a policy.
    public struct Result: Sendable {
        /// The IR, when there is no error.
        public let policy: IRPolicy?
        /// Errors and warnings, in file and position order.
        public let diagnostics: [Diagnostic]
        /// Whether any diagnostic is an error.
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// The policy file itself could not be read.
    public struct UnreadableFile: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "\(path): cannot read the file" }
    }

    /// Checks the policy at `path` and lowers it.
    public static func check(path: String, read: @escaping Reader = diskReader) throws(UnreadableFile) -> Result {
        guard let text = read(path) else { throw UnreadableFile(path: path) }
        return check(SourceFile(path: path, text: text), read: read)
    }

    /// Checks a policy given as text (`path` names it in messages and is the
    /// base of relative `source` paths).
    public static func check(_ root: SourceFile, read: @escaping Reader = diskReader) -> Result {
        // Checking recurses along the policy's structure: give it room.
        LargeStack.run { checkOnThisStack(root, read: read) }
    }

    private static func checkOnThisStack(_ root: SourceFile, read: Reader) -> Result {
        var sink = DiagnosticSink()
        var items: [TopItem] = []
        load(root, stack: [canonical(root.path)], read: read, into: &items, &sink)

        var globals: [String: SetAST] = [:]
        var blocks: [(BlockAST, [String: SetAST])] = []
        var blockOf: [Arch: SourceLocation] = [:]
        var badarch: ActionAST?
        var expects: [ExpectAST] = []
        for item in items {
            switch item {
            case .set(let definition):
                if let first = globals[definition.name] {
                    sink.report(Msg.duplicateSet(definition.name), at: definition.location,
                                notes: [Diagnostic.Note(message: Msg.firstSetHere(), location: first.location)])
                } else {
                    globals[definition.name] = definition
                }
            case .block(let block):
                for (arch, location) in block.arches {
                    if let first = blockOf[arch] {
                        sink.report(Msg.duplicateArch(arch.rawValue), at: location,
                                    notes: [Diagnostic.Note(message: Msg.firstBlockHere(), location: first)])
                    } else {
                        blockOf[arch] = location
                    }
                }
                blocks.append((block, globals))
            case .badarch(let action):
                if badarch != nil { sink.report(Msg.duplicateBadarch(), at: action.location) } else { badarch = action }
            case .expect(let expect):
                expects.append(expect)
            case .source:
                break  // already followed by load
            }
        }

        var irBlocks: [IRBlock] = []
        for (block, scope) in blocks {
            if !Reachability.returns(block.body.statements, &sink) {
                sink.report(Msg.missingReturn(block.name), at: block.body.end)
            }
            var seen: Set<Arch> = []
            for (arch, _) in block.arches where seen.insert(arch).inserted {
                var lowering = BlockLowering(arch: arch, block: block, globals: scope)
                let statements = lowering.lower(block.body.statements, &sink)
                let ir = IRBlock(arch: arch, name: block.name, statements: statements, location: block.location)
                if !sink.hasErrors { Lints.check(ir, mentioned: lowering.expressions.mentionedSyscalls, &sink) }
                if blockOf[arch] == block.arches.first(where: { $0.arch == arch })?.location { irBlocks.append(ir) }
            }
        }

        let expectations = expects.compactMap { resolve($0, &sink) }
        let decision = Decision(action: badarch?.action ?? .killProcess, location: badarch?.location)
        let policy = sink.hasErrors ? nil : IRPolicy(blocks: irBlocks, badarch: decision, expectations: expectations)
        return Result(policy: policy, diagnostics: sink.sorted)
    }

    /// Parses `file` and splices in the files it sources, in place.
    private static func load(_ file: SourceFile, stack: [String], read: Reader, into items: inout [TopItem], _ sink: inout DiagnosticSink) {
        let ast = Parser.parse(file, &sink)
        for item in ast.items {
            guard case .source(let word) = item else {
                items.append(item)
                continue
            }
            let path = word.text.hasPrefix("/") ? word.text
                : (file.path as NSString).deletingLastPathComponent.isEmpty ? word.text
                : ((file.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(word.text)
            let key = canonical(path)
            if let index = stack.firstIndex(of: key) {
                let chain = (stack[index...] + [key]).map { ($0 as NSString).lastPathComponent }.joined(separator: " -> ")
                sink.report(Msg.sourceCycle(chain), at: word.location)
                continue
            }
            guard let text = read(path) else {
                sink.report(Msg.sourceNotFound(path), at: word.location)
                continue
            }
            load(SourceFile(path: path, text: text), stack: stack + [key], read: read, into: &items, &sink)
        }
    }

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Resolves an `expect` line's names on its architecture.
    private static func resolve(_ expect: ExpectAST, _ sink: inout DiagnosticSink) -> Expectation? {
        let table = SyscallTable.forArch(expect.arch)
        guard let nr = ValueSyntax.syscall(expect.syscall.text, arch: expect.arch) else {
            sink.report(Msg.unknownSyscall(expect.syscall.text, expect.arch.rawValue,
                                           Suggest.closest(to: expect.syscall.text, in: table.names)), at: expect.syscall.location)
            return nil
        }
        var args: [UInt64] = []
        for word in expect.arguments {
            guard let value = ValueSyntax.argument(word.text, arch: expect.arch) else {
                if word.text.first.map({ $0.isNumber || $0 == "-" }) == true {
                    sink.report(Msg.badNumber(word.text), at: word.location)
                } else {
                    sink.report(Msg.unknownConstant(word.text, Suggest.closest(to: word.text, in: ConstantTable.names)), at: word.location)
                }
                return nil
            }
            args.append(value)
        }
        return Expectation(arch: expect.arch, nr: nr, args: args, call: expect.syscall.text,
                           action: expect.action.action, location: expect.location)
    }
}
