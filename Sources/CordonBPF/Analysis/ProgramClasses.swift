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
    /// The index of the `RET` that returns it.
    public let returnIndex: Int
}

/// The exact partition of a program's inputs into classes with one decision
/// each, by symbolic execution over the 32-bit words of `seccomp_data`.
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

        public var description: String {
            switch self {
            case .unsupported(let index, let why): return "instruction \(index): \(why): the analysis cannot follow it exactly, so it stops there"
            case .tooManyClasses(let n): return "the program splits its inputs into more than \(n) classes"
            }
        }
    }

    private struct State {
        var pc: Int
        var words: [UInt32: WordSets.WordSet]
        var registers = SymbolicRegisters()
    }

    /// The classes of `program`'s inputs, within `start` (sets by word; the
    /// rest unconstrained), in the order of the paths (false branch last).
    /// `tests`, when given, gathers the comparisons made of each word.
    public static func classes(_ program: [Instruction], in store: WordSets, within start: [UInt32: WordSets.WordSet] = [:],
                               limit: Int = 1_000_000, tests: WordTests? = nil) throws(Refusal) -> [InputClass] {
        var result: [InputClass] = []
        var stack = [State(pc: 0, words: start)]
        while var state = stack.popLast() {
            while true {
                switch try state.registers.run(program, from: state.pc, in: store) {
                case .returns(let value, let index):
                    result.append(InputClass(words: state.words, value: value, returnIndex: index))
                    if result.count > limit { throw .tooManyClasses(limit) }
                case .test(let offset, let test, let taken, let notTaken):
                    tests?.record(offset, test)
                    let current = state.words[offset] ?? store.full
                    let yes = store.and(current, test.set), no = store.minus(current, test.set)
                    if yes.isEmpty {
                        state.pc = notTaken  // the test cannot hold here: nothing splits
                    } else if no.isEmpty {
                        state.pc = taken
                    } else {
                        var other = state
                        other.pc = notTaken
                        other.words[offset] = no
                        stack.append(other)
                        state.pc = taken
                        state.words[offset] = yes
                    }
                    // An unconstrained word stays absent.
                    if let set = state.words[offset], set.isFull { state.words[offset] = nil }
                    continue
                }
                break
            }
        }
        return result
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
