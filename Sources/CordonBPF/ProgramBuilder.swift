/// Builds a program whose jumps name labels, resolved once at the end, so no
/// generator ever computes an offset by hand. A conditional jump whose target
/// is farther than 255 instructions goes through a `JA` trampoline inserted
/// right after it.
public struct ProgramBuilder: Sendable {
    /// An opaque jump target.
    public struct Label: Hashable, Sendable {
        fileprivate let id: Int
    }

    /// Why a program could not be built.
    public enum BuildError: Error, Hashable, CustomStringConvertible {
        /// A label was jumped to but never placed.
        case unplacedLabel
        /// A label was placed twice.
        case labelPlacedTwice
        /// A jump targets a label placed before it (BPF jumps only forward).
        case backwardJump(at: Int)
        /// The program does not fit the kernel's limit, even after trampolines.
        case tooLong(count: Int)

        public var description: String {
            switch self {
            case .unplacedLabel: return "a jump targets a label that was never placed"
            case .labelPlacedTwice: return "a label was placed twice"
            case .backwardJump(let at): return "the jump at instruction \(at) goes backwards; BPF jumps only forward"
            case .tooLong(let count): return "the program needs \(count) instructions; the kernel accepts at most \(Validator.maxInstructions)"
            }
        }
    }

    private enum Item: Sendable {
        case plain(Instruction)
        case always(Label)
        case conditional(code: UInt16, k: UInt32, onTrue: Label, onFalse: Label)
    }

    private var items: [Item] = []
    /// A free-text note per item (generators put the policy line there).
    private var notes: [String?] = []
    /// The note given to instructions emitted from now on.
    public var currentNote: String?
    private var placements: [Int: Int] = [:]  // label id -> item index it precedes
    private var nextLabel = 0
    private var placedTwice = false

    /// An empty builder.
    public init() {}

    /// A fresh, unplaced label.
    public mutating func makeLabel() -> Label {
        defer { nextLabel += 1 }
        return Label(id: nextLabel)
    }

    /// Places `label` at the next instruction to be emitted.
    public mutating func place(_ label: Label) {
        if placements[label.id] != nil { placedTwice = true }
        placements[label.id] = items.count
    }

    /// Appends a non-jump instruction.
    public mutating func emit(_ instruction: Instruction) {
        precondition(instruction.operation.map { op in
            if case .jump = op { return false }
            return op != .jumpAlways
        } ?? true, "use jump(to:) or branch(...) for jumps")
        items.append(.plain(instruction))
        notes.append(currentNote)
    }

    /// Appends `JA label`.
    public mutating func jump(to label: Label) {
        items.append(.always(label))
        notes.append(currentNote)
    }

    /// Appends a conditional jump: `if (A test k) goto onTrue else goto onFalse`.
    public mutating func branch(_ test: JumpTest, _ k: UInt32, onTrue: Label, onFalse: Label) {
        items.append(.conditional(code: OpcodeTable.jmp | test.rawValue, k: k, onTrue: onTrue, onFalse: onFalse))
        notes.append(currentNote)
    }

    /// Number of instructions emitted so far (before trampolines).
    public var count: Int { items.count }

    /// Resolves every label and returns the instructions (not yet validated).
    public func build() throws(BuildError) -> [Instruction] {
        try buildWithNotes().instructions
    }

    /// Resolves every label; returns the instructions and each one's note
    /// (a trampoline has the note of the jump it serves).
    public func buildWithNotes() throws(BuildError) -> (instructions: [Instruction], notes: [String?]) {
        if placedTwice { throw .labelPlacedTwice }
        // Trampolines only add instructions: a program over the limit stays over it.
        let jumpsToNext = self.items.indices.filter { i in
            if case .always(let label) = self.items[i] { return self.placements[label.id] == i + 1 }
            return false
        }.count
        if self.items.count - jumpsToNext > Validator.maxInstructions { throw .tooLong(count: self.items.count - jumpsToNext) }
        // Work on a mutable copy: trampolines are new items with new labels.
        var items = self.items
        var notes = self.notes
        var placements = self.placements
        // A jump to the very next instruction does nothing: drop it.
        var position = 0
        while position < items.count {
            if case .always(let label) = items[position], placements[label.id] == position + 1 {
                items.remove(at: position)
                notes.remove(at: position)
                for (id, at) in placements where at > position { placements[id] = at - 1 }
                continue
            }
            position += 1
        }
        // Two ways to place trampolines: right after each far jump (one
        // each), or shared: as far down as the jump reaches, reused by later
        // jumps to the same target. Neither is always shorter: keep the shorter.
        let adjacent = Result { () throws(BuildError) in try withTrampolines(items, notes, placements, shared: false) }
        // No far jump: nothing to share, and no second pass.
        if case .success(let a) = adjacent, a.instructions.count == items.count { return a }
        let shared = Result { () throws(BuildError) in try withTrampolines(items, notes, placements, shared: true) }
        switch (adjacent, shared) {
        case (.success(let a), .success(let b)): return b.instructions.count < a.instructions.count ? b : a
        case (.success(let a), .failure): return a
        case (.failure, .success(let b)): return b
        case (.failure(let error), .failure): throw error
        }
    }

