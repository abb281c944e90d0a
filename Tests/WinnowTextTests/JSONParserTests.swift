import Testing
import WinnowCore
import WinnowText

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8)).value
    }

    @Test func parsesAnObject() throws {
        let value = try parse(
            #"{"text": "a\nb \"q\" \u00e9\ud83d\ude42", "id": 7, "score": 0.5, "ok": true, "none": null, "list": [1, "x"]}"#
        )
        let object = try #require(value.objectValue)
        #expect(object["text"] == .string("a\nb \"q\" \u{E9}🙂"))
        #expect(object["id"] == .int(7))
        #expect(object["score"] == .double(0.5))
        #expect(object["ok"] == .bool(true))
        #expect(object["none"] == .null)
        #expect(object["list"] == .array([.int(1), .string("x")]))
        #expect(object.keys == ["text", "id", "score", "ok", "none", "list"])
    }

    @Test(arguments: [
        #"{"text": "unterminated}"#,
        #"{"text" "x"}"#,
        #"{"a": 1,}"#,
        #"{"a": tru}"#,
        #"{"a": 1} trailing"#,
        #"{"a": "\q"}"#,
        "",
        "{bad",
    ])
    func refusesMalformed(line: String) {
        #expect(throws: JSONParseError.self) { try parse(line) }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: JSONParseError.self) { try parse(deep) }
    }

    @Test func replacesInvalidUTF8AndLoneSurrogates() throws {
        var bytes = Array(#"{"text": "a"#.utf8)
        bytes.append(0xFF)
        bytes.append(contentsOf: Array(#"b\ud800c"}"#.utf8))
        let result = try JSONParser.parse(bytes)
        #expect(result.value.objectValue?["text"] == .string("a\u{FFFD}b\u{FFFD}c"))
        #expect(result.replaced == 2)
    }

    @Test func roundTripsThroughTheWriter() throws {
        var object = JSONObject()
        object["text"] = .string("line\n\t\"quoted\" \\ back \u{01} control é 🙂")
        object["n"] = .int(-12)
        object["d"] = .double(1.5)
        object["nested"] = .object(["k": .array([.bool(false), .null])])
        var bytes: [UInt8] = []
        JSONWriter.write(object, into: &bytes)
        #expect(try JSONParser.parse(bytes).value == .object(object))
        #expect(String(decoding: bytes, as: UTF8.self).contains(#"\u0001"#))
    }
}
