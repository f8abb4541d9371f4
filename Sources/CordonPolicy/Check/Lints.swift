import CordonLinux

/// The warnings that need the lowered block, from `SiblingSyscalls`: an
/// i386 block that filters a call its multiplexer (socketcall, ipc) still
/// reaches, and a syscall restricted while a sibling doing the same work is
/// allowed whatever its arguments.
enum Lints {
    static func check(_ block: IRBlock, mentioned: [String: SourceLocation], _ sink: inout DiagnosticSink) {
        let table = SyscallTable.forArch(block.arch)
        let prepared = PreparedStatements(block.statements)
        func canDeny(_ name: String) -> Bool? {
            table.number(of: name).map { nr in
                Specializer.reachableActions(prepared, nr: nr).contains { $0 != .allow && $0 != .log }
            }
        }
        func alwaysAllowed(_ name: String) -> Bool? {
            table.number(of: name).map { nr in
                Specializer.reachableActions(prepared, nr: nr).allSatisfy { $0 == .allow || $0 == .log }
            }
        }

        // The first of `names` the block names and can refuse ("filters" means
        // the block can refuse the call, not merely names it).
        func firstRestricted(_ names: [String]) -> (String, SourceLocation)? {
            names.compactMap { n in mentioned[n].map { (n, $0) } }.filter { canDeny($0.0) == true }.min { $0.1 < $1.1 }
        }

        if block.arch == .i386 {
            for (multiplexer, members) in SiblingSyscalls.multiplexers {
                guard let (name, location) = firstRestricted(members),
                      let nr = table.number(of: multiplexer),
                      Specializer.reachableActions(prepared, nr: nr).contains(where: { $0 == .allow || $0 == .log }) else { continue }
                sink.report(Msg.multiplexerOpen(name, multiplexer), at: location)
            }
        }

        for family in SiblingSyscalls.families {
            // The first restricted member the block names, and every sibling left open.
            guard let (name, location) = firstRestricted(family.restricted) else { continue }
            for sibling in family.siblings where sibling != name && alwaysAllowed(sibling) == true {
                sink.report(Msg.siblingAllowed(block.arch.rawValue, name, sibling, family.why), at: location)
            }
        }
    }
}
