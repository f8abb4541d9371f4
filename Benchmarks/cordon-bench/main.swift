// cordon-bench: prints the emulator's speed in instructions per second.
// Build and run in release mode: swift run -c release cordon-bench
// It asserts nothing; the figures are for the notes and for comparisons.
import CordonBPF
import CordonCompiler
import CordonLinux
import CordonPolicy
import Foundation

/// An x86_64 allowlist program: the arch check, then `dispatch` with A
/// holding nr, jumping to `allow` or `deny`; other arches are killed.
func allowlistProgram(_ dispatch: (inout ProgramBuilder, _ allow: ProgramBuilder.Label, _ deny: ProgramBuilder.Label) -> Void) throws -> Program {
    var b = ProgramBuilder()
    let allow = b.makeLabel(), deny = b.makeLabel(), kill = b.makeLabel(), x86 = b.makeLabel()
    b.emit(.load(4))
    b.branch(.eq, Arch.x86_64.auditArch, onTrue: x86, onFalse: kill)
    b.place(x86)
    b.emit(.load(0))
    dispatch(&b, allow, deny)
    b.place(deny)
    b.emit(.ret(0x0005_0001))
    b.place(allow)
    b.emit(.ret(0x7FFF_0000))
    b.place(kill)
    b.emit(.ret(0x8000_0000))
    return try Validator.validate(b.build())
}

/// A dropnet-shaped linear allowlist: one JEQ per syscall.
func linearAllowlist(_ names: [String]) throws -> Program {
    let table = SyscallTable.forArch(.x86_64)
    return try allowlistProgram { b, allow, deny in
        for name in names {
            let next = b.makeLabel()
            b.branch(.eq, table.number(of: name)!, onTrue: allow, onFalse: next)
            b.place(next)
        }
        b.jump(to: deny)
    }
}

/// A binary search over the same numbers (what a range dispatch does).
func binarySearch(_ numbers: [UInt32]) throws -> Program {
    try allowlistProgram { b, allow, deny in
        func node(_ slice: ArraySlice<UInt32>) {
            if slice.count <= 2 {
                for n in slice {
                    let next = b.makeLabel()
                    b.branch(.eq, n, onTrue: allow, onFalse: next)
                    b.place(next)
                }
                b.jump(to: deny)
                return
            }
            let mid = slice.startIndex + slice.count / 2
            let high = b.makeLabel(), low = b.makeLabel()
            b.branch(.ge, slice[mid], onTrue: high, onFalse: low)
            b.place(low)
            node(slice[slice.startIndex..<mid])
            b.place(high)
            node(slice[mid...])
        }
        node(numbers.sorted()[...])
    }
}

/// The measured x86_64 syscall mix (../shared/data/syscall-mix-x86_64.tsv),
/// if present, as inputs weighted by their counts; else every syscall once.
func inputs() -> [SeccompData] {
    let table = SyscallTable.forArch(.x86_64)
    let mix = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/syscall-mix-x86_64.tsv").standardizedFileURL
    var result: [SeccompData] = []
    if let text = try? String(contentsOf: mix, encoding: .utf8) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            guard fields.count == 2, let nr = table.number(of: String(fields[0])), let count = Int(fields[1]) else { continue }
            let copies = max(1, count / 100)
            for i in 0..<copies { result.append(SeccompData(arch: .x86_64, nr: nr, args: [UInt64(i), 1, 2])) }
        }
    }
    if result.isEmpty { result = table.entries.map { SeccompData(arch: .x86_64, nr: $0.number) } }
    var g = SystemRandomNumberGenerator()
    result.shuffle(using: &g)
    return result
}

func measure(_ label: String, _ program: Program, _ data: [SeccompData], minimumSeconds: Double = 1.0) {
    let emulator = Emulator(program)
    var instructions = 0, runs = 0, checksum: UInt32 = 0
    let clock = ContinuousClock()
    let start = clock.now
    var elapsed = 0.0
    while elapsed < minimumSeconds {
        for d in data {
            let outcome = emulator.run(d)
            instructions += outcome.executed
            checksum ^= outcome.value
        }
        runs += data.count
        let d = clock.now - start
        elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
    let perSecond = Double(instructions) / elapsed
    print(String(format: "%-34@ %5d insns  %7.1f M insns/s  %6.1f ns/run  %5.1f insns/run  (checksum %08x)",
                 label as NSString, program.count, perSecond / 1e6, elapsed * 1e9 / Double(runs),
                 Double(instructions) / Double(runs), checksum))
}

/// The x86_64 syscalls of a `NAME<TAB>COUNT` mix file, as numbers with their counts.
func readMix(_ path: String) throws -> [(nr: UInt32, count: Int)] {
    let table = SyscallTable.forArch(.x86_64)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var mix: [(nr: UInt32, count: Int)] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        let fields = line.split(separator: "\t")
        guard fields.count == 2, let nr = table.number(of: String(fields[0])), let count = Int(fields[1]) else { continue }
        mix.append((nr, count))
    }
    return mix
}

