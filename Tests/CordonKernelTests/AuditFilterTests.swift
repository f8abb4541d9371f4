import CordonBPF
import CordonCompiler
import CordonKernel
import CordonLinux
import CordonPolicy
import CordonTestSupport
import Foundation
import XCTest

/// The program an audited command runs under: the policy's own, with every
/// return other than `allow` sending the call to the supervisor, so allowed
/// calls never leave the kernel; and the interpreter's report of the rest.
final class AuditFilterTests: XCTestCase {
    private func policy(_ name: String) throws -> IRPolicy {
        let path = TestEnvironment.packageRoot.appendingPathComponent("samples/\(name)").path
        let result = try FrontEnd.check(path: path)
        return try XCTUnwrap(result.policy, "\(result.diagnostics)")
    }

    func testOnlyWhatThePolicyDoesNotAllowIsNotified() throws {
        for sample in ["nonet.tcl", "docker-default.tcl", "stdio.tcl"] {
            let policy = try policy(sample)
            let program = try Compiler.compile(policy, level: .optimizing).program
            let audited = AuditSession.filter(program)
            XCTAssertEqual(audited.count, program.count)
            var g = SeededGenerator(seed: 10)
            var notified = 0
            for _ in 0..<3000 {
                let arch = Arch.required.randomElement(using: &g)!
                let (nr, args) = RandomPrograms.call(arch: arch, using: &g)
                let data = SeccompData(arch: arch, nr: nr, args: args)
                let decision = Interpreter.decide(policy, data)
                let returned = SeccompReturn(rawValue: Emulator(audited).run(data).value)
                if decision.action == .allow {
                    XCTAssertEqual(returned, .allow, "\(sample) \(arch) \(nr)")
                } else {
                    XCTAssertEqual(returned, .userNotif, "\(sample) \(arch) \(nr): \(decision.action)")
                    notified += 1
                }
            }
            XCTAssertGreaterThan(notified, 0, sample)
        }
    }

    /// What --report does for each action, and what a report line says.
    func testEnforcementAndTheReportLine() throws {
        XCTAssertEqual(AuditSession.enforce(.errno(13)), .fail(errno: 13))
        XCTAssertEqual(AuditSession.enforce(.errno(65535)), .fail(errno: 4095), "capped as the kernel caps it")
        XCTAssertEqual(AuditSession.enforce(.log), .proceed)
        XCTAssertEqual(AuditSession.enforce(.trace(1)), .fail(errno: 38))
        XCTAssertEqual(AuditSession.enforce(.killThread), .killProcess)
        XCTAssertEqual(AuditSession.enforce(.trap(5)), .signalThread)

        let policy = try policy("nonet.tcl")
        var report = AuditReport()
        let inet = SeccompData(arch: .x86_64, nr: 41, args: [2, 1, 0, 0, 0, 0])
        let (decision, read) = Interpreter.decideReading(policy, inet)
        XCTAssertEqual(report.add(program: "p", pid: 7, data: inet, read: read, decision: decision), 0)
        XCTAssertEqual(report.line(0), "p[7] socket(family=AF_INET, type=SOCK_STREAM, protocol=0) -> errno 13 (EACCES) at \(TestEnvironment.packageRoot.path)/samples/nonet.tcl:10:56")
        // Another protocol: the policy never reads it, so it is a repeat.
        let other = SeccompData(arch: .x86_64, nr: 41, args: [2, 1, 6, 0, 0, 0])
        let second = Interpreter.decideReading(policy, other)
        XCTAssertNil(report.add(program: "p", pid: 8, data: other, read: second.read, decision: second.decision))
        XCTAssertEqual(report.lines, [report.line(0) + "  (2 calls)"])
        // i386 calls say so; an unknown architecture is named by its value.
        XCTAssertTrue(AuditReport.describe(SeccompData(arch: .i386, nr: 3, args: [0, 0, 1])).hasPrefix("i386 read("))
        XCTAssertEqual(AuditReport.describe(SeccompData(nr: 1, arch: 0x1234)), "syscall 1 of unknown architecture 0x1234")
    }
}
