import CordonLinux
import Foundation

/// A Docker/OCI seccomp profile, the format of moby's `default.json`, read
/// as Go's encoding/json reads it into moby's types (see `ProfileDecoding`).
public struct Profile: Sendable {
    /// A line and column in the JSON text.
    public typealias Place = (line: Int, column: Int)

    public struct ArchMapEntry: Sendable {
        public var architecture = ""
        public var subArchitectures: [String]?
    }

    public struct Argument: Sendable {
        public var index: UInt64 = 0
        public var value: UInt64 = 0
        public var valueTwo: UInt64?
        public var op = ""
        public var place: Place = (0, 0)
    }

    public struct Filter: Sendable {
        public var arches: [String]?
        public var caps: [String]?
        public var minKernel: String?
    }

    public struct Rule: Sendable {
        public var names: [String]?
        public var name: String?
        public var action = ""
        public var errnoRet: UInt64?
        public var args: [Argument]?
        public var includes: Filter?
        public var excludes: Filter?
        public var comment: String?
        public var place: Place = (0, 0)

        /// The rule's syscall names (`names`, or the older single `name`).
        public var allNames: [String] { names ?? name.map { [$0] } ?? [] }
    }

    public var defaultAction = ""
    public var defaultErrnoRet: UInt64?
    public var architectures: [String]?
    public var archMap: [ArchMapEntry]?
    public var syscalls: [Rule]?

    /// Reads a profile from JSON, as Docker does: the last of duplicate keys
    /// wins, keys match case-insensitively, errors name a line and column.
    public static func decode(_ data: [UInt8]) throws(ImportError) -> Profile {
        try ProfileDecoding.decode(data)
    }
}

/// A profile cordon cannot convert, and where in the JSON, when known.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let line: Int?
    public let column: Int?
    public init(_ message: String, at place: Profile.Place? = nil) {
        self.message = message
        line = place?.line
        column = place?.column
    }
    public var description: String { message }
    /// `PATH:LINE:COL: error: MESSAGE`, or `PATH: error: MESSAGE`.
    public func rendered(path: String) -> String {
        if let line, let column { return "\(path):\(line):\(column): error: \(message)" }
        return "\(path): error: \(message)"
    }
}

/// Which rules apply, read as Docker and runc read them.
public struct ImportOptions: Sendable {
    /// The host's architecture, as Docker names it (`amd64`, `x86`, `arm64`, `arm`, `riscv64`).
    public let host: String
    /// The capabilities the container has (`CAP_SYS_ADMIN`, ...).
    public let capabilities: Set<String>
    /// The kernel version `minKernel` is compared with; nil: every `minKernel` holds.
    public let kernel: [Int]?
    /// `--harden`: compare `int`-sized parameters by name (`$args(family)`),
    /// at the width the kernel reads, instead of all 64 bits as runc does.
    public let harden: Bool

    public init(host: String = "amd64", capabilities: Set<String> = [], kernel: [Int]? = nil, harden: Bool = false) {
        self.host = host
        self.capabilities = capabilities
        self.kernel = kernel
        self.harden = harden
    }

    /// Docker's name for a host architecture given as `x86_64`, `amd64`, `i386`, `386`, `x86`, `aarch64`, ...
    public static func hostName(_ text: String) -> String? {
        switch text {
        case "amd64", "x86_64": "amd64"
        case "x86", "i386", "386": "x86"
        case "arm64", "aarch64": "arm64"
        case "arm": "arm"
        case "riscv64": "riscv64"
        case "ppc64le": "ppc64le"
        case "s390x": "s390x"
        case "loong64", "loongarch64": "loong64"
        default: nil
        }
    }

    /// The libseccomp name of the host architecture, for `archMap`.
    var hostSeccompArch: String {
        switch host {
        case "amd64": "SCMP_ARCH_X86_64"
        case "x86": "SCMP_ARCH_X86"
        case "arm64": "SCMP_ARCH_AARCH64"
        case "arm": "SCMP_ARCH_ARM"
        case "ppc64le": "SCMP_ARCH_PPC64LE"
        case "s390x": "SCMP_ARCH_S390X"
        case "loong64": "SCMP_ARCH_LOONGARCH64"
        default: "SCMP_ARCH_RISCV64"
        }
    }

