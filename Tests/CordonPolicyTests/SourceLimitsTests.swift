import CordonPolicy
import XCTest

/// `source` trees from hostile inputs: each file is included once (a
/// diamond costs nothing), nesting and the number of files are limited with
/// the chain in the message, and a sourced file that is not text is located.
final class SourceLimitsTests: XCTestCase {
    /// 30 files that each source the next one twice: 2^30 inclusions if
    /// repeats were followed; with include-once it is 31 files.
    func testADoubleDiamondIsReadOnce() {
        var files: [String: String] = [:]
        for i in 0..<30 { files["f\(i).tcl"] = "source f\(i + 1).tcl\nsource f\(i + 1).tcl\n" }
        files["f30.tcl"] = "set LAST 1\n"
        let start = Date()
        let result = check("source f0.tcl\nx86_64 { return allow }\n", files: files)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        XCTAssertEqual(result.files.count, 32)
    }

    func testNestingIsLimitedWithTheChain() {
        var files: [String: String] = [:]
        for i in 0..<30_000 { files["c\(i).tcl"] = "source c\(i + 1).tcl\n" }
        let result = check("source c0.tcl\nx86_64 { return allow }\n", files: files)
        let errors = result.diagnostics.filter { $0.id == .sourceTooDeep }
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors[0].description.hasPrefix("c30.tcl:1:8: error: source nests deeper than 32 files: p.tcl -> c0.tcl -> c1.tcl -> "),
                      errors[0].description)
        XCTAssertTrue(errors[0].description.hasSuffix("c30.tcl -> c31.tcl"), errors[0].description)
        XCTAssertNil(result.policy)
    }

    func testTheNumberOfFilesIsLimited() {
        var files: [String: String] = [:]
        var root = ""
        for i in 0..<1_200 {
            root += "source w\(i).tcl\n"
            files["w\(i).tcl"] = "\n"
        }
        let result = check(root + "x86_64 { return allow }\n", files: files)
        let errors = result.diagnostics.filter { $0.id == .sourceTooMany }
        XCTAssertEqual(errors.first?.description, "p.tcl:1000:8: error: a policy may include at most 1000 files")
        XCTAssertEqual(errors.count, 201)
    }

    func testASourcedFileThatIsNotTextIsLocated() {
        let binary: [UInt8] = Array("set A 1\nset B \u{0}2\n".utf8)
        let result = FrontEnd.check(SourceFile(path: "p.tcl", text: "source bin.tcl\nx86_64 { return allow }\n"), load: { path in
            if case .failure(let failure) = TextDecoding.decode(binary) { return .notText(failure) }
            return .unreadable(path)
        })
        XCTAssertEqual(result.diagnostics.map(\.description),
                       ["p.tcl:1:8: error: cannot include 'bin.tcl': at 2:7: a NUL byte: this is not a text file"])
    }

    func testTextDecodingNamesTheFirstBadByte() {
        XCTAssertEqual(TextDecoding.decode(Array("ok\nab\u{e9}".utf8) + [0xFF]),
                       .failure(TextDecoding.Failure(line: 2, column: 5, message: "byte 0xff is not UTF-8: the file must be UTF-8 text")))
        XCTAssertEqual(TextDecoding.decode([0x61, 0xC0, 0x80]),
                       .failure(TextDecoding.Failure(line: 1, column: 2, message: "byte 0xc0 is not UTF-8: the file must be UTF-8 text")))
        XCTAssertEqual(TextDecoding.decode(Array("plain\r\n".utf8)), .success("plain\r\n"))
    }
}
