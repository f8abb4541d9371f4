/// A program unfolded into a tree of the tests it makes, as
/// `ProgramClasses` walks it: each test whose outcome the path so far has
/// not settled becomes a node, each `RET` a leaf. The tree has one leaf per
/// input class, so it is as large as the partition; it is what a lifted
/// policy nests when the classes do not read well one by one.
public final class DecisionTree {
    /// A test of one word, or a return.
    public enum Node: Sendable {
        /// `test` of the word at `offset`; `yes` and `no` are node indexes.
        case test(offset: UInt32, test: WordTests.Test, yes: Int, no: Int)
        case ret(UInt32)
    }

    /// The nodes; `root` is the first decision.
    public private(set) var nodes: [Node] = []
    /// The index of the first node (the whole program when it tests nothing).
    public private(set) var root = -1

    public init() {}

    /// Adds a node under `parent` (-1 for the root) on its `yes` or `no` side; returns its index.
    func add(_ node: Node, under parent: Int, yes: Bool) -> Int {
        let index = nodes.count
        nodes.append(node)
        if parent < 0 {
            root = index
        } else if case .test(let offset, let test, let y, let n) = nodes[parent] {
            nodes[parent] = .test(offset: offset, test: test, yes: yes ? index : y, no: yes ? n : index)
        }
        return index
    }
}
