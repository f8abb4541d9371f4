import CordonBPF
import CordonLinux
import CordonTestSupport
import Foundation
import XCTest

/// Programs written by libseccomp (`seccomp_export_bpf`, from Debian's
/// libseccomp-dev, installed by scripts/install-deps.sh): they disassemble,
/// re-assemble to the same bytes, and emulate as the live kernel runs them.
final class LibseccompProgramsTests: XCTestCase {
    nonisolated(unsafe) static var exported: URL?  // XCTest runs one class's tests in turn

    /// Compiles Tests/Fixtures/libseccomp/export.c and runs it once.
    private func programs() throws -> [String: URL] {
        if Self.exported == nil {
            let dir = try TestEnvironment.temporaryDirectory("libseccomp")
            let source = TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/libseccomp/export.c").path
            let build = try runShell("cc -Wall -o '\(dir.path)/export' '\(source)' -lseccomp && '\(dir.path)/export' '\(dir.path)'")
            guard build.status == 0 else {
                throw OracleError("building the libseccomp exporter failed (run scripts/install-deps.sh for libseccomp-dev):\n\(build.stderr)")
            }
            Self.exported = dir
        }
        let names = ["allowlist", "nonet", "arguments", "tree", "docker-x32"]
        return Dictionary(uniqueKeysWithValues: names.map { ($0, Self.exported!.appendingPathComponent("\($0).bpf")) })
    }

    /// cordon's import of Docker's profile decides x32 calls as libseccomp's
    /// filter does: libseccomp compares x32 arguments at 32 bits, so the import
    /// writes `$args32(N)` there (it compared 64 bits before, and socket and
    /// personality with high bits set were decided differently).
    func testTheImportDecidesX32AsLibseccompDoes() throws {
        let libseccomp = try Validator.validate(RawCodec.decode([UInt8](Data(contentsOf: try programs()["docker-x32"]!))))
        let dir = try TestEnvironment.temporaryDirectory("x32")
        defer { try? FileManager.default.removeItem(at: dir) }
        let profile = TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/docker/default.json").path
        XCTAssertEqual(try runCordon(["import", profile, "-o", "d.tcl"], currentDirectory: dir).status, 0)
        var compared = 0
        for (syscall, values) in [("socket", [UInt64(2), 38, 39, 40, 41, 0x1_0000_0028, 0x1_0000_0026, 0xFFFF_FFFF_0000_0002]),
                                  ("personality", [0, 8, 0x2_0000, 0xFFFF_FFFF, 0x1_0000_0000, 0x1_0000_0008, 7, UInt64.max])] {
            let nr = SyscallTable.forArch(.x32).number(of: syscall)!
            for value in values {
                let expected = SeccompReturn(rawValue: Emulator(libseccomp).run(SeccompData(arch: .x32, nr: nr, args: [value])).value)
                let run = try runCordon(["emulate", "d.tcl", "x32", syscall, "0x" + String(value, radix: 16)], currentDirectory: dir)
                XCTAssertEqual(run.status, 0, run.stderr)
                XCTAssertTrue(run.stdout.hasPrefix(expected.named), "x32 \(syscall)(0x\(String(value, radix: 16))): libseccomp \(expected.named), cordon \(run.stdout)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, 16)
    }

    func testDisassembleAndReassembleToTheSameBytes() throws {
        for (name, url) in try programs() {
            let original = try Data(contentsOf: url)
            for format in ["listing", "gosecco"] {
                let text = try runCordon(["disasm", url.path, "--format", format])
                XCTAssertEqual(text.status, 0, "\(name) \(format): \(text.stderr)")
                let textURL = url.deletingPathExtension().appendingPathExtension(format)
                try Data(text.stdout.utf8).write(to: textURL)
                let out = url.deletingPathExtension().appendingPathExtension("\(format).bpf")
                let asm = try runCordon(["asm", textURL.path, "-o", out.path])
                XCTAssertEqual(asm.status, 0, "\(name) \(format): \(asm.stderr)")
                XCTAssertEqual(try Data(contentsOf: out), original, "\(name) via \(format)")
            }
        }
    }

    func testEmulatorAgreesWithTheKernelOnEverySyscall() throws {
        var compared = 0
        for (name, url) in try programs().sorted(by: { $0.key < $1.key }) {
            let program = try Validator.validate(RawCodec.decode([UInt8](Data(contentsOf: url))))
            var calls: [KernelOracle.Call] = []
            for arch in Arch.required {
                for args: [UInt64] in [[], [1, 0x1_0000_0001, 4096, 4, 2, 9], [2, 8192, 5000, 16, 0, 0], [UInt64.max, 1 << 32, 1 << 63, 0xFFFF_FFFF, 3, 3]] {
                    let width = arch.argumentBits == 32 ? args.map { $0 & 0xFFFF_FFFF } : args
                    calls += KernelOracle.everySyscall(arch, args: width)
                }
            }
            let disagreements = try KernelOracle.disagreements(program, calls, at: url)
            XCTAssertEqual(disagreements, [], name)
            compared += calls.count
        }
        print("libseccomp programs: \(compared) syscalls compared with the kernel")
        XCTAssertGreaterThan(compared, 15_000)
    }

    func testWhatTheLibseccompProgramsDecide() throws {
        let urls = try programs()
        func decide(_ name: String, _ arch: Arch, _ syscall: String, _ args: [UInt64] = []) throws -> SeccompReturn {
            let program = try Validator.validate(RawCodec.decode([UInt8](Data(contentsOf: urls[name]!))))
            let nr = SyscallTable.forArch(arch).number(of: syscall)!
            return SeccompReturn(rawValue: Emulator(program).run(SeccompData(arch: arch, nr: nr, args: args)).value)
        }
        XCTAssertEqual(try decide("allowlist", .x86_64, "read"), .allow)
        XCTAssertEqual(try decide("allowlist", .x86_64, "socket"), .killProcess)
        XCTAssertEqual(try decide("arguments", .x86_64, "read", [0, 0, 4096]), .allow)
        XCTAssertEqual(try decide("arguments", .x86_64, "read", [0, 0, 4097]), .errno(1))
        XCTAssertEqual(try decide("arguments", .x86_64, "openat", [0, 0, UInt64(O_WRONLY)]), .errno(13))
        XCTAssertEqual(try decide("arguments", .x86_64, "kill", [0, 5]), .errno(1))
        XCTAssertEqual(try decide("arguments", .x86_64, "kill", [0, 0x1_0000_0001]), .trap(0))
        // On i386 libseccomp cuts the 64-bit datum 0x100000000 to its low
        // word, 0, so `arg1 > 2^32` becomes `arg1 > 0` there.
        XCTAssertEqual(try decide("arguments", .i386, "kill", [0, 5]), .trap(0))
        XCTAssertEqual(try decide("arguments", .i386, "kill", [0, 0]), .errno(1))
        XCTAssertEqual(try decide("nonet", .i386, "socket", [2]), .errno(22))
        XCTAssertEqual(try decide("nonet", .i386, "socket", [1]), .allow)
        XCTAssertEqual(try decide("nonet", .i386, "socketcall", [1]), .errno(38))
        // libseccomp 2.5.4's program for x86_64 + x86 + x32 compares the x86_64
        // syscall with the arch word it still holds (it never loads nr there),
        // so its x86_64 socket rule never matches. Kernel and emulator agree on it.
        XCTAssertEqual(try decide("nonet", .x86_64, "socket", [2]), .allow)
    }
}
