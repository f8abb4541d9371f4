// swift-tools-version:6.0
// cordon: a seccomp policy compiler. Foundation, Glibc and XCTest only.
import PackageDescription

let package = Package(
    name: "cordon",
    products: [
        .executable(name: "cordon", targets: ["cordon"]),
        .library(name: "CordonBPF", targets: ["CordonBPF"]),
        .library(name: "CordonLinux", targets: ["CordonLinux"]),
    ],
    targets: [
        // Linux facts: architectures, syscall tables, constants, seccomp return values.
        .target(name: "CordonLinux"),
        // Classic BPF as seccomp runs it; knows nothing of the policy language.
        .target(name: "CordonBPF", dependencies: ["CordonLinux"]),
        // The policy language: front end (syntax, checks), IR and its interpreter.
        .target(name: "CordonPolicy", dependencies: ["CordonLinux"]),
        // Docker/OCI seccomp profiles -> policies.
        .target(name: "CordonImport", dependencies: ["CordonLinux", "CordonPolicy"]),
        // IR -> BPF: the direct and the optimizing generators, and the emitters.
        .target(name: "CordonCompiler", dependencies: ["CordonPolicy", "CordonBPF", "CordonLinux"]),
        // What Swift cannot say: raw syscalls, `int $0x80`, filter installation.
        .target(name: "CSeccomp"),
        // The kernel interface: install a filter, ask the live kernel about a program,
        // supervise a command through user notifications (audit, learn).
        .target(name: "CordonKernel", dependencies: ["CordonBPF", "CordonLinux", "CordonPolicy", "CSeccomp"]),
        // The thin command line.
        .executableTarget(name: "cordon", dependencies: ["CSeccomp", "CordonBPF", "CordonLinux", "CordonKernel", "CordonPolicy", "CordonCompiler", "CordonImport"],
                          plugins: ["CommitStamp"]),
        // Writes the commit into the cordon binary before each build (cordon --version).
        .plugin(name: "CommitStamp", capability: .buildTool()),
        // The oracle: random policies and inputs, interpreter = emulator(-O0) = emulator(-O2) = kernel.
        .target(name: "CordonOracle", dependencies: ["CordonPolicy", "CordonCompiler", "CordonBPF", "CordonKernel", "CordonLinux"]),
        .executableTarget(name: "cordon-oracle", dependencies: ["CordonOracle"]),
        // A small benchmark executable; prints figures, asserts nothing.
        .executableTarget(name: "cordon-bench", dependencies: ["CordonBPF", "CordonLinux", "CordonPolicy", "CordonCompiler"], path: "Benchmarks/cordon-bench"),

        // Shared by the test targets: running the built binary and scripts.
        .target(name: "CordonTestSupport", dependencies: ["CordonBPF", "CordonLinux", "CordonOracle"], path: "Tests/TestSupport"),
        .testTarget(name: "CordonLinuxTests", dependencies: ["CordonLinux", "CordonTestSupport"]),
        .testTarget(name: "CordonBPFTests", dependencies: ["CordonBPF", "CordonLinux", "CordonTestSupport"]),
        .testTarget(name: "CordonKernelTests", dependencies: ["CordonKernel", "CordonCompiler", "CordonPolicy", "CordonBPF", "CordonLinux", "CordonTestSupport"]),
        .testTarget(name: "CordonPolicyTests", dependencies: ["CordonPolicy", "CordonLinux", "CordonTestSupport"]),
        .testTarget(name: "CordonCompilerTests", dependencies: ["CordonCompiler", "CordonPolicy", "CordonBPF", "CordonLinux", "CordonTestSupport"],
                    exclude: ["Golden"]),
        .testTarget(name: "CordonImportTests", dependencies: ["CordonImport", "CordonPolicy", "CordonCompiler", "CordonBPF", "CordonLinux", "CordonTestSupport"]),
        // The hostile-input suite: every surface, seeded, in process and through the binary.
        .testTarget(name: "CordonHostileTests", dependencies: ["CordonImport", "CordonPolicy", "CordonCompiler", "CordonBPF", "CordonLinux", "CordonTestSupport"]),
        .testTarget(name: "CordonCLITests", dependencies: ["CordonBPF", "CordonLinux", "CordonTestSupport"]),
    ]
)

// Release builds link the Swift runtime and Foundation into the programs:
// loading them dynamically cost 8 ms of every run (docs/performance.md).
// Only the executables are compiled with the flag (their autolink entries
// then name the static libraries), so test bundles, which need XCTest's
// dynamic Foundation, still build in either configuration.
for target in package.targets where target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
    target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
}
