import CordonLinux

/// Runs a policy's `expect` lines against the IR interpreter.
public enum PolicyTests {
    /// One failed expectation and the line to print for it.
    public struct Failure: Sendable {
        public let expectation: Expectation
        public let decision: Decision
        /// `FILE:LINE:COL: expect failed: x86_64 socket(family=AF_INET, type=0, protocol=0): expected errno 22, got allow (decided at FILE:LINE:COL)`:
        /// the call as the kernel reads it, with parameter and constant names.
        public var text: String {
            let at = decision.location.map { "decided at \($0)" } ?? "decided by the default badarch"
            let call = CallText.describe(arch: expectation.arch, nr: expectation.nr, args: expectation.args)
            return "\(expectation.location): expect failed: \(expectation.arch) \(call): expected \(expectation.action.named), got \(decision.action.named) (\(at))"
        }
    }

    /// The outcome of a policy's tests.
    public struct Report: Sendable {
        public let passed: Int
        public let failures: [Failure]
    }

    /// Runs every expectation of `policy`.
    public static func run(_ policy: IRPolicy) -> Report {
        var passed = 0
        var failures: [Failure] = []
        for expectation in policy.expectations {
            let data = SeccompData(arch: expectation.arch, nr: expectation.nr, args: expectation.args)
            let decision = Interpreter.decide(policy, data)
            if decision.action == expectation.action {
                passed += 1
            } else {
                failures.append(Failure(expectation: expectation, decision: decision))
            }
        }
        return Report(passed: passed, failures: failures)
    }
}
