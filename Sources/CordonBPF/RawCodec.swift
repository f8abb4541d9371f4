import CordonLinux

/// The raw program format: `struct sock_filter` records of 8 bytes
/// (`u16 code; u8 jt; u8 jf; u32 k`) in the host's byte order, nothing else.
/// It is what libseccomp's `seccomp_export_bpf` writes and `bwrap --seccomp` reads.
public enum RawCodec {
    /// Why bytes are not a raw program.
    public enum DecodeError: Error, Equatable, CustomStringConvertible {
        case empty
        case size(Int)

        public var description: String {
            switch self {
            case .empty: return "the file is empty: a raw BPF program has at least one 8-byte instruction"
            case .size(let n): return "the file has \(n) bytes, not a multiple of 8: it is not a raw BPF program"
            }
        }
    }

    /// Encodes instructions in host byte order (little endian on every supported host).
    public static func encode(_ instructions: [Instruction]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(instructions.count * 8)
        for insn in instructions {
            bytes.append(UInt8(truncatingIfNeeded: insn.code))
            bytes.append(UInt8(truncatingIfNeeded: insn.code >> 8))
            bytes.append(insn.jt)
            bytes.append(insn.jf)
            for shift in stride(from: 0, to: 32, by: 8) {
                bytes.append(UInt8(truncatingIfNeeded: insn.k >> UInt32(shift)))
            }
        }
        return bytes
    }

    /// Decodes raw bytes into instructions (not validated).
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> [Instruction] {
        if bytes.isEmpty { throw .empty }
        if bytes.count % 8 != 0 { throw .size(bytes.count) }
        var result: [Instruction] = []
        result.reserveCapacity(bytes.count / 8)
        var i = 0
        while i < bytes.count {
            let code = UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8
            let k = UInt32(bytes[i + 4]) | UInt32(bytes[i + 5]) << 8 | UInt32(bytes[i + 6]) << 16 | UInt32(bytes[i + 7]) << 24
            result.append(Instruction(code: code, jt: bytes[i + 2], jf: bytes[i + 3], k: k))
            i += 8
        }
        return result
    }
}
