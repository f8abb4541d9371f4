/// gosecco's assembler text: one instruction a line, a mnemonic and then the
/// fields it uses, tab-separated, in upper-case hex without `0x`; conditional
/// jumps give `jt` and `jf` as two digits each, then `k`:
///
///     ld_abs	4
///     jeq_k	00	08	C000003E
///     ret_k	7FFF0000
///
/// gosecco's `asm.Parse` reads what `print` writes. An instruction whose
/// unused fields are not zero (the kernel ignores them: `k` of `jeq_x`, `jt`
/// and `jf` of a load) is written with all three fields, `jt jf k`, so the
/// text keeps every bit; gosecco never writes such instructions and cordon's
/// generators never make them. Scratch memory uses gosecco's own `ld_mem`,
/// `ldx_mem`, `st` and `stx` (the same codes); `RET A`, for which gosecco has
/// no mnemonic, is cordon's `ret_a`. cordon's code generators emit none of
/// these. gosecco also names codes the kernel refuses in a seccomp filter
/// (`mod_k`, `mod_x`, `ld_ind`, `ret_x`): they are read and refused with
/// that reason.
public enum GoseccoText {
    /// Why a program cannot be printed in gosecco's format.
    public struct UnknownCode: Error, Hashable, CustomStringConvertible {
        public let index: Int
        public let code: UInt16
        public var description: String {
            "instruction \(index): opcode 0x\(String(code, radix: 16)) (\(OpcodeTable.symbolicName(code))) has no gosecco mnemonic"
        }
    }

    /// gosecco mnemonics whose codes seccomp does not accept.
    static let refusedBySeccomp: [String: UInt16] = ["mod_k": 0x94, "mod_x": 0x9C, "ld_ind": 0x40, "ret_x": 0x0E]

    /// The gosecco text of `instructions`.
    public static func print(_ instructions: [Instruction]) throws(UnknownCode) -> String {
        var out = ""
        for (index, insn) in instructions.enumerated() {
            guard let info = insn.info else { throw UnknownCode(index: index, code: insn.code) }
            var fields = [info.mnemonic]
            let unusedBits = (info.usesJumps ? 0 : UInt32(insn.jt) | UInt32(insn.jf)) | (info.usesK ? 0 : insn.k)
            if unusedBits != 0 {
                fields += [pad(String(insn.jt, radix: 16, uppercase: true), 2),
                           pad(String(insn.jf, radix: 16, uppercase: true), 2),
                           String(insn.k, radix: 16, uppercase: true)]
            } else {
                if info.usesJumps {
                    fields.append(pad(String(insn.jt, radix: 16, uppercase: true), 2))
                    fields.append(pad(String(insn.jf, radix: 16, uppercase: true), 2))
                }
                if info.usesK { fields.append(String(insn.k, radix: 16, uppercase: true)) }
            }
            out += fields.joined(separator: "\t") + "\n"
        }
        return out
    }

    /// Reads gosecco text. Blank lines and `#` comments are skipped; fields
    /// may be separated by tabs or spaces; hex is read in either case.
    public static func parse(_ text: String) throws(TextFormatError) -> [Instruction] {
        var result: [Instruction] = []
        for (lineNumber, line) in instructionLines(text) {
            var scanner = FieldScanner(line: line, lineNumber: lineNumber)
            let mnemonic = try scanner.next("a mnemonic")
            guard let info = OpcodeTable.info(mnemonic: String(mnemonic.text)) else {
                if let code = refusedBySeccomp[String(mnemonic.text)] {
                    throw TextFormatError(line: lineNumber, column: mnemonic.column,
                                          message: "'\(mnemonic.text)' is gosecco's \(OpcodeTable.symbolicName(code)) (0x\(String(code, radix: 16))), which the kernel refuses in a seccomp filter")
                }
                throw TextFormatError(line: lineNumber, column: mnemonic.column,
                                      message: "unknown mnemonic '\(mnemonic.text)'")
            }
            var insn = Instruction(code: info.code)
            // The full form: jt jf k for any mnemonic.
            var probe = scanner
            var count = 0
            while probe.nextIfAny() != nil { count += 1 }
            if count == 3 && !(info.usesJumps && info.usesK) {
                insn.jt = UInt8(try scanner.hex("jt", max: 0xFF))
                insn.jf = UInt8(try scanner.hex("jf", max: 0xFF))
                insn.k = UInt32(try scanner.hex("k", max: 0xFFFF_FFFF))
            } else {
                if info.usesJumps {
                    insn.jt = UInt8(try scanner.hex("jt", max: 0xFF))
                    insn.jf = UInt8(try scanner.hex("jf", max: 0xFF))
                }
                if info.usesK { insn.k = UInt32(try scanner.hex("k", max: 0xFFFF_FFFF)) }
            }
            if let extra = scanner.nextIfAny() {
                throw TextFormatError(line: lineNumber, column: extra.column,
                                      message: "unexpected field '\(extra.text)' after \(info.mnemonic)")
            }
            result.append(insn)
        }
        if result.isEmpty { throw TextFormatError(line: 1, column: 1, message: "no instructions found") }
        return result
    }
}

/// The two assembler text forms, told apart by their first instruction line.
public enum AssemblerText {
    /// Which text form.
    public enum Format: String, CaseIterable, Sendable {
        case listing
        case gosecco
    }

    /// The format of `text`: listing when the first instruction line starts
    /// with an index (`0000:`), else gosecco.
    public static func detect(_ text: String) -> Format {
        for (_, line) in instructionLines(text) {
            let first = line.drop { $0 == " " || $0 == "\t" }.prefix { $0 != " " && $0 != "\t" }
            return first.hasSuffix(":") && first.dropLast().allSatisfy(\.isNumber) ? .listing : .gosecco
        }
        return .gosecco
    }

    /// The 1-based line number of each instruction of `text`, in order.
    public static func instructionLineNumbers(_ text: String) -> [Int] {
        instructionLines(text).map(\.number)
    }

    /// Parses `text` in `format` (detected when nil).
    public static func parse(_ text: String, format: Format? = nil) throws(TextFormatError) -> [Instruction] {
        switch format ?? detect(text) {
        case .listing: return try Listing.parse(text)
        case .gosecco: return try GoseccoText.parse(text)
        }
    }
}
