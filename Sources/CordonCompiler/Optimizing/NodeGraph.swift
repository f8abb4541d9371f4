import CordonBPF

/// A program as a graph of instructions built backwards: every node is
/// memoized on (instruction, successors), so identical tails are shared for
/// free and no dead code is ever made. Linearizing places each node's
/// fall-through successor right after it when it can; jumps to jumps do not
/// exist (an edge points at the real target), and a jump to a return is
/// replaced by a copy of the return.
struct NodeGraph {
    typealias ID = Int

    enum Node: Hashable {
        /// `RET k`.
        case ret(UInt32)
        /// A non-jump instruction and the node after it.
        case statement(Instruction, next: ID)
        /// A conditional jump on A against k.
        case branch(JumpTest, k: UInt32, onTrue: ID, onFalse: ID)
    }

    private(set) var nodes: [Node] = []
    private var ids: [Node: ID] = [:]
    /// The policy line of the first use of each node.
    private(set) var notes: [ID: String] = [:]

    /// The node for `node`, made once.
    mutating func add(_ node: Node, note: String?) -> ID {
        if case .branch(_, _, let t, let f) = node, t == f { return t }
        if let id = ids[node] {
            if notes[id] == nil, let note { notes[id] = note }
            return id
        }
        let id = nodes.count
        nodes.append(node)
        ids[node] = id
        if let note { notes[id] = note }
        return id
    }

    /// `RET value`.
    mutating func ret(_ value: UInt32, note: String?) -> ID { add(.ret(value), note: note) }

    private func successors(_ id: ID) -> [ID] {
        switch nodes[id] {
        case .ret: return []
        case .statement(_, let next): return [next]
        // The false branch is visited last, so it comes right after the jump.
        case .branch(_, _, let t, let f): return [t, f]
        }
    }

    /// The program rooted at `root`, through a builder (which resolves
    /// offsets and adds trampolines for jumps farther than 255).
    func linearize(_ root: ID) -> ProgramBuilder {
        // Reverse post-order is a topological order: every jump goes forward.
        var visited = Set<ID>(), postorder: [ID] = []
        var stack: [(ID, Int)] = [(root, 0)]
        visited.insert(root)
        while let (id, child) = stack.popLast() {
            let next = successors(id)
            if child < next.count {
                stack.append((id, child + 1))
                let s = next[child]
                if visited.insert(s).inserted { stack.append((s, 0)) }
            } else {
                postorder.append(id)
            }
        }
        let order = Array(postorder.reversed())
        var b = ProgramBuilder()
        var labels: [ID: ProgramBuilder.Label] = [:]
        for id in order { labels[id] = b.makeLabel() }
        for (position, id) in order.enumerated() {
            let following = position + 1 < order.count ? order[position + 1] : nil
            b.place(labels[id]!)
            b.currentNote = notes[id]
            switch nodes[id] {
            case .ret(let k):
                b.emit(.ret(k))
            case .statement(let insn, let next):
                b.emit(insn)
                if next != following {
                    if case .ret(let k) = nodes[next] {
                        b.currentNote = notes[next]
                        b.emit(.ret(k))
                    } else {
                        b.jump(to: labels[next]!)
                    }
                }
            case .branch(let test, let k, let t, let f):
                b.branch(test, k, onTrue: labels[t]!, onFalse: labels[f]!)
            }
        }
        return b
    }
}
