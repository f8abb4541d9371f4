import CordonLinux
import Foundation

/// A Docker/OCI seccomp profile, the format of moby's `default.json`.
public struct Profile: Decodable, Sendable {
    public struct ArchMapEntry: Decodable, Sendable {
        public let architecture: String
        public let subArchitectures: [String]?
    }

    public struct Argument: Decodable, Sendable, Hashable {
        public let index: Int
        public let value: UInt64
        public let valueTwo: UInt64?
        public let op: String
    }

    public struct Filter: Decodable, Sendable {
        public let arches: [String]?
        public let caps: [String]?
        public let minKernel: String?
    }

    public struct Rule: Decodable, Sendable {
        public let names: [String]?
        public let name: String?
        public let action: String
        public let errnoRet: UInt32?
        public let args: [Argument]?
        public let includes: Filter?
        public let excludes: Filter?
        public let comment: String?

        /// The rule's syscall names (`names`, or the older single `name`).
        public var allNames: [String] { names ?? name.map { [$0] } ?? [] }
    }

    public let defaultAction: String
    public let defaultErrnoRet: UInt32?
    public let architectures: [String]?
    public let archMap: [ArchMapEntry]?
    public let syscalls: [Rule]?

    /// Reads a profile from JSON.
    public static func decode(_ data: Data) throws(ImportError) -> Profile {
        do {
            return try JSONDecoder().decode(Profile.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw ImportError("the file is not valid JSON: \(context.debugDescription)\((context.underlyingError as NSError?).map { " (\($0.localizedDescription))" } ?? "")")
        } catch let DecodingError.keyNotFound(key, context) {
            throw ImportError("missing \"\(key.stringValue)\" at \(path(context.codingPath))")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ImportError("wrong type at \(path(context.codingPath)): \(context.debugDescription)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw ImportError("missing value at \(path(context.codingPath))")
        } catch {
            throw ImportError("cannot read the profile: \(error)")
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}

/// A profile cordon cannot convert.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Which rules apply, read as Docker and runc read them.
public struct ImportOptions: Sendable {
    /// The host's architecture, as Docker names it (`amd64`, `x86`, `arm64`, `arm`, `riscv64`).
    public let host: String
    /// The capabilities the container has (`CAP_SYS_ADMIN`, ...).
    public let capabilities: Set<String>
    /// The kernel version `minKernel` is compared with; nil: every `minKernel` holds.
    public let kernel: [Int]?

    public init(host: String = "amd64", capabilities: Set<String> = [], kernel: [Int]? = nil) {
        self.host = host
        self.capabilities = capabilities
        self.kernel = kernel
    }

    /// Docker's name for a host architecture given as `x86_64`, `amd64`, `i386`, `386`, `x86`, `aarch64`, ...
    public static func hostName(_ text: String) -> String? {
        switch text {
        case "amd64", "x86_64": "amd64"
        case "x86", "i386", "386": "x86"
        case "arm64", "aarch64": "arm64"
        case "arm": "arm"
        case "riscv64": "riscv64"
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
