import CordonTestSupport
import Foundation
import XCTest

/// `cordon dump PID`: the filters of a running process, read back from the
/// kernel, are the bytes cordon compiled; a stack of filters comes back in
/// order, the most recent first.
final class DumpTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        try XCTSkipIf(getuid() != 0, "reading another process's filters needs CAP_SYS_ADMIN")
        dir = try TestEnvironment.temporaryDirectory("cordon-dump")
        for name in ["nonet.tcl", "dropnet.tcl"] {
            try FileManager.default.copyItem(at: TestEnvironment.packageRoot.appendingPathComponent("samples/\(name)"),
                                             to: dir.appendingPathComponent(name))
        }
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    private var cordon: String { TestEnvironment.cordon.path }

    private func sh(_ command: String) throws -> ProcessResult {
        try runShell("cd '\(dir.path)' || exit 99\n" + command)
    }

    /// The check: a process started by `cordon run samples/nonet.tcl`
    /// holds exactly `cordon compile samples/nonet.tcl --format raw`.
    func testTheDumpIsTheCompiledProgram() throws {
        let result = try sh("""
            \(cordon) run nonet.tcl -- sleep 20 & pid=$!
            for i in $(seq 100); do grep -q '^Seccomp:.2' /proc/$pid/status && break; sleep 0.02; done
            \(cordon) dump $pid -o dumped.bpf && \(cordon) dump $pid > listing.txt; status=$?
            kill $pid; wait $pid 2>/dev/null
            \(cordon) compile nonet.tcl --format raw -o compiled.bpf
            cmp dumped.bpf compiled.bpf && echo same; exit $status
            """)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "same\n", result.stderr)
        let listing = try String(contentsOf: dir.appendingPathComponent("listing.txt"), encoding: .utf8)
        XCTAssertTrue(listing.hasPrefix("# filter 0 of process "), listing)
        XCTAssertTrue(listing.contains("if (A == ARCH_X86_64) goto"), listing)
    }

    /// Two nested `cordon run`s stack two filters: index 0 is the inner
    /// (loaded last, run first), index 1 the outer.
    func testAStackOfFiltersInOrder() throws {
        let result = try sh("""
            \(cordon) run nonet.tcl -- \(cordon) run dropnet.tcl -- sleep 20 & pid=$!
            for i in $(seq 100); do [ "$(cat /proc/$pid/comm)" = sleep ] && break; sleep 0.02; done
            \(cordon) dump $pid --index 0 -o inner.bpf && \(cordon) dump $pid --index 1 -o outer.bpf && \(cordon) dump $pid > all.txt
            \(cordon) dump $pid --index 2; echo "past: $?"
            kill $pid; wait $pid 2>/dev/null
            \(cordon) compile dropnet.tcl --format raw -o dropnet.bpf && \(cordon) compile nonet.tcl --format raw -o nonet.bpf
            cmp inner.bpf dropnet.bpf && cmp outer.bpf nonet.bpf && echo ordered
            """)
        XCTAssertEqual(result.stdout, "past: 1\nordered\n", result.stderr)
        XCTAssertTrue(result.stderr.contains("has 2 filters; --index 2 is past the oldest (1)"), result.stderr)
        let all = try String(contentsOf: dir.appendingPathComponent("all.txt"), encoding: .utf8)
        XCTAssertTrue(all.contains("(the most recent, run first)") && all.contains("# filter 1 of process") && all.contains("(the oldest)"), all)
    }

    func testMistakes() throws {
        let unfiltered = try sh("sleep 5 & pid=$!; \(cordon) dump $pid; status=$?; kill $pid; exit $status")
        XCTAssertEqual(unfiltered.status, 1)
        XCTAssertTrue(unfiltered.stderr.contains("has no seccomp filter"), unfiltered.stderr)
        let gone = try sh("\(cordon) dump 999999999")
        XCTAssertEqual(gone.status, 1)
        XCTAssertTrue(gone.stderr.contains("no process 999999999"), gone.stderr)
        XCTAssertEqual(try sh("\(cordon) dump").status, 2)
        XCTAssertEqual(try sh("\(cordon) dump abc").status, 2)
        XCTAssertEqual(try sh("\(cordon) dump 1 --index -1").status, 2)
    }
}
