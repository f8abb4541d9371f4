/// The one place where text from an input (a profile's comment, a file
/// name, a syscall name) is turned into policy text or into a message.
/// Everything cordon writes into a generated policy from its input passes
/// through here, so no input can end a comment, open or close a brace, or
/// start a command.
public enum PolicyText {
    /// `text` made safe to follow `# ` on one comment line: printable ASCII
    /// stays, except `{`, `}` and `\` (which count in Tcl even in comments);
    /// those, line breaks, control characters and everything beyond ASCII
    /// are written `<U+XXXX>`.
    public static func comment(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x7B, 0x7D, 0x5C: out += notation(scalar)
            case 0x20..<0x7F: out.unicodeScalars.append(scalar)
            default: out += notation(scalar)
            }
        }
        return out
    }

    /// `text` made safe inside a C `/* ... */` or Go `//` comment: as
    /// `comment`, and `*/` cannot close the comment.
    public static func cComment(_ text: String) -> String {
        comment(text).replacingOccurrences(of: "*/", with: "*<U+002F>")
    }

    /// `name` if it is a bare word the language reads as one token (letters,
    /// digits and `_`, not starting with a digit), else nil.
    public static func bareWord(_ name: String) -> String? {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first),
              name.utf8.allSatisfy({ isWordByte($0) }) else { return nil }
        return name
    }

    /// `text` in double quotes for a message, with control characters,
    /// quotes and backslashes escaped (never a raw NUL or line break); with
    /// `json`, as a JSON string literal (`\u001b` rather than `\u{1b}`).
    public static func quoted(_ text: String, json: Bool = false) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let digits = String(scalar.value, radix: 16)
                    out += json ? "\\u" + String(repeating: "0", count: 4 - digits.count) + digits : "\\u{" + digits + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `text` for a terminal: tabs and printable text stay; other control
    /// characters (escape sequences, carriage returns, NUL) become <U+XXXX>.
    public static func displayable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) { out += notation(scalar) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7F..<0xA0).contains(scalar.value)
    }

    private static func notation(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F
    }
}
