import CSeccomp
import CordonBPF
import Glibc

/// Loading a filter into the calling process: irreversible.
public enum FilterInstaller {
    /// Sets no_new_privs and loads `program` into this process. Throws the
    /// errno text when the kernel refuses.
    public static func install(_ program: Program) throws(InstallError) {
        let filter = program.instructions.map { cordon_insn(code: $0.code, jt: $0.jt, jf: $0.jf, k: $0.k) }
        if cordon_install_filter(filter, UInt16(filter.count)) != 0 {
            throw InstallError(errno: errno)
        }
    }

    /// The kernel refused to load a filter.
    public struct InstallError: Error, CustomStringConvertible {
        public let errno: Int32
        public var description: String { "cannot install the filter: \(String(cString: strerror(errno)))" }
    }
}
