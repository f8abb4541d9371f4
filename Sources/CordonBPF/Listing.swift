import CordonLinux

/// The readable listing: one instruction a line with its index, the four raw
/// fields in hex and what it means, for example
///
///     0001: 0x15 0x00 0x08 0xc000003e  if (A != ARCH_X86_64) goto 0010
///
/// `Listing.parse` reads it back from the fields (the meaning is a comment
/// for people), so raw -> listing -> raw is the identity.
public enum Listing {
    /// The listing of `instructions` (valid or not: unknown codes print as such).
    public static func print(_ instructions: [Instruction]) -> String {
        let analysis = ListingAnalysis(instructions)
        var out = ""
        for (pc, insn) in instructions.enumerated() {
            out += line(insn, at: pc, analysis: analysis) + "\n"
        }
        return out
    }

    /// The meaning column of instruction `pc` alone (used by the C emitter's comments).
    public static func meanings(_ instructions: [Instruction]) -> [String] {
        let analysis = ListingAnalysis(instructions)
        return instructions.indices.map { meaning(instructions[$0], at: $0, analysis: analysis) }
    }

    static func line(_ insn: Instruction, at pc: Int, analysis: ListingAnalysis) -> String {
        let code = insn.code < 0x100 ? "0x" + pad(String(insn.code, radix: 16), 2) : "0x" + String(insn.code, radix: 16)
        return "\(index(pc)): \(code) 0x\(pad(String(insn.jt, radix: 16), 2)) 0x\(pad(String(insn.jf, radix: 16), 2)) 0x\(hex8(insn.k))  "
            + meaning(insn, at: pc, analysis: analysis)
    }

    static func meaning(_ insn: Instruction, at pc: Int, analysis: ListingAnalysis) -> String {
        guard let operation = insn.operation else {
            return "invalid: \(OpcodeTable.symbolicName(insn.code))"
        }
        switch operation {
        case .loadAbsolute:
            // A big-endian architecture's block (s390x) names its words as that machine lays them out.
            let littleEndian = analysis.before[pc]?.auditArch.map(Arch.isLittleEndian(auditArch:)) ?? true
            let field = "A = " + (SeccompData.fieldName(at: insn.k, littleEndian: littleEndian) ?? "data[\(insn.k)]")
            return field + (analysis.parameterName(at: insn.k, before: pc).map { " (\($0))" } ?? "")
        case .loadLength: return "A = len"
        case .loadImmediate: return "A = \(hexText(insn.k))"
        case .loadMemory: return "A = mem[\(insn.k)]"
        case .loadXImmediate: return "X = \(hexText(insn.k))"
        case .loadXLength: return "X = len"
        case .loadXMemory: return "X = mem[\(insn.k)]"
        case .store: return "mem[\(insn.k)] = A"
        case .storeX: return "mem[\(insn.k)] = X"
        case .alu(let op, let operand):
            return "A \(op.symbol) " + (operand == .x ? "X" : hexText(insn.k))
        case .negate: return "A = -A"
        case .tax: return "X = A"
        case .txa: return "A = X"
        case .jumpAlways: return "goto \(index(pc + 1 + Int(insn.k)))"
        case .returnK: return "return " + SeccompReturn(rawValue: insn.k).listingText
        case .returnA: return "return A"
        case .jump(let test, let operand):
            let rhs = operand == .x ? "X" : analysis.operandText(insn.k, at: pc, test: test)
            let t = index(pc + 1 + Int(insn.jt)), f = index(pc + 1 + Int(insn.jf))
            let (yes, no): (String, String)
            switch test {
            case .eq: (yes, no) = ("A == \(rhs)", "A != \(rhs)")
            case .gt: (yes, no) = ("A > \(rhs)", "A <= \(rhs)")
            case .ge: (yes, no) = ("A >= \(rhs)", "A < \(rhs)")
            case .set: (yes, no) = ("A & \(rhs)", "!(A & \(rhs))")
            }
            if insn.jf == 0 { return "if (\(yes)) goto \(t)" }
            if insn.jt == 0 { return "if (\(no)) goto \(f)" }
            return "if (\(yes)) goto \(t) else goto \(f)"
        }
    }