    /// Resolves the jumps of `items`, inserting a `JA` trampoline for each
    /// conditional jump farther than 255 (shared: placed late and reused).
    private func withTrampolines(_ items: [Item], _ notes: [String?], _ placements: [Int: Int], shared sharing: Bool) throws(BuildError) -> (instructions: [Instruction], notes: [String?]) {
        var items = items, notes = notes, placements = placements
        var fresh = nextLabel
        /// The trampolines made so far, by the label they jump to.
        var trampolines: [Int: [Label]] = [:]
        // A label placed at the very end points past the last item.
        for _ in 0..<Validator.maxInstructions {
            // Position of each item is its index (one instruction per item).
            func target(_ label: Label) throws(BuildError) -> Int {
                guard let at = placements[label.id] else { throw .unplacedLabel }
                return at
            }
            var insertion: (index: Int, onTrue: Bool)?
            for (index, item) in items.enumerated() {
                switch item {
                case .plain: continue
                case .always(let label):
                    if try target(label) <= index { throw .backwardJump(at: index) }
                case .conditional(_, _, let onTrue, let onFalse):
                    let t = try target(onTrue), f = try target(onFalse)
                    if t <= index || f <= index { throw .backwardJump(at: index) }
                    if t - index - 1 > 255 { insertion = (index, true) }
                    else if f - index - 1 > 255 { insertion = (index, false) }
                }
                if insertion != nil { break }
            }
            guard let (index, isTrue) = insertion else {
                return (try resolve(items, placements), notes)
            }
            guard case .conditional(let code, let k, let onTrue, let onFalse) = items[index] else { continue }
            let far = isTrue ? onTrue : onFalse
            // A trampoline to the same target within reach serves this jump too.
            let reach = index + 1...index + 256
            if sharing, let shared = trampolines[far.id]?.first(where: { reach.contains(placements[$0.id]!) }) {
                items[index] = .conditional(code: code, k: k, onTrue: isTrue ? shared : onTrue, onFalse: isTrue ? onFalse : shared)
                continue
            }
            // Else `JA far`, placed as far down as this jump reaches, after an
            // instruction that never falls through (so no path runs into it):
            // the jumps between can share it.
            let limit = sharing ? min(index + 256, try target(far), items.count) : index + 1
            var at = index + 1
            for q in stride(from: limit, to: index + 1, by: -1) {
                if case .plain(let insn) = items[q - 1], !insn.isReturn { continue }
                at = q
                break
            }
            let trampoline = Label(id: fresh)
            fresh += 1
            items.insert(.always(far), at: at)
            notes.insert(notes[index], at: at)
            for (id, position) in placements where position >= at { placements[id] = position + 1 }
            placements[trampoline.id] = at
            trampolines[far.id, default: []].append(trampoline)
            items[index] = .conditional(code: code, k: k,
                                        onTrue: isTrue ? trampoline : onTrue,
                                        onFalse: isTrue ? onFalse : trampoline)
            if items.count > Validator.maxInstructions { throw .tooLong(count: items.count) }
        }
        throw .tooLong(count: items.count)
    }

    private func resolve(_ items: [Item], _ placements: [Int: Int]) throws(BuildError) -> [Instruction] {
        if items.count > Validator.maxInstructions { throw .tooLong(count: items.count) }
        var result: [Instruction] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            switch item {
            case .plain(let insn):
                result.append(insn)
            case .always(let label):
                result.append(Instruction(code: 0x05, k: UInt32(placements[label.id]! - index - 1)))
            case .conditional(let code, let k, let onTrue, let onFalse):
                result.append(Instruction(code: code,
                                          jt: UInt8(placements[onTrue.id]! - index - 1),
                                          jf: UInt8(placements[onFalse.id]! - index - 1), k: k))
            }
        }
        return result
    }
}
