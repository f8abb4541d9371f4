import CordonTestSupport
import Foundation
import XCTest

/// `--format go` as Go users take it: built with Go and golang.org/x/sys
/// (Debian's packages, from scripts/install-deps.sh, in GOPATH mode: no
/// network), and loaded in a child process by its installer, which must
/// filter every thread of the Go runtime.
final class GoOutputTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = try TestEnvironment.temporaryDirectory("go-output")
    }

    private func go(_ arguments: String) throws -> ProcessResult {
        try runShell("GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=\(dir.path)/cache go \(arguments)", currentDirectory: dir)
    }

    func testTheInstallerFiltersEveryThreadOfAGoProgram() throws {
        let compiled = try runCordon(["compile", TestEnvironment.packageRoot.appendingPathComponent("samples/nonet.tcl").path, "-o", dir.appendingPathComponent("nonet.go").path, "-w"])
        XCTAssertEqual(compiled.status, 0, compiled.stderr)
        let source = try String(contentsOf: dir.appendingPathComponent("nonet.go"), encoding: .utf8)
        XCTAssertTrue(source.contains("\n//go:build linux\n\npackage main\n"), source)
        // A goroutine pinned to its own thread before the filter is loaded:
        // only TSYNC can filter that thread.
        try Data("""
            package main

            import (
            \t"fmt"
            \t"os"
            \t"runtime"
            \t"syscall"
            )

            func main() {
            \tready, loaded, done := make(chan int), make(chan bool), make(chan string)
            \tgo func() {
            \t\truntime.LockOSThread()
            \t\tready <- syscall.Gettid()
            \t\t<-loaded
            \t\t_, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
            \t\tdone <- fmt.Sprint(err)
            \t}()
            \tother := <-ready
            \truntime.LockOSThread()
            \tif other == syscall.Gettid() {
            \t\tfmt.Println("the goroutine shares this thread")
            \t\tos.Exit(2)
            \t}
            \tif err := InstallNonet(); err != nil {
            \t\tfmt.Println("install:", err)
            \t\tos.Exit(1)
            \t}
            \tloaded <- true
            \t_, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
            \tfd, unixErr := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
            \tfmt.Println("this thread:", err, "| other thread:", <-done, "| unix:", fd >= 0, unixErr)
            }

            """.utf8).write(to: dir.appendingPathComponent("main.go"))
        let vet = try go("vet .")
        XCTAssertEqual(vet.status, 0, vet.stdout + vet.stderr)
        let build = try go("build -o nonet-demo .")
        XCTAssertEqual(build.status, 0, build.stdout + build.stderr)
        // The filter is loaded in this child, never in the test runner.
        let run = try runShell("./nonet-demo", currentDirectory: dir)
        XCTAssertEqual(run.stdout, "this thread: permission denied | other thread: permission denied | unix: true <nil>\n", run.stderr)
        XCTAssertEqual(run.status, 0)
    }

    func testNamesPackagesAndKeywords() throws {
        let policy = dir.appendingPathComponent("build-nonet.tcl")
        try FileManager.default.copyItem(at: TestEnvironment.packageRoot.appendingPathComponent("samples/nonet.tcl"), to: policy)
        let exported = try runCordon(["compile", "build-nonet.tcl", "--format", "go", "--go-package", "sandbox", "-w"], currentDirectory: dir)
        XCTAssertTrue(exported.stdout.contains("var BuildNonet = []unix.SockFilter{") && exported.stdout.contains("func InstallBuildNonet() error {"), exported.stdout)
        XCTAssertTrue(exported.stdout.contains("\npackage sandbox\n"))
        // A --name is taken as given, made safe from Go's keywords.
        let keyword = try runCordon(["compile", "build-nonet.tcl", "--format", "go", "--name", "type", "-o", "filter.go", "-w"], currentDirectory: dir)
        XCTAssertEqual(keyword.status, 0, keyword.stderr)
        let text = try String(contentsOf: dir.appendingPathComponent("filter.go"), encoding: .utf8)
        XCTAssertTrue(text.contains("var type_ = []unix.SockFilter{") && text.contains("func InstallType() error {"), text)
        try Data("package main\n\nfunc main() { _ = InstallType }\n".utf8).write(to: dir.appendingPathComponent("main.go"))
        let vet = try go("vet .")
        XCTAssertEqual(vet.status, 0, vet.stdout + vet.stderr)
        for bad in ["my-pkg", "func", "9lives", "_"] {
            let refused = try runCordon(["compile", "build-nonet.tcl", "--format", "go", "--go-package", bad], currentDirectory: dir)
            XCTAssertEqual(refused.status, 2, bad)
            XCTAssertTrue(refused.stderr.hasPrefix("cordon compile: --go-package '\(bad)': "), refused.stderr)
        }
        // gosecco text for a Go package folder: `.gosecco`, which go build leaves alone.
        XCTAssertEqual(try runCordon(["compile", "build-nonet.tcl", "-o", "filter.gosecco", "-w"], currentDirectory: dir).status, 0)
        XCTAssertTrue(try String(contentsOf: dir.appendingPathComponent("filter.gosecco"), encoding: .utf8).hasPrefix("ld_abs\t4\n"))
        XCTAssertEqual(try go("vet .").status, 0, "a .gosecco file does not disturb go")
    }
}
