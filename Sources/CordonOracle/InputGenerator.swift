import CordonLinux
import CordonPolicy

/// Syscalls to ask about: biased to the numbers and constants a policy's
/// tests use, one off either side, the x32 bit, -1, and plain random values.
public struct InputGenerator {
    private var g: SplitMix
    private var numbers: [UInt32] = [0, 1, 0xFFFF_FFFF, 0x4000_0000, 0x3FFF_FFFF, 0x8000_0000, 0xC000_0000]
    private var values: [UInt64] = [0, 1, 2, 0xFFFF_FFFF, 0x1_0000_0000, 1 << 63, .max, 0x7FFF_FFFF, 0x8000_0000]
    private let arches: [Arch]

    /// Inputs for `policy`, whose blocks cover `arches` (others get badarch).
    public init(policy: IRPolicy, seed: UInt64) {
        g = SplitMix(seed: seed)
        var archSet = Set(policy.blocks.map(\.arch))
        archSet.insert(.x86_64)
        archSet.insert(.i386)
        archSet.insert(.x32)
        arches = Arch.allCases.filter { archSet.contains($0) }
        for block in policy.blocks { collect(block.statements) }
    }

    private mutating func collect(_ statements: [Statement]) {
        for statement in statements {
            guard case .if(let c, let t, let e, _) = statement else { continue }
            collect(c)
            collect(t)
            collect(e)
        }
    }

    private mutating func collect(_ c: Condition) {
        switch c {
        case .test(let t):
            let around = [t.value, t.value &+ 1, t.value &- 1, t.value | ~(t.mask ?? t.field.maxValue), t.mask ?? 0, ~t.value]
            if t.field == .nr {
                numbers += around.map { UInt32(truncatingIfNeeded: $0) }
            } else {
                values += around
                // The same value in the other word, to catch high/low mix-ups.
                values.append(t.value << 32 | t.value >> 32)
            }
        case .and(let a, let b), .or(let a, let b): collect(a); collect(b)
        case .not(let inner): collect(inner)
        case .constant: break
        }
    }

    /// One input: the architecture it is made for, and the data the kernel passes.
    public mutating func next() -> (arch: Arch, data: SeccompData) {
        let arch = arches.randomElement(using: &g)!
        var nr: UInt32
        switch Int.random(in: 0..<10, using: &g) {
        case 0..<5: nr = numbers.randomElement(using: &g)!
        case 5..<8: nr = SyscallTable.forArch(arch).entries.randomElement(using: &g)!.number
        default: nr = UInt32.random(in: 0...UInt32.max, using: &g)
        }
        if arch == .x32 && Int.random(in: 0..<4, using: &g) > 0 { nr |= Arch.x32SyscallBit }
        let args = (0..<6).map { _ -> UInt64 in
            switch Int.random(in: 0..<8, using: &g) {
            case 0..<5: return values.randomElement(using: &g)!
            case 5: return UInt64.random(in: 0...UInt64.max, using: &g)
            default: return UInt64.random(in: 0...8, using: &g)
            }
        }
        let ip: UInt64 = [0, 0x40_0000, 0x3F_FFFF, 0x7F00_0000_0000, .max].randomElement(using: &g)!
        // The ABI's own view: 32-bit ABIs pass 32-bit registers.
        return (arch, SeccompData(arch: arch, nr: nr, instructionPointer: ip, args: args))
    }
}
