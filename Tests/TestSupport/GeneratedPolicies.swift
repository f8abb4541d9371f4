/// Policies the tests generate rather than read.
public enum GeneratedPolicies {
    /// The issue 12 policy: 1,000 rules `$nr eq C && $args(A) == V` over 20
    /// syscalls, 3 arguments and 8 values (480 distinct tests), returning one
    /// of 30 errnos; the benchmark's deterministic version.
    public static func thousandRules() -> String {
        var text = "x86_64 {\n"
        for i in 0..<1000 {
            text += "    if {$nr eq \(thousandRuleSyscalls[i % 20]) && $args(\((i / 20) % 3)) == \((i / 60) % 8)} { return errno \(1 + i % 30) }\n"
        }
        return text + "    return allow\n}\n"
    }

    /// The syscalls of `thousandRules`.
    public static let thousandRuleSyscalls = ["read", "write", "open", "close", "stat", "fstat", "lstat", "poll", "lseek", "mmap",
                                              "mprotect", "munmap", "brk", "ioctl", "pread64", "pwrite64", "readv", "writev", "access", "pipe"]
}
