import CordonTestSupport
import Foundation
import XCTest

/// What the sibling warnings name is a real bypass, in the live kernel
/// (`cordon run` loads the filter in a child): openat2 next to a restricted
/// openat, pkey_mprotect next to a refused executable mprotect, io_uring's
/// IORING_OP_SOCKET next to a refused socket; refusing the sibling too
/// closes it, and the warning goes away.
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

    /// socket(AF_INET) as a syscall, then as an io_uring IORING_OP_SOCKET
    /// request (raw io_uring, no liburing), and the family of what it got.
    static let ioUringProgram = "#define _GNU_SOURCE\n#include <errno.h>\n#include <linux/io_uring.h>\n#include <stdio.h>\n#include <string.h>\n#include <sys/mman.h>\n#include <sys/socket.h>\n#include <sys/syscall.h>\n#include <unistd.h>\n/* socket(AF_INET) twice: as a syscall, and as an io_uring IORING_OP_SOCKET request. */\nint main(void) {\n    int s = socket(AF_INET, SOCK_STREAM, 0);\n    printf(\"socket: %s\\n\", s >= 0 ? \"created\" : strerror(errno));\n    struct io_uring_params p;\n    memset(&p, 0, sizeof p);\n    int ring = (int)syscall(SYS_io_uring_setup, 4, &p);\n    if (ring < 0) { printf(\"io_uring: %s\\n\", strerror(errno)); return 0; }\n    size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);\n    size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);\n    char *sq = mmap(0, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQ_RING);\n    char *cq = mmap(0, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_CQ_RING);\n    struct io_uring_sqe *sqes = mmap(0, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,\n                                     MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);\n    if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) { printf(\"io_uring: mmap failed\\n\"); return 0; }\n    unsigned tail = *(unsigned *)(sq + p.sq_off.tail);\n    unsigned index = tail & *(unsigned *)(sq + p.sq_off.ring_mask);\n    struct io_uring_sqe *sqe = &sqes[index];\n    memset(sqe, 0, sizeof *sqe);\n    sqe->opcode = IORING_OP_SOCKET;\n    sqe->fd = AF_INET;\n    sqe->off = SOCK_STREAM;\n    sqe->len = 0;\n    ((unsigned *)(sq + p.sq_off.array))[index] = index;\n    __atomic_store_n((unsigned *)(sq + p.sq_off.tail), tail + 1, __ATOMIC_RELEASE);\n    if (syscall(SYS_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, 0, 0) < 0) { printf(\"io_uring_enter: %s\\n\", strerror(errno)); return 0; }\n    unsigned head = __atomic_load_n((unsigned *)(cq + p.cq_off.head), __ATOMIC_ACQUIRE);\n    struct io_uring_cqe *cqe = &((struct io_uring_cqe *)(cq + p.cq_off.cqes))[head & *(unsigned *)(cq + p.cq_off.ring_mask)];\n    printf(\"io_uring socket: %s\\n\", cqe->res >= 0 ? \"created\" : strerror(-cqe->res));\n    if (cqe->res >= 0) {\n        int domain = 0; socklen_t len = sizeof domain;\n        getsockopt(cqe->res, SOL_SOCKET, SO_DOMAIN, &domain, &len);\n        printf(\"its family: %s\\n\", domain == AF_INET ? \"AF_INET\" : \"other\");\n    }\n    return 0;\n}\n"

    /// A policy that refuses socket(AF_INET) but leaves io_uring_setup open
    /// lets io_uring create the AF_INET socket; nonet.tcl refuses io_uring.
    func testIoUringCreatesASocketTheFilterRefused() throws {
        let dir = try TestEnvironment.temporaryDirectory("io-uring")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.ioUringProgram.utf8).write(to: dir.appendingPathComponent("u.c"))
        let build = try runShell("cc -Wall -o u u.c", currentDirectory: dir)
        XCTAssertEqual(build.status, 0, build.stderr)
        let plain = try runShell("./u", currentDirectory: dir)
        guard plain.stdout.contains("io_uring socket: created") else { throw XCTSkip("io_uring is not available here: \(plain.stdout)") }
        try Data("x86_64 {\n    if {$nr eq \"socket\" && $args32(0) != AF_UNIX} { return errno EACCES }\n    return allow\n}\n".utf8)
            .write(to: dir.appendingPathComponent("n.tcl"))
        let check = try runCordon(["check", "n.tcl"], currentDirectory: dir)
        XCTAssertTrue(check.stderr.contains("n.tcl:2:16: warning: x86_64 restricts socket but allows io_uring_setup whatever its arguments"), check.stderr)
        let open = try runCordon(["run", "n.tcl", "--", "./u"], currentDirectory: dir)
        XCTAssertEqual(open.stdout, "socket: Permission denied\nio_uring socket: created\nits family: AF_INET\n", "the bypass the warning names")
        let closed = try runCordon(["run", TestEnvironment.packageRoot.appendingPathComponent("samples/nonet.tcl").path, "--", "./u"], currentDirectory: dir)
        XCTAssertEqual(closed.stdout, "socket: Permission denied\nio_uring: Function not implemented\n")
    }

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
