/// A tiny argument reader: options (`--name VALUE`, `-o VALUE`, flags) and
/// positional words, `--` ending options. Parsing only; commands do the rest.
struct Arguments {
    private(set) var positional: [String] = []
    private var options: [String: String] = [:]
    private var flags: Set<String> = []
    /// Words after `--`, verbatim.
    private(set) var rest: [String] = []

    /// Reads `words` with the options `command`'s help lists: its help is
    /// the one list of what it accepts.
    init(_ words: [String], for command: String) throws(UsageError) {
        let options = CommandHelp.of(command)?.options ?? []
        try self.init(words, valued: Set(options.filter { $0.value != nil }.flatMap(\.names)),
                      flags: Set(options.filter { $0.value == nil }.flatMap(\.names)))
    }

    /// Reads `words` given which options take a value and which are flags.
    init(_ words: [String], valued: Set<String>, flags known: Set<String>) throws(UsageError) {
        var i = 0
        while i < words.count {
            let word = words[i]
            if word == "--" {
                rest = Array(words[(i + 1)...])
                break
            }
            if valued.contains(word) {
                guard i + 1 < words.count else { throw UsageError("\(word) needs a value") }
                options[word] = words[i + 1]
                i += 2
                continue
            }
            if known.contains(word) {
                flags.insert(word)
            } else if word.hasPrefix("-") && word.count > 1 && !Self.isNegativeNumber(word) {
                throw UsageError("unknown option \(word)")
            } else {
                positional.append(word)
            }
            i += 1
        }
    }

    func value(_ name: String) -> String? { options[name] }
    func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// Negative numbers (`-1`, `-0x10`) are positional words, not options.
    private static func isNegativeNumber(_ word: String) -> Bool {
        Int64(word) != nil || word.hasPrefix("-0x")
    }
}

/// A command-line mistake: exit status 2.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// The input is wrong (a bad file, an unknown name): exit status 1.
struct InputError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
