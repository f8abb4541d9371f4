/// One class of inputs a program decides alike: for each `seccomp_data`
/// word the program reads on the way, the exact set of values that takes
/// this path (a word it never reads may hold anything), and the value the
/// program returns for all of them.
public struct InputClass: Sendable {
    /// Sets by word offset (0 nr, 4 arch, 8 and 12 the instruction pointer,
    /// 16 + 8n and 20 + 8n argument n's two words as the kernel stores them).
    public var words: [UInt32: WordSets.WordSet]
    /// The return value.
    public let value: UInt32
}

/// The exact partition of a program's inputs into classes with one decision
/// each, by symbolic execution over the 32-bit words of `seccomp_data`
/// (`SymbolicRegisters` for the straight-line code, `ProgramDiagram` for
/// the jumps).
///
/// Handled: loads of `seccomp_data` words, of constants and of the length;
/// the scratch memory and the X register holding either; `JEQ`/`JGT`/`JGE`/
/// `JSET` and `JA`; `AND` with a constant (or a constant X) on a loaded word;
/// every ALU operation on constants; `RET K`, and `RET A` of a constant.
/// That covers what libseccomp, Kafel, OpenSSH's macros, gosecco and cordon
/// emit. Anything else (arithmetic on a loaded word other than `AND`, a
/// comparison of two loaded words) is refused with the instruction: never
/// approximated.
public enum ProgramClasses {
    /// Why a program could not be analysed.
    public enum Refusal: Error, CustomStringConvertible, Sendable, Equatable {
        case unsupported(index: Int, why: String)
        case tooManyClasses(Int)
        /// The code reached in more than this many distinct register states
        /// (a program that computes different constants on different paths).
        case tooManyStates(Int)
        /// Its decision diagram needs more work than `DecisionDiagrams.workBudget`.
        case diagramTooLarge

        public var description: String {
            switch self {
            case .unsupported(let index, let why): return "instruction \(index): \(why): the analysis cannot follow it exactly, so it stops there"
            case .tooManyClasses(let n): return "the program splits its inputs into more than \(n) classes"
            case .tooManyStates(let n): return "the program's code holds more than \(n) distinct register contents"
            case .diagramTooLarge: return "the program's decisions need a decision diagram larger than the analysis builds (its tests of one word depend on too many values of another)"
            }
        }
    }

    /// The classes of `program`'s inputs: the paths of its decision
    /// diagram (`ProgramDiagram`), so code that many paths share is
    /// analysed once, and the classes are as few as the program's
    /// decisions allow in the diagram's word order. `tests`, when given,
    /// gathers the comparisons made of each word. Throws past `limit` classes.
    public static func classes(_ program: [Instruction], in store: WordSets, limit: Int = 1_000_000,
                               tests: WordTests? = nil) throws(Refusal) -> [InputClass] {
        let diagrams = DecisionDiagrams(words: store)
        let root = try ProgramDiagram.build(program, in: diagrams, tests: tests)
        return try diagrams.paths(root, limit: limit).map { InputClass(words: $0.words, value: UInt32($0.value)) }
    }

    static func holds(_ op: UInt16, _ a: UInt32, _ k: UInt32) -> Bool {
        switch op {
        case 0x10: return a == k
        case 0x20: return a > k
        case 0x30: return a >= k
        default: return a & k != 0
        }
    }

    /// Whether `data`'s words are in `inputClass`.
    public static func contains(_ inputClass: InputClass, _ words: (UInt32) -> UInt32, in store: WordSets) -> Bool {
        contains(inputClass.words, words, in: store)
    }

    /// Whether the input whose words `words` gives is in the sets `sets`.
    public static func contains(_ sets: [UInt32: WordSets.WordSet], _ words: (UInt32) -> UInt32, in store: WordSets) -> Bool {
        sets.allSatisfy { store.contains($0.value, words($0.key)) }
    }
}
