import CordonKernel
import CordonLinux
import CordonPolicy

/// `cordon kernel`: the running kernel's seccomp features; and the check
/// that `cordon check --kernel` and `cordon run` make with them.
enum KernelCommand {
    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "kernel")
        guard args.positional.isEmpty else { throw UsageError("usage: cordon kernel") }
        IO.print(KernelFeatures.probe().text)
        return 0
    }

    /// The returns of `policy` whose action the running kernel lacks, as
    /// diagnostics (warnings: `run` makes them errors) at each return.
    static func unsupportedActions(_ policy: IRPolicy, _ features: KernelFeatures, severity: Severity) -> [Diagnostic] {
        var seen: Set<SourceLocation> = []
        var result: [Diagnostic] = []
        for (action, location) in policy.returns where !features.supports(action) {
            guard let place = location ?? policy.blocks.first?.location, seen.insert(place).inserted else { continue }
            let why = location == nil ? " (the default badarch)" : ""
            result.append(Diagnostic(severity, .kernelLacksAction,
                                     "this kernel (Linux \(features.release)) does not have the action \(action.named)\(why): "
                                        + "it would kill the process instead; cordon kernel lists what it has", at: place))
        }
        return result
    }
}
