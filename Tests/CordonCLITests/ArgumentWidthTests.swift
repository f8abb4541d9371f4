import CordonTestSupport
import Foundation
import XCTest

/// The hole §5a describes, in the live kernel (`cordon run` loads the filter
/// in a child): Docker's default profile refuses AF_VSOCK with 64-bit tests
/// of socket's `int` family, so `socket(0x100000028, ...)` passes them and
/// the kernel reads family 40. The `--harden` import and a policy written
/// with `$args(family)` refuse it.
final class ArgumentWidthTests: XCTestCase {
    static let program = """
        #define _GNU_SOURCE
        #include <errno.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/socket.h>
        #include <sys/syscall.h>
        #include <unistd.h>
        static void try(const char *what, long family) {
            long fd = syscall(SYS_socket, family, SOCK_STREAM, 0);
            if (fd < 0) { printf("%s: %s\\n", what, strerror(errno)); return; }
            int domain = 0; socklen_t len = sizeof domain;
            getsockopt((int)fd, SOL_SOCKET, SO_DOMAIN, &domain, &len);
            printf("%s: created, family %d\\n", what, domain);
        }
        int main(void) {
            try("socket(40)", 40L);
            try("socket(0x100000028)", 0x100000028L);
            return 0;
        }
        """

    func testTheHighHalfOfSocketsFamilyPassesTheDockerProfile() throws {
        let dir = try TestEnvironment.temporaryDirectory("width")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.program.utf8).write(to: dir.appendingPathComponent("v.c"))
        let build = try runShell("cc -Wall -o v v.c", currentDirectory: dir)
        XCTAssertEqual(build.status, 0, build.stderr)
        let profile = TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/docker/default.json").path
        let denied = "Operation not permitted"

        // What the kernel does without a filter: it reads family 40 either way.
        let bare = try runShell("./v", currentDirectory: dir)
        let lines = bare.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, bare.stdout)
        XCTAssertEqual(lines[0].dropFirst("socket(40)".count), lines[1].dropFirst("socket(0x100000028)".count),
                       "the kernel ignores the high half of an int parameter")

        // The plain import is what runc loads: the high half slips past it.
        XCTAssertEqual(try runCordon(["import", profile, "-o", "plain.tcl"], currentDirectory: dir).status, 0)
        let check = try runCordon(["check", "plain.tcl"], currentDirectory: dir)
        XCTAssertTrue(check.stderr.contains("warning: $args(0) compares all 64 bits of socket's family"), check.stderr)
        XCTAssertTrue(check.stderr.contains("socket(family=0x100000028) is let through"), check.stderr)
        let plain = try runCordon(["run", "plain.tcl", "--", "./v"], currentDirectory: dir)
        XCTAssertEqual(plain.stdout.split(separator: "\n").first.map(String.init), "socket(40): \(denied)")
        XCTAssertFalse(plain.stdout.contains("socket(0x100000028): \(denied)"), "the plain import lets the high half through: \(plain.stdout)")
        XCTAssertEqual(String(plain.stdout.split(separator: "\n")[1]), lines[1], "the kernel did what it does unfiltered")

        // --harden compares family by name, at 32 bits: both are refused.
        XCTAssertEqual(try runCordon(["import", profile, "--harden", "-o", "hard.tcl"], currentDirectory: dir).status, 0)
        let hardCheck = try runCordon(["check", "hard.tcl"], currentDirectory: dir)
        XCTAssertFalse(hardCheck.stderr.contains("compares all 64 bits"), hardCheck.stderr)
        let hard = try runCordon(["run", "hard.tcl", "--", "./v"], currentDirectory: dir)
        XCTAssertEqual(hard.stdout, "socket(40): \(denied)\nsocket(0x100000028): \(denied)\n")

        // A policy written with the parameter's name.
        try Data("x86_64 {\n    if {$nr eq socket && $args(family) == AF_VSOCK} { return errno EPERM }\n    return allow\n}\n".utf8)
            .write(to: dir.appendingPathComponent("named.tcl"))
        let named = try runCordon(["run", "named.tcl", "--", "./v"], currentDirectory: dir)
        XCTAssertEqual(named.stdout, "socket(40): \(denied)\nsocket(0x100000028): \(denied)\n")
    }
}
