import CordonLinux
import CordonPolicy
import XCTest

/// The constant groups a real policy needed and could not name (issue 9,
/// item 8): they resolve in conditions, switch patterns and expect lines.
final class ConstantGroupsTests: XCTestCase {
    func testSocketOptionsBpfCommandsAndIoUringFlagsAreNamed() {
        let text = """
            x86_64 {
                if {$nr eq "setsockopt" && $args32(1) == SOL_SOCKET && $args32(2) == SO_PEERCRED} { return errno EPERM }
                if {$nr eq "bpf"} {
                    switch $args32(0) {
                        BPF_PROG_LOAD - BPF_MAP_CREATE { return errno EPERM }
                    }
                }
                if {$nr eq "io_uring_setup" && ($args(1) & IORING_SETUP_SQPOLL)} { return errno EPERM }
                if {$nr eq "memfd_create" && ($args32(1) & MFD_ALLOW_SEALING)} { return errno EPERM }
                if {$nr eq "getrandom" && $args32(2) == GRND_RANDOM} { return errno EPERM }
                return allow
            }
            expect x86_64 {setsockopt 3 SOL_SOCKET SO_PEERCRED} {errno EPERM}
            expect x86_64 {setsockopt 3 SOL_TCP TCP_NODELAY} allow
            expect x86_64 {bpf BPF_MAP_CREATE} {errno EPERM}
            expect x86_64 {bpf BPF_OBJ_GET} allow
            expect x86_64 {getrandom 0 16 GRND_RANDOM} {errno EPERM}
            expect x86_64 {getrandom 0 16 GRND_NONBLOCK} allow
            """
        let result = check(text)
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        guard let policy = result.policy else { return XCTFail("no policy") }
        XCTAssertEqual(policy.expectations.count, 6)
        XCTAssertEqual(PolicyTests.run(policy).failures.count, 0)
        XCTAssertEqual(decide(policy, .x86_64, "io_uring_setup", [8, 2]), "errno 1")
        XCTAssertEqual(decide(policy, .x86_64, "memfd_create", [0, 2]), "errno 1")
        XCTAssertEqual(decide(policy, .x86_64, "memfd_create", [0, 1]), "allow")
    }
}