    /// The cordon architecture of a libseccomp name, if cordon has it.
    static func arch(ofSeccompName name: String) -> Arch? {
        switch name {
        case "SCMP_ARCH_X86_64": .x86_64
        case "SCMP_ARCH_X86": .i386
        case "SCMP_ARCH_X32": .x32
        case "SCMP_ARCH_AARCH64": .aarch64
        case "SCMP_ARCH_ARM": .arm
        case "SCMP_ARCH_RISCV64": .riscv64
        case "SCMP_ARCH_PPC64LE": .ppc64le
        case "SCMP_ARCH_S390X": .s390x
        case "SCMP_ARCH_LOONGARCH64": .loongarch64
        default: nil
        }
    }
}

/// A profile with the options applied: the rules in force and the filter's architectures.
public struct ResolvedProfile: Sendable {
    public let profile: Profile
    public let options: ImportOptions
    /// The architectures the filter is for, in archMap order (host first).
    public let arches: [Arch]
    /// Architectures of the profile that cordon cannot filter for.
    public let unsupportedArches: [String]
    /// The rules in force, with their 1-based position in the profile.
    public let rules: [(number: Int, rule: Profile.Rule)]
    /// The rules left out, with the reason.
    public let skipped: [(number: Int, reason: String)]

    /// Applies `options` to `profile`, as moby's setupSeccomp does.
    public init(_ profile: Profile, _ options: ImportOptions) {
        self.profile = profile
        self.options = options
        var names: [String] = []
        if let list = profile.architectures, !list.isEmpty {
            names = list
        } else if let entry = profile.archMap?.first(where: { $0.architecture == options.hostSeccompArch }) {
            names = [entry.architecture] + (entry.subArchitectures ?? [])
        } else {
            names = [options.hostSeccompArch]
        }
        arches = names.compactMap(ImportOptions.arch(ofSeccompName:))
        unsupportedArches = names.filter { ImportOptions.arch(ofSeccompName: $0) == nil }
        var rules: [(Int, Profile.Rule)] = []
        var skipped: [(Int, String)] = []
        for (i, rule) in (profile.syscalls ?? []).enumerated() {
            if let reason = Self.exclusion(rule, options) { skipped.append((i + 1, reason)) } else { rules.append((i + 1, rule)) }
        }
        self.rules = rules
        self.skipped = skipped
    }

    /// Why a rule does not apply, or nil when it does.
    static func exclusion(_ rule: Profile.Rule, _ options: ImportOptions) -> String? {
        if let arches = rule.excludes?.arches, arches.contains(options.host) { return "excludes.arches has \(options.host)" }
        if let caps = rule.excludes?.caps, let held = caps.first(where: options.capabilities.contains) { return "excludes.caps has \(held)" }
        if let minimum = rule.excludes?.minKernel, kernelAtLeast(minimum, options) { return "excludes.minKernel \(minimum)" }
        if let arches = rule.includes?.arches, !arches.isEmpty, !arches.contains(options.host) {
            return "includes.arches is \(arches.joined(separator: ", "))"
        }
        if let caps = rule.includes?.caps, let missing = caps.first(where: { !options.capabilities.contains($0) }) {
            return "includes.caps needs \(missing)"
        }
        if let minimum = rule.includes?.minKernel, !kernelAtLeast(minimum, options) { return "includes.minKernel \(minimum)" }
        return nil
    }

    private static func kernelAtLeast(_ minimum: String, _ options: ImportOptions) -> Bool {
        guard let kernel = options.kernel else { return true }
        let wanted = minimum.split(separator: ".").compactMap { Int($0) }
        for (a, b) in zip(kernel + [0, 0, 0], wanted + [0, 0, 0]) where a != b { return a > b }
        return true
    }
}
