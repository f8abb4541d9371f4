import CordonLinux
import CordonPolicy

/// Statement lists interned as chains, so the compiler can name "this
/// statement, then the rest" with one integer. A list is its first
/// statement and the chain after it; an `if` holds the chains of its
/// branches. Equal lists get equal IDs, so memo keys and their hashing
/// cost the same for the 50,000th rule as for the first (hashing whole
/// lists made each rule cost as much as the rules after it: quadratic).
struct StatementChains {
    typealias ID = Int

    /// The empty list.
    static let empty: ID = 0

    /// A statement whose nested lists are chains.
    enum Head: Hashable {
        case ret(SeccompReturn, location: SourceLocation)
        case branch(Condition, then: ID, else: ID, location: SourceLocation)
    }

    private struct Link: Hashable {
        let head: Head
        let next: ID
    }

    private struct Pair: Hashable {
        let first: ID
        let second: ID
    }

    private var links: [Link?] = [nil]
    private var ids: [Link: ID] = [:]
    private var appended: [Pair: ID] = [:]

    /// The chain of `list` followed by the chain `next`.
    mutating func chain(_ list: [Statement], then next: ID = empty) -> ID {
        var id = next
        for statement in list.reversed() {
            id = link(head(statement), id)
        }
        return id
    }

    private mutating func head(_ statement: Statement) -> Head {
        switch statement {
        case .return(let action, let location): return .ret(action, location: location)
        case .if(let c, let t, let e, let location): return .branch(c, then: chain(t), else: chain(e), location: location)
        }
    }

    private mutating func link(_ head: Head, _ next: ID) -> ID {
        let link = Link(head: head, next: next)
        if let id = ids[link] { return id }
        let id = links.count
        links.append(link)
        ids[link] = id
        return id
    }

    /// The first statement of chain `id` and the chain after it; nil for the empty list.
    func split(_ id: ID) -> (head: Head, rest: ID)? {
        links[id].map { ($0.head, $0.next) }
    }

    /// Chain `a` followed by chain `b`.
    mutating func append(_ a: ID, _ b: ID) -> ID {
        if b == Self.empty { return a }
        if a == Self.empty { return b }
        let key = Pair(first: a, second: b)
        if let known = appended[key] { return known }
        var heads: [Head] = []
        var cursor = a
        while let link = links[cursor] {
            // A return ends the list: what follows it never runs.
            heads.append(link.head)
            if case .ret = link.head { break }
            cursor = link.next
        }
        var id = heads.last.map { if case .ret = $0 { return true } else { return false } } == true ? Self.empty : b
        for head in heads.reversed() { id = self.link(head, id) }
        appended[key] = id
        return id
    }
}
