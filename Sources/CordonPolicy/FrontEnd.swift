import CordonLinux
import Foundation

/// The front end's driver: reads a policy and the files it sources, parses
/// and checks them, and lowers them to the IR. Diagnostics come back as
/// data; the policy only when there is no error.
public enum FrontEnd {
    /// Reads a file's text by path; nil when it cannot be read.
    public typealias Reader = @Sendable (String) -> String?

    /// A file as a loader found it: its text, or why it cannot be used.
    public enum Loaded: Sendable {
        case text(String)
        /// It cannot be opened or read; the reason.
        case unreadable(String)
        /// It is not UTF-8 text; where and why.
        case notText(TextDecoding.Failure)
    }

    /// Reads a file by path, saying why it cannot be used.
    public typealias Loader = @Sendable (String) -> Loaded

    /// Reads files from disk.
    public static let diskLoader: Loader = { path in
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .unreadable("no such file") }
        guard !isDirectory.boolValue else { return .unreadable("it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else { return .unreadable("permission denied or not readable") }
        switch TextDecoding.decode([UInt8](data)) {
        case .success(let text): return .text(text)
        case .failure(let failure): return .notText(failure)
        }
    }

    /// Reads files from disk (text only; nil for anything else).
    public static let diskReader: Reader = { path in
        if case .text(let text) = diskLoader(path) { return text }
        return nil
    }

    /// How deep `source` may nest, and how many files one policy may read.
    public static let sourceDepthLimit = 32, sourceFileLimit = 1000

    /// The result of checking a policy.
    public struct Result: Sendable {
        /// The IR, when there is no error.
        public let policy: IRPolicy?
        /// Errors and warnings, in file and position order.
        public let diagnostics: [Diagnostic]
        /// Whether any diagnostic is an error.
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
        /// Every file read, the policy first, then each sourced file once.
        public let files: [String]
    }

    /// The policy file itself could not be used.
    public struct UnreadableFile: Error, CustomStringConvertible {
        public let path: String
        /// `PATH: reason`, or `PATH:LINE:COL: error: reason` when located.
        public let description: String
    }

    /// `-D NAME=VALUE` on the command line: a top-level `set` that comes
    /// before the policy and replaces any `set` of NAME in it.
    public struct Define: Sendable, Hashable {
        public let name: String
        public let value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Checks the policy at `path` and lowers it.
    public static func check(path: String, load: @escaping Loader = diskLoader, defines: [Define] = []) throws(UnreadableFile) -> Result {
        switch load(path) {
        case .text(let text): return check(SourceFile(path: path, text: text), load: load, defines: defines)
        case .unreadable(let reason): throw UnreadableFile(path: path, description: "\(path): cannot read the file: \(reason)")
        case .notText(let failure):
            throw UnreadableFile(path: path, description: "\(path):\(failure.line):\(failure.column): error: \(failure.message)")
        }
    }

    /// Checks a policy given as text, reading sourced files with `read`.
    public static func check(_ root: SourceFile, read: @escaping Reader) -> Result {
        check(root, load: { path in read(path).map { .text($0) } ?? .unreadable("no such file") })
    }

    /// Checks a policy given as text (`path` names it in messages and is the
    /// base of relative `source` paths).
    public static func check(_ root: SourceFile, load: @escaping Loader = diskLoader, defines: [Define] = []) -> Result {
        // Checking recurses along the policy's structure: give it room.
        LargeStack.run { checkOnThisStack(root, load: load, defines: defines) }
    }

    /// The `-D` definitions as `set`s, each parsed from its own one-line
    /// file named `-D NAME`, so a mistake in one is located there.
    private static func definitions(_ defines: [Define], _ sink: inout DiagnosticSink) -> [String: SetAST] {
        var result: [String: SetAST] = [:]
        for define in defines {
            let file = SourceFile(path: "-D \(define.name)", text: "set \(define.name) {\(define.value)}")
            let items = Parser.parse(file, &sink).items
            // One `set` and nothing else: braces in VALUE cannot add commands.
            guard items.count == 1, case .set(let definition) = items[0] else {
                if !sink.hasErrors { sink.report(Msg.wrongArguments("-D NAME=VALUE, VALUE one set value"), at: SourceLocation(file: file, offset: 0)) }
                continue
            }
            result[definition.name] = definition
        }
        return result
    }

    private static func checkOnThisStack(_ root: SourceFile, load: Loader, defines: [Define]) -> Result {
        var sink = DiagnosticSink()
        var items: [TopItem] = []
        var includes = Includes(root: canonical(root.path), rootPath: root.path)
        includes.load(root, load: load, into: &items, &sink)

        // -D NAME=VALUE: defined before the policy, replacing its own `set NAME`.
        let defined = definitions(defines, &sink)
        var globals: [String: SetAST] = defined
        var blocks: [(BlockAST, [String: SetAST])] = []
        var blockOf: [Arch: SourceLocation] = [:]
        var badarch: ActionAST?
        var expects: [ExpectAST] = []
        for item in items {
            switch item {
            case .set(let definition):
                if defined[definition.name] != nil { continue }
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
            case .badarch(let written):
                guard let action = written.resolved({ globals[$0] }, &sink) else { continue }
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
                var lowering = BlockLowering(arch: arch, block: block, globals: scope, defined: Set(defined.keys))
                let statements = lowering.lower(block.body.statements, &sink)
                let ir = IRBlock(arch: arch, name: block.name, statements: statements, location: block.location)
                if !sink.hasErrors {
                    Lints.check(ir, mentioned: lowering.expressions.mentionedSyscalls, &sink)
                    WidthLint.check(ir, &sink)
                }
                if blockOf[arch] == block.arches.first(where: { $0.arch == arch })?.location { irBlocks.append(ir) }
            }
        }

        let expectations = expects.compactMap { resolve($0, globals: globals, &sink) }
        let decision = Decision(action: badarch?.action ?? .killProcess, location: badarch?.location)
        if let badarch, badarch.action == .allow { sink.report(Msg.badarchAllows(), at: badarch.location) }
        if blocks.isEmpty, !sink.hasErrors {
            sink.report(Msg.noBlocks("\(decision.action)"), at: SourceLocation(file: root, offset: 0))
        }
        let policy = sink.hasErrors ? nil : IRPolicy(blocks: irBlocks, badarch: decision, expectations: expectations)
        return Result(policy: policy, diagnostics: sink.sorted, files: includes.paths)
    }

    /// The `source` tree being followed: each file is read once (a second
    /// `source` of a file already included is skipped, so a diamond costs
    /// nothing), nesting is limited, and so is the number of files.
    private struct Includes {
        /// The canonical paths of the files being included, outermost first.
        var stack: [String]
        /// Every file included so far (canonical paths), and as named.
        var seen: Set<String>
        var paths: [String]

        init(root: String, rootPath: String) {
            stack = [root]
            seen = [root]
            paths = [rootPath]
        }

        /// Parses `file` and splices in the files it sources, in place.
        mutating func load(_ file: SourceFile, load read: Loader, into items: inout [TopItem], _ sink: inout DiagnosticSink) {
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
                    sink.report(Msg.sourceCycle(chain(stack[index...] + [key])), at: word.location)
                    continue
                }
                if seen.contains(key) { continue }
                if stack.count >= FrontEnd.sourceDepthLimit {
                    sink.report(Msg.sourceTooDeep(FrontEnd.sourceDepthLimit, chain(stack[...] + [key])), at: word.location)
                    continue
                }
                if seen.count >= FrontEnd.sourceFileLimit {
                    sink.report(Msg.sourceTooMany(FrontEnd.sourceFileLimit), at: word.location)
                    continue
                }
                let text: String
                switch read(path) {
                case .text(let contents): text = contents
                case .unreadable(let reason):
                    sink.report(Msg.sourceNotFound(path, reason), at: word.location)
                    continue
                case .notText(let failure):
                    sink.report(Msg.sourceNotText(path, failure.line, failure.column, failure.message), at: word.location)
                    continue
                }
                seen.insert(key)
                paths.append(path)
                stack.append(key)
                self.load(SourceFile(path: path, text: text), load: read, into: &items, &sink)
                stack.removeLast()
            }
        }

        private func chain(_ keys: ArraySlice<String>) -> String {
            keys.map { ($0 as NSString).lastPathComponent }.joined(separator: " -> ")
        }
    }

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Resolves an `expect` line's names on its architecture.
    private static func resolve(_ expect: ExpectAST, globals: [String: SetAST], _ sink: inout DiagnosticSink) -> Expectation? {
        guard let action = expect.action.resolved({ globals[$0] }, &sink) else { return nil }
        let table = SyscallTable.forArch(expect.arch)
        guard let nr = ValueSyntax.syscall(expect.syscall.text, arch: expect.arch) else {
            sink.report(Msg.unknownSyscall(expect.syscall.text, expect.arch.rawValue,
                                           Suggest.closest(to: expect.syscall.text, in: table.names)), at: expect.syscall.location)
            return nil
        }
        // Each argument is a constant expression (`O_WRONLY|O_CREAT`, `$FD`,
        // `-1`), read as a 64-bit value (32 bits on a 32-bit ABI).
        var lowering = ExprLowering(arch: expect.arch, blockArches: [expect.arch], shared: false,
                                    scope: globals.mapValues { SetVariable(definition: $0) })
        var args: [UInt64] = []
        for word in expect.arguments {
            guard let expr = ExprParser.parse(word.kind == .bare ? word.range : word.content, &sink),
                  let value = lowering.evaluate(expr, &sink),
                  let exact = lowering.asInteger(value, word.range, operatorRange: nil, &sink),
                  let pattern = lowering.fieldValue(expect.arch.argumentBits == 32 ? .argumentLow(0) : .argument(0), exact, word.range, &sink)
            else { return nil }
            args.append(pattern)
        }
        return Expectation(arch: expect.arch, nr: nr, args: args, call: expect.syscall.text,
                           action: action.action, location: expect.location)
    }
}
