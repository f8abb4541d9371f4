import CordonBPF
import CordonLinux
import CordonPolicy

/// 64-bit fields a residual compares for equality with many constants that
/// share one upper word: compiled with the upper word tested once and the
/// field kept in scratch memory, 32 bits wide. At its first equality test
/// the field is normalized: when its upper word is the shared one, its
/// lower word is stored in the field's cell; otherwise a sentinel (a lower
/// word none of the constants has), so every later equality test of the
/// field is one load of the cell and one `JEQ` on the lower word, where
/// the plain form is two loads and two jumps. The 1,000-rule policy of
/// issue 12 (3 arguments of 20 syscalls, each compared with 8 values) is
/// the case it is for.
struct NormalizedFields: Hashable {
    /// One normalized field.
    struct Field: Hashable {
        /// The scratch memory cell that holds it once normalized.
        let cell: UInt32
        let lowOffset: UInt32
        let highOffset: UInt32
        /// The upper word every constant compared with it has.
        let high: UInt32
        /// The lower word stored when the upper word is another: no constant's.
        let sentinel: UInt32
    }

    /// The fields, by the offset of their lower word.
    private(set) var byLowOffset: [UInt32: Field] = [:]

    var isEmpty: Bool { byLowOffset.isEmpty }

    /// The fewest equality tests of a field that make normalizing it pay:
    /// the first costs about 8 instructions and each later one 2, against 4.
    static let minimumTests = 4

    /// The fields of `statements` worth normalizing on `arch`.
    static func plan(_ statements: [Statement], arch: Arch) -> NormalizedFields {
        struct Seen { var count = 0; var highs: Set<UInt32> = []; var lows: Set<UInt32> = [] }
        var seen: [Field.ID: Seen] = [:]
        for t in Statement.tests(in: statements) {
            guard t.relation == .equal || t.relation == .notEqual, t.mask == nil || t.mask == .max,
                  let id = Field.ID(t.field), t.field.highOffset(arch) != nil else { continue }
            seen[id, default: Seen()].count += 1
            seen[id]!.highs.insert(UInt32(truncatingIfNeeded: t.value >> 32))
            seen[id]!.lows.insert(UInt32(truncatingIfNeeded: t.value))
        }
        var result = NormalizedFields()
        for (id, s) in seen where s.count >= minimumTests && s.highs.count == 1 {
            var sentinel = UInt32.max
            while s.lows.contains(sentinel) { sentinel -= 1 }
            let field = id.field
            let low = field.lowOffset(arch)
            result.byLowOffset[low] = Field(cell: id.cell, lowOffset: low, highOffset: field.highOffset(arch)!,
                                            high: s.highs.first!, sentinel: sentinel)
        }
        return result
    }

    /// The normalized field `test` compares for equality with a constant of
    /// its shared upper word, if any.
    func field(for test: Test, arch: Arch) -> Field? {
        guard !byLowOffset.isEmpty, test.relation == .equal || test.relation == .notEqual,
              test.mask == nil || test.mask == .max, test.field.highOffset(arch) != nil,
              let field = byLowOffset[test.field.lowOffset(arch)],
              UInt32(truncatingIfNeeded: test.value >> 32) == field.high else { return nil }
        return field
    }
}

extension NormalizedFields.Field {
    /// A 64-bit field of the IR and its cell: the instruction pointer 0, argument N cell N + 1.
    struct ID: Hashable {
        let cell: UInt32

        init?(_ field: CordonPolicy.Field) {
            switch field {
            case .instructionPointer: cell = 0
            case .argument(let n): cell = UInt32(n) + 1
            case .nr, .argumentLow: return nil
            }
        }

        var field: CordonPolicy.Field { cell == 0 ? .instructionPointer : .argument(Int(cell) - 1) }
    }
}
