// cordon-oracle: runs the oracle (see CordonOracle/Oracle.swift) and prints
// its counts. It loads filters in forked children, so it runs as its own
// process: the test suite spawns it, scripts/oracle.sh runs it long.
//
//   cordon-oracle [--seed N] [--policies N] [--inputs N] [--kernel-inputs N] [--header-every N] [--save DIR]
import CordonOracle
import Glibc

/// Writes a line to standard error (no Foundation: this process must stay single-threaded).
func warn(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// `value` with two decimals.
func twoDecimals(_ value: Double) -> String {
    let hundredths = Int((value * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

var settings = Oracle.Settings(seed: 1, policies: 100, inputs: 1000, kernelInputs: 50, headerEvery: 20)
var saveDirectory: String?
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let name = arguments.removeFirst()
    guard let value = arguments.first else {
        warn("cordon-oracle: \(name) needs a value")
        exit(2)
    }
    arguments.removeFirst()
    switch name {
    case "--seed": settings.seed = UInt64(value) ?? 1
    case "--policies": settings.policies = Int(value) ?? 100
    case "--inputs": settings.inputs = Int(value) ?? 1000
    case "--kernel-inputs": settings.kernelInputs = Int(value) ?? 50
    case "--header-every": settings.headerEvery = Int(value) ?? 20
    case "--save": saveDirectory = value
    default:
        warn("usage: cordon-oracle [--seed N] [--policies N] [--inputs N] [--kernel-inputs N] [--header-every N] [--save DIR]")
        exit(2)
    }
}

let report = Oracle(settings).run { report in
    if report.policies % 1000 == 0 { warn(report.summary) }
}
for line in report.disagreements.prefix(20) { print(line) }
if let dir = saveDirectory {
    for (i, text) in report.failingPolicies.enumerated() {
        if let file = fopen("\(dir)/failing-\(i).tcl", "w") {
            fputs(text, file)
            fclose(file)
        }
    }
}
let meanO0 = Double(report.executedO0) / Double(max(1, report.inputs))
let meanO2 = Double(report.executedO2) / Double(max(1, report.inputs))
print("oracle: seed \(settings.seed); programs: -O0 \(report.instructionsO0) instructions, -O2 \(report.instructionsO2); mean executed per input: -O0 \(twoDecimals(meanO0)), -O2 \(twoDecimals(meanO2))")
print(report.summary)
exit(report.disagreements.isEmpty ? 0 : 1)
