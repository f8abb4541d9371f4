import CordonTestSupport
import Foundation
import XCTest

/// What the sibling warnings name is a real bypass, in the live kernel
/// (`cordon run` loads the filter in a child): openat2 next to a restricted
/// openat, pkey_mprotect next to a refused executable mprotect; refusing the
/// sibling too closes it, and the warning goes away.
final class SiblingBypassTests: XCTestCase {
    static let program = """
        #define _GNU_SOURCE
        #include <errno.h>
        #include <fcntl.h>
        #include <linux/openat2.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/mman.h>
        #include <sys/syscall.h>
        #include <unistd.h>
        int main(void) {
            int fd = openat(AT_FDCWD, "w.txt", O_WRONLY | O_CREAT, 0644);
            printf("openat: %s\\n", fd >= 0 ? "opened" : strerror(errno));
            struct open_how how = {.flags = O_WRONLY | O_CREAT, .mode = 0644};
            long fd2 = syscall(SYS_openat2, AT_FDCWD, "w.txt", &how, sizeof how);
            printf("openat2: %s\\n", fd2 >= 0 ? "opened" : strerror(errno));
            void *page = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            printf("mprotect: %s\\n", mprotect(page, 4096, PROT_READ | PROT_EXEC) == 0 ? "executable" : strerror(errno));
            printf("pkey_mprotect: %s\\n",
                   syscall(SYS_pkey_mprotect, page, 4096, PROT_READ | PROT_EXEC, -1) == 0 ? "executable" : strerror(errno));
            return 0;
        }
        """

    static let rules = """
            if {$nr eq "openat" && ($args32(2) & O_ACCMODE) != O_RDONLY} { return errno EACCES }
            if {$nr eq "mprotect" && ($args(2) & PROT_EXEC)} { return errno EACCES }
        """

    func testTheWarnedSiblingsAreRealBypasses() throws {
        let dir = try TestEnvironment.temporaryDirectory("siblings")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.program.utf8).write(to: dir.appendingPathComponent("p.c"))
        let build = try runShell("cc -Wall -o p p.c", currentDirectory: dir)
        XCTAssertEqual(build.status, 0, build.stderr)

        try Data("x86_64 {\n\(Self.rules)\n    return allow\n}\n".utf8).write(to: dir.appendingPathComponent("open.tcl"))
        let check = try runCordon(["check", "open.tcl"], currentDirectory: dir)
        XCTAssertTrue(check.stderr.contains("open.tcl:2:16: warning: x86_64 restricts openat but allows openat2 whatever its arguments"), check.stderr)
        XCTAssertTrue(check.stderr.contains("open.tcl:3:16: warning: x86_64 restricts mprotect but allows pkey_mprotect whatever its arguments"), check.stderr)
        let open = try runCordon(["run", "open.tcl", "--", "./p"], currentDirectory: dir)
        XCTAssertEqual(open.stdout, "openat: Permission denied\nopenat2: opened\nmprotect: Permission denied\npkey_mprotect: executable\n",
                       "the siblings do what the restricted calls may not")

        let closing = "    if {$nr in {openat2 pkey_mprotect creat open io_uring_setup}} { return errno ENOSYS }\n"
        try Data("x86_64 {\n\(Self.rules)\n\(closing)    return allow\n}\n".utf8).write(to: dir.appendingPathComponent("closed.tcl"))
        let closedCheck = try runCordon(["check", "closed.tcl"], currentDirectory: dir)
        XCTAssertFalse(closedCheck.stderr.contains("warning"), closedCheck.stderr)
        let closed = try runCordon(["run", "closed.tcl", "--", "./p"], currentDirectory: dir)
        XCTAssertEqual(closed.stdout, "openat: Permission denied\nopenat2: Function not implemented\nmprotect: Permission denied\npkey_mprotect: Function not implemented\n")
    }
}
