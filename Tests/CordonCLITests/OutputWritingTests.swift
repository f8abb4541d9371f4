import CordonTestSupport
import Foundation
import XCTest

/// cli.md "Writing outputs", findings 2, 3 and 7 of the trust issue: a
/// device or FIFO is written in place and never replaced; a symlink's target
/// is replaced and the link stays; an input or a directory as -o is a usage
/// error; the temporary file is created exclusively and never left behind;
/// a failure to write is a message and exit 1, with the old file intact.
final class OutputWritingTests: XCTestCase {
    var dir: URL!
    let root = TestEnvironment.packageRoot

    override func setUpWithError() throws {
        dir = try TestEnvironment.temporaryDirectory("outputs")
        try FileManager.default.copyItem(at: root.appendingPathComponent("samples/nonet.tcl"), to: dir.appendingPathComponent("nonet.tcl"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    private func fileType(_ name: String) throws -> FileAttributeType? {
        try FileManager.default.attributesOfItem(atPath: path(name))[.type] as? FileAttributeType
    }

    /// Names in the folder that look like cordon's temporary files.
    private func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".cordon-") }
    }

    func testACharacterDeviceIsWrittenInPlaceNotReplaced() throws {
        // A private null device (mknod, as root), never the machine's /dev/null.
        guard mknod(path("null"), S_IFCHR | 0o666, dev_t(0x103) /* makedev(1, 3) */) == 0 else { throw XCTSkip("mknod needs root") }
        let result = try runCordon(["compile", "nonet.tcl", "-o", "null"], currentDirectory: dir)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try fileType("null"), .typeCharacterSpecial, "still a device")
        // A link to a device (as /dev/stdout is) writes to the device too.
        try FileManager.default.createSymbolicLink(atPath: path("out"), withDestinationPath: "null")
        XCTAssertEqual(try runCordon(["compile", "nonet.tcl", "-o", "out", "--format", "raw"], currentDirectory: dir).status, 0)
        XCTAssertEqual(try fileType("out"), .typeSymbolicLink)
        XCTAssertEqual(try fileType("null"), .typeCharacterSpecial)
        XCTAssertEqual(try leftovers(), [])
    }

    func testAFIFOIsWrittenInPlace() throws {
        XCTAssertEqual(mkfifo(path("pipe"), 0o644), 0)
        // A reader on the other end, so the writer's open returns.
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "cat pipe > got.h"]
        reader.currentDirectoryURL = dir
        try reader.run()
        let result = try runCordon(["compile", "nonet.tcl", "-o", "pipe"], currentDirectory: dir)
        // A cordon that replaced the FIFO never opened it: stop the reader.
        let deadline = Date().addingTimeInterval(5)
        while reader.isRunning && Date() < deadline { usleep(10_000) }
        if reader.isRunning {
            reader.terminate()
            XCTFail("nothing was written into the FIFO")
        }
        reader.waitUntilExit()
        XCTAssertEqual(result.status, 0, result.stderr)
        var info = stat()
        XCTAssertEqual(stat(path("pipe"), &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "still a FIFO")
        let got = try String(contentsOfFile: path("got.h"), encoding: .utf8)
        XCTAssertTrue(got.contains("nonet_install"), "the header went through the FIFO")
    }

    func testASymlinkKeepsItsLinkAndItsTargetIsReplaced() throws {
        try Data("old\n".utf8).write(to: dir.appendingPathComponent("target.h"))
        try FileManager.default.createSymbolicLink(atPath: path("link.h"), withDestinationPath: "target.h")
        let result = try runCordon(["compile", "nonet.tcl", "-o", "link.h"], currentDirectory: dir)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try fileType("link.h"), .typeSymbolicLink, "the link stays")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: path("link.h")), "target.h")
        XCTAssertTrue(try String(contentsOfFile: path("target.h"), encoding: .utf8).contains("nonet_install"))
        // A dangling link: its target is created.
        try FileManager.default.createSymbolicLink(atPath: path("dangling.bpf"), withDestinationPath: "made.bpf")
        XCTAssertEqual(try runCordon(["compile", "nonet.tcl", "-o", "dangling.bpf"], currentDirectory: dir).status, 0)
        XCTAssertEqual(try fileType("made.bpf"), .typeRegular)
        XCTAssertEqual(try fileType("dangling.bpf"), .typeSymbolicLink)
        XCTAssertEqual(try leftovers(), [])
    }

    func testANewFileGetsMode0644LessTheUmaskAndASharedObject0755() throws {
        XCTAssertEqual(try runCordon(["compile", "nonet.tcl", "-o", "f.h"], currentDirectory: dir).status, 0)
        let mode = try FileManager.default.attributesOfItem(atPath: path("f.h"))[.posixPermissions] as? Int
        let mask = Int(umask(0o022)); umask(mode_t(mask))
        XCTAssertEqual(mode, 0o644 & ~mask)
        let so = try runCordon(["preload", "nonet.tcl", "-o", "n.so"], currentDirectory: dir)
        XCTAssertEqual(so.status, 0, so.stderr)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path("n.so"))[.posixPermissions] as? Int, 0o755 & ~mask)
    }

    func testAnInputOrADirectoryAsOutputIsAUsageError() throws {
        let before = try Data(contentsOf: dir.appendingPathComponent("nonet.tcl"))
        let same = try runCordon(["compile", "nonet.tcl", "-o", "nonet.tcl"], currentDirectory: dir)
        XCTAssertEqual(same.status, 2)
        XCTAssertEqual(same.stderr, "cordon compile: -o nonet.tcl is one of the command's inputs (nonet.tcl): it would be overwritten\n")
        // Through a link, and a sourced file, are inputs too.
        try FileManager.default.createSymbolicLink(atPath: path("alias.tcl"), withDestinationPath: "nonet.tcl")
        XCTAssertEqual(try runCordon(["compile", "nonet.tcl", "-o", "alias.tcl"], currentDirectory: dir).status, 2)
        try Data("set X 1\n".utf8).write(to: dir.appendingPathComponent("inc.tcl"))
        try Data("source inc.tcl\nx86_64 { return allow }\n".utf8).write(to: dir.appendingPathComponent("main.tcl"))
        let sourced = try runCordon(["compile", "main.tcl", "-o", "inc.tcl"], currentDirectory: dir)
        XCTAssertEqual(sourced.status, 2, sourced.stderr)
        XCTAssertEqual(try String(contentsOfFile: path("inc.tcl"), encoding: .utf8), "set X 1\n")
        XCTAssertEqual(try runCordon(["asm", "nonet.tcl", "-o", "nonet.tcl"], currentDirectory: dir).status, 2)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("nonet.tcl")), before, "nothing lost")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: false)
        let directory = try runCordon(["compile", "nonet.tcl", "-o", "sub"], currentDirectory: dir)
        XCTAssertEqual(directory.status, 2)
        XCTAssertEqual(directory.stderr, "cordon compile: -o sub is a directory\n")
        XCTAssertEqual(try leftovers(), [])
    }

    /// The old temporary name was predictable (.OUT.cordon-PID.tmp) and
    /// opened through a symlink. Now the name is random and created with
    /// O_EXCL: a folder full of planted links changes nothing.
    func testPlantedSymlinksAreNeverFollowed() throws {
        try Data("precious\n".utf8).write(to: dir.appendingPathComponent("precious"))
        // The PIDs the next processes will get: the old name was guessable.
        let last = Int((try String(contentsOfFile: "/proc/sys/kernel/ns_last_pid", encoding: .utf8))
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 1
        for pid in last + 1...last + 400 {
            try FileManager.default.createSymbolicLink(atPath: path(".f.h.cordon-\(pid).tmp"), withDestinationPath: "precious")
        }
        XCTAssertEqual(try runCordon(["compile", "nonet.tcl", "-o", "f.h"], currentDirectory: dir).status, 0)
        XCTAssertEqual(try String(contentsOfFile: path("precious"), encoding: .utf8), "precious\n")
        XCTAssertEqual(try leftovers().count, 400, "only the planted links")
    }

    func testAFullDiskIsAMessageAndTheOldFileStays() throws {
        let small = dir.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: false)
        let mount = try runShell("mount -t tmpfs -o size=4k tmpfs \(small.path)")
        guard mount.status == 0 else { throw XCTSkip("cannot mount a small tmpfs here: \(mount.stderr)") }
        defer { _ = try? runShell("umount \(small.path)") }
        try Data("old\n".utf8).write(to: small.appendingPathComponent("f.listing"))
        let result = try runCordon(["compile", "nonet.tcl", "-o", "small/f.listing", "--format", "listing", "-O0"], currentDirectory: dir)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "small/f.listing: cannot write: No space left on device\n")
        XCTAssertEqual(try String(contentsOfFile: small.appendingPathComponent("f.listing").path, encoding: .utf8), "old\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: small.path), ["f.listing"], "no temporary left")
    }

    func testStandardOutputOnAFullDiskOrAClosedPipeIsExitOne() throws {
        let full = try runShell("\(TestEnvironment.cordon.path) compile nonet.tcl > /dev/full", currentDirectory: dir)
        XCTAssertEqual(full.status, 1)
        XCTAssertEqual(full.stderr, "cordon: cannot write to standard output: No space left on device\n")
        // A pipe whose reader is gone: EPIPE, not SIGPIPE and not a crash.
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        close(fds[0])
        let process = Process()
        process.executableURL = TestEnvironment.cordon
        process.arguments = ["compile", "nonet.tcl", "--format", "listing"]
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertEqual(message, "cordon: cannot write to standard output: Broken pipe\n")
    }

    /// SIGTERM while the temporary file exists removes it: strace holds
    /// cordon inside fsync(2) for two seconds, the test signals it then.
    func testInterruptedWritesLeaveNoTemporaryFile() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/strace") else { throw XCTSkip("strace is installed by scripts/install-deps.sh") }
        for signal in ["TERM", "INT"] {
            let command = "strace -f -qq -o strace.log -e trace=fsync -e inject=fsync:delay_enter=2000000 \(TestEnvironment.cordon.path) compile nonet.tcl -o f.h & "
                + "pid=$!; sleep 1; ls -a | grep -c '^\\.f\\.h\\.cordon-' > during; kill -\(signal) $(pgrep -P $pid); wait $pid; echo $? > status"
            _ = try runShell(command, currentDirectory: dir)
            XCTAssertEqual(try String(contentsOfFile: path("during"), encoding: .utf8), "1\n", "the temporary file existed while fsync was held (\(signal))")
            XCTAssertEqual(try leftovers(), [], "SIG\(signal) removed it")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("f.h")))
        }
    }
}
