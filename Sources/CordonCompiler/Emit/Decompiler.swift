import CordonBPF
import CordonPolicy

/// `cordon decompile`'s whole job: lift a program into a policy, compile
/// the policy, and keep it only when an exact comparison of the compiled
/// form with the program finds no input the kernel can pass that the two
/// decide differently. The readable flat form is tried first; when its
/// classes are too scattered to write or too many to compile again, the
/// program's own tests nested as it makes them.
public enum Decompiler {
    /// A lifted policy and what proved it.
    public struct Proved: Sendable {
        /// The policy's text, its header naming the proof.
        public let text: String
        /// The style that was written.
        public let style: PolicyLifter.Style
        /// How many pairs of classes the comparison looked at.
        public let classesCompared: Int
    }

    /// Why no policy was written.
    public enum Failure: Error, CustomStringConvertible {
        /// Neither form could be written or compiled again: the reasons, by form.
        case cannotLift([String])
        /// The analysis refused the program.
        case analysis(ProgramClasses.Refusal)
        /// A lift compiled to a program that decides some inputs differently:
        /// a bug in cordon, never written out.
        case differs([ProgramDiff.Difference], WordSets)

        public var description: String {
            switch self {
            case .cannotLift(let reasons): return reasons.joined(separator: "; ")
            case .analysis(let refusal): return refusal.description
            case .differs(let found, _): return "internal error: the lifted policy differs from the program in \(found.count) classes"
            }
        }
    }

    /// The proved policy for `program`; `source` is named in its header.
    public static func decompile(_ program: [Instruction], source: String) throws(Failure) -> Proved {
        var reasons: [String] = []
        for style in [PolicyLifter.Style.flat, .nested] {
            let draft: String
            do { draft = try PolicyLifter.lift(program, source: source, style: style) } catch let refusal as ProgramClasses.Refusal {
                throw .analysis(refusal)
            } catch {
                reasons.append("\(style): \(error)")
                continue
            }
            let result = FrontEnd.check(SourceFile(path: "decompiled.tcl", text: draft), read: { _ in nil })
            guard let policy = result.policy else {
                reasons.append("\(style): " + result.diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "; "))
                continue
            }
            let compiled: [Instruction]
            do { compiled = try Compiler.compile(policy, level: .optimizing).program.instructions } catch {
                reasons.append("\(style): \(error)")
                continue
            }
            let store = WordSets()
            let found: (differences: [ProgramDiff.Difference], classes: Int)
            do { found = try ProgramDiff.differences(program, compiled, in: store) } catch { throw .analysis(error) }
            let differences = ProgramDiff.realizable(found.differences, in: store)
            guard differences.isEmpty else { throw .differs(differences, store) }
            let proof = "cordon diff proved it equal to the program on every input the kernel can pass (\(found.classes) classes compared)."
            do {
                let text = try PolicyLifter.lift(program, source: source, proof: proof, style: style)
                return Proved(text: text, style: style, classesCompared: found.classes)
            } catch {
                reasons.append("\(style): \(error)")
            }
        }
        throw .cannotLift(reasons)
    }
}