/// `cordon-bench mix MIX.tsv LABEL=FILE.bpf ...`: for each raw program, the
/// instructions it executes per syscall, weighted by the measured counts.
func compareOnMix(_ arguments: [String]) throws {
    let mix = try readMix(arguments[0])
    let total = mix.reduce(0) { $0 + $1.count }
    print("label                   size  mean executed  worst   (\(mix.count) syscalls, \(total) calls, x86_64)")
    for spec in arguments.dropFirst() {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        let bytes = [UInt8](FileManager.default.contents(atPath: parts[1]) ?? Data())
        let program = try Validator.validate(RawCodec.decode(bytes))
        let emulator = Emulator(program)
        var weighted = 0, worst = 0
        for (nr, count) in mix {
            let outcome = emulator.run(SeccompData(arch: .x86_64, nr: nr, args: [3, 0, 0]))
            weighted += outcome.executed * count
            worst = max(worst, outcome.executed)
        }
        let mean = Double(weighted) / Double(total)
        print("\(parts[0].padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(program.count).leftPadded(5))  \(String(format: "%13.2f", mean))  \(String(worst).leftPadded(5))")
    }
}

/// `cordon-bench table MIX.tsv LABEL=FILE.bpf ...`: one row per raw
/// program: its length; the instructions it executes per syscall, mean and
/// worst over every syscall of x86_64, i386 and x32 (arguments 0); the mean
/// weighted by the measured x86_64 mix; and how many x86_64 syscalls the
/// kernel's action cache can hold (allowed whatever their arguments).
func table(_ arguments: [String]) throws {
    let mix = try readMix(arguments[0])
    let total = mix.reduce(0) { $0 + $1.count }
    let arches: [Arch] = [.x86_64, .i386, .x32]
    print("  " + "program".padding(toLength: 26, withPad: " ", startingAt: 0) + "length" + arches.map { "  \($0.rawValue) mean/max".leftPadded(18) }.joined()
          + "   mix mean  cacheable")
    for spec in arguments.dropFirst() {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let data = FileManager.default.contents(atPath: parts[1]) else {
            print("  \(spec): no such program")
            continue
        }
        let program = try Validator.validate(RawCodec.decode([UInt8](data)))
        let emulator = Emulator(program)
        var row = "  " + parts[0].padding(toLength: 26, withPad: " ", startingAt: 0) + String(program.count).leftPadded(6)
        for arch in arches {
            var sum = 0, worst = 0, count = 0
            for entry in SyscallTable.forArch(arch).entries {
                let executed = emulator.run(SeccompData(arch: arch, nr: entry.number)).executed
                sum += executed
                worst = max(worst, executed)
                count += 1
            }
            row += String(format: "%12.2f/%-5d", Double(sum) / Double(max(count, 1)), worst)
        }
        var weighted = 0
        for (nr, n) in mix { weighted += emulator.run(SeccompData(arch: .x86_64, nr: nr)).executed * n }
        row += String(format: "%11.2f", Double(weighted) / Double(max(total, 1)))
        row += String(ActionCache.cachedSyscalls(program, arch: .x86_64).count).leftPadded(11)
        print(row)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

/// `bound POLICY...`: for each architecture value of each policy's -O2
/// program, the jumps its search over syscall numbers spends per call
/// (weighted by the built-in mix, as the compiler weighs them) against the
/// optimal search over the same ranges and weights.
func bound(_ paths: [String]) throws {
    print("  " + "policy".padding(toLength: 24, withPad: " ", startingAt: 0) + "arch      ranges   -O2 search   optimal   ratio   (jumps per call to find the range)")
    for path in paths {
        let result = try FrontEnd.check(path: path)
        guard let policy = result.policy else { print("  \(path): the policy has errors"); continue }
        let compiled = try Compiler.compile(policy, level: .optimizing)
        for search in compiled.searches {
            let arch = Arch.allCases.first { $0.auditArch == search.auditArch }.map(\.rawValue) ?? String(search.auditArch, radix: 16)
            let total = Double(max(search.totalWeight, 1))
            let built = Double(search.builtCost) / total, optimal = Double(search.optimalCost()) / total
            print("  " + ((path as NSString).lastPathComponent).padding(toLength: 24, withPad: " ", startingAt: 0) + arch.padding(toLength: 10, withPad: " ", startingAt: 0)
                  + String(search.weights.count).leftPadded(6) + String(format: "%13.3f%10.3f%8.3f", built, optimal, built / max(optimal, 0.001)))
        }
    }
}

if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "table" {
    try table(Array(CommandLine.arguments.dropFirst(2)))
} else if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "bound" {
    try bound(Array(CommandLine.arguments.dropFirst(2)))
} else if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "mix" {
    try compareOnMix(Array(CommandLine.arguments.dropFirst(2)))
} else {
    let data = inputs()
    let names = SyscallTable.forArch(.x86_64).entries.prefix(300).map(\.name)
    print("cordon-bench: emulator speed over \(data.count) inputs (x86_64 syscall mix)")
    measure("linear allowlist of 300 syscalls", try linearAllowlist(names), data)
    measure("binary search over 300 syscalls", try binarySearch(names.map { SyscallTable.forArch(.x86_64).number(of: $0)! }), data)
}
