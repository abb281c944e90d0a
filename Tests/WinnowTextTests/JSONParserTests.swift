import Foundation
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

    /// Escapes found eight bytes at a time land where a character-by-character writer puts them,
    /// at every offset of a block and in runs of any length.
    @Test func escapesStringsAsACharacterByCharacterWriterDoes() throws {
        let alphabet: [Character] = [
            "a", "Z", " ", "\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "\u{7F}", "é", "🙂", "~",
        ]
        var state: UInt64 = 0x1234_5678
        for _ in 0..<2_000 {
            var text = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let length = Int(state >> 58)  // 0 to 63
            for _ in 0..<length {
                state = state &* 6_364_136_223_846_793_005 &+ 1
                // Mostly plain letters, so that long runs between escapes occur too.
                let pick = Int(state >> 33) % (alphabet.count * 3)
                text.append(pick < alphabet.count ? alphabet[pick] : "x")
            }
            var written: [UInt8] = []
            JSONWriter.writeString(text, into: &written)
            var expected = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": expected += "\\\""
                case "\\": expected += "\\\\"
                case "\n": expected += "\\n"
                case "\r": expected += "\\r"
                case "\t": expected += "\\t"
                case _ where scalar.value < 0x20: expected += String(format: "\\u%04x", scalar.value)
                default: expected.unicodeScalars.append(scalar)
                }
            }
            expected += "\""
            #expect(String(decoding: written, as: UTF8.self) == expected)
            #expect(try JSONParser.parse(written).value == .string(text))
        }
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