    /// Reads a listing back: every line that is not blank or a `#` comment
    /// must start `INDEX: 0xCODE 0xJT 0xJF 0xK`, indexes counting from 0.
    public static func parse(_ text: String) throws(TextFormatError) -> [Instruction] {
        var result: [Instruction] = []
        for (lineNumber, line) in instructionLines(text) {
            var scanner = FieldScanner(line: line, lineNumber: lineNumber)
            let indexField = try scanner.next("an instruction index")
            guard indexField.text.hasSuffix(":"), let number = Int(indexField.text.dropLast()) else {
                throw TextFormatError(line: lineNumber, column: indexField.column,
                                      message: "expected an instruction index such as '0000:', found '\(indexField.text)'")
            }
            guard number == result.count else {
                throw TextFormatError(line: lineNumber, column: indexField.column,
                                      message: "instruction index \(number) out of order; expected \(result.count)")
            }
            let code = try scanner.hex("the code", max: 0xFFFF)
            let jt = try scanner.hex("jt", max: 0xFF)
            let jf = try scanner.hex("jf", max: 0xFF)
            let k = try scanner.hex("k", max: 0xFFFF_FFFF)
            result.append(Instruction(code: UInt16(code), jt: UInt8(jt), jf: UInt8(jf), k: UInt32(k)))
        }
        if result.isEmpty { throw TextFormatError(line: 1, column: 1, message: "no instructions found") }
        return result
    }

    private static func index(_ pc: Int) -> String { pad(String(pc), 4) }
}

func pad(_ text: String, _ width: Int) -> String {
    String(repeating: "0", count: max(0, width - text.count)) + text
}

/// A located error in an assembler text (listing or gosecco format).
public struct TextFormatError: Error, Hashable, CustomStringConvertible {
    /// 1-based line.
    public let line: Int
    /// 1-based column.
    public let column: Int
    /// What is wrong.
    public let message: String

    /// A located error.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(line):\(column): \(message)" }
}

/// The lines of an assembler text that hold instructions, with their 1-based
/// numbers: blank lines and `#` comments are skipped.
func instructionLines(_ text: String) -> [(number: Int, line: Substring)] {
    // "\r\n" is one Character in Swift: split on it too (CRLF files).
    text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated().compactMap { index, line in
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return trimmed.isEmpty || trimmed.hasPrefix("#") ? nil : (index + 1, line)
    }
}

/// Splits one line into whitespace-separated fields, remembering columns.
struct FieldScanner {
    let line: Substring
    let lineNumber: Int
    private var position: Substring.Index

    init(line: Substring, lineNumber: Int) {
        self.line = line
        self.lineNumber = lineNumber
        position = line.startIndex
    }

    /// The next field, or nil at the end of the line.
    mutating func nextIfAny() -> (text: Substring, column: Int)? {
        while position < line.endIndex, line[position] == " " || line[position] == "\t" { position = line.index(after: position) }
        guard position < line.endIndex else { return nil }
        let start = position
        while position < line.endIndex, line[position] != " ", line[position] != "\t" { position = line.index(after: position) }
        return (line[start..<position], line.distance(from: line.startIndex, to: start) + 1)
    }

    mutating func next(_ what: String) throws(TextFormatError) -> (text: Substring, column: Int) {
        guard let field = nextIfAny() else {
            throw TextFormatError(line: lineNumber, column: line.count + 1, message: "expected \(what) here")
        }
        return field
    }

    /// A hex field, with or without `0x`, at most `max`.
    mutating func hex(_ what: String, max: UInt64) throws(TextFormatError) -> UInt64 {
        let field = try next(what)
        var digits = field.text
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, let value = UInt64(digits, radix: 16) else {
            throw TextFormatError(line: lineNumber, column: field.column, message: "\(what) '\(field.text)' is not a hexadecimal number")
        }
        guard value <= max else {
            throw TextFormatError(line: lineNumber, column: field.column, message: "\(what) 0x\(String(value, radix: 16)) does not fit (at most 0x\(String(max, radix: 16)))")
        }
        return value
    }

    /// The column just past the last field read.
    var column: Int { line.distance(from: line.startIndex, to: position) + 1 }
}
