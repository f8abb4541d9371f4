import CordonPolicy
import Foundation
import XCTest

/// `--diagnostics json`: one object a line, whatever the message or path holds.
final class DiagnosticJSONTests: XCTestCase {
    func testEveryCharacterIsEscapedOntoOneLine() throws {
        let file = SourceFile(path: "we\"ird\\\n\u{1B}.tcl", text: "x86_64 {\n\treturn frob\n}\n")
        let diagnostic = Diagnostic(.error, .badAction, "a \"quoted\"\tword\u{7F}\u{2028}end", at: SourceLocation(file: file, offset: 17),
                                    notes: [Diagnostic.Note(message: "see\nthis", location: SourceLocation(file: file, offset: 0))])
        let line = diagnostic.json
        XCTAssertFalse(line.contains("\n") || line.contains("\u{1B}") || line.contains("\u{2028}"), line)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(object["file"] as? String, file.path)
        XCTAssertEqual(object["line"] as? Int, 2)
        XCTAssertEqual(object["column"] as? Int, 9)
        XCTAssertEqual(object["message"] as? String, diagnostic.message)
        XCTAssertEqual(object["id"] as? String, "badAction")
        let note = try XCTUnwrap((object["notes"] as? [[String: Any]])?.first)
        XCTAssertEqual(note["message"] as? String, "see\nthis")
        XCTAssertEqual(note["line"] as? Int, 1)
    }
}
