/// A program as a `DecisionDiagrams` diagram: the function from its input
/// words to the value it returns, built over the program's code rather
/// than its paths. Each point of the code (an instruction after a jump on a
/// loaded word, with what the registers hold there) becomes one diagram,
/// built from the diagrams of the points its test leads to, last point
/// first. Code that many paths share is built once, so a program whose
/// paths number billions costs what its code costs.
///
/// Exact, with the same subset and refusals as `ProgramClasses`: an
/// instruction the analysis cannot follow refuses the program only when
/// some input reaches it (its diagram is kept as a marked leaf, and the
/// program is refused if that leaf survives into the result).
public enum ProgramDiagram {
    /// Leaves at or above this value mark a point the analysis could not follow.
    static let refusedLeaf: UInt64 = 1 << 40

    private struct Point: Hashable {
        let pc: Int
        let registers: SymbolicRegisters
    }

    private enum Step {
        case leaf(UInt64)
        case test(offset: UInt32, set: WordSets.WordSet, taken: Point, notTaken: Point)
    }

    /// The diagram of `program` in `diagrams` (leaves hold the returned
    /// values). `tests`, when given, gathers the comparisons made of each
    /// word. Refuses past `pointLimit` points of code with distinct register contents.
    public static func build(_ program: [Instruction], in diagrams: DecisionDiagrams, tests: WordTests? = nil,
                             pointLimit: Int = 200_000) throws(ProgramClasses.Refusal) -> DecisionDiagrams.Diagram {
        let store = diagrams.words
        var refusals: [ProgramClasses.Refusal] = []
        var steps: [Point: Step] = [:]
        let start = Point(pc: 0, registers: SymbolicRegisters())
        var pending = [start]
        while let point = pending.popLast() {
            guard steps[point] == nil else { continue }
            if steps.count >= pointLimit { throw .tooManyStates(pointLimit) }
            var registers = point.registers
            do {
                switch try registers.run(program, from: point.pc, in: store) {
                case .returns(let value, _):
                    steps[point] = .leaf(UInt64(value))
                case .test(let offset, let test, let taken, let notTaken):
                    tests?.record(offset, test)
                    let yes = Point(pc: taken, registers: registers), no = Point(pc: notTaken, registers: registers)
                    steps[point] = .test(offset: offset, set: test.set, taken: yes, notTaken: no)
                    pending.append(no)
                    pending.append(yes)
                }
            } catch {
                steps[point] = .leaf(refusedLeaf + UInt64(refusals.count))
                refusals.append(error)
            }
        }
        // Every jump goes forward: points in falling order of pc have their successors built.
        var built: [Point: DecisionDiagrams.Diagram] = [:]
        for point in steps.keys.sorted(by: { $0.pc > $1.pc }) {
            switch steps[point]! {
            case .leaf(let value):
                built[point] = diagrams.leaf(value)
            case .test(let offset, let set, let taken, let notTaken):
                built[point] = diagrams.test(offset, set, yes: built[taken]!, no: built[notTaken]!)
            }
        }
        if diagrams.exhausted { throw .diagramTooLarge }
        let root = built[start]!
        if let marked = diagrams.values(root).filter({ $0 >= refusedLeaf }).min() {
            throw refusals[Int(marked - refusedLeaf)]
        }
        return root
    }
}
