import Testing
import WinnowText

@Suite struct UTF8RepairTests {
    @Test(
        arguments: [
            ([0x61, 0x62], "ab", 0),
            ([0x61, 0xFF, 0x62], "a\u{FFFD}b", 1),
            // A truncated 3-byte sequence is one maximal subpart: one replacement.
            ([0x61, 0xE2, 0x82, 0x62], "a\u{FFFD}b", 1),
            // Overlong encoding of "/" and a surrogate: each byte is its own subpart.
            ([0xC0, 0xAF], "\u{FFFD}\u{FFFD}", 2),
            ([0xED, 0xA0, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}", 3),
            // Windows-1252 curly quotes read as UTF-8.
            ([0x93, 0x68, 0x69, 0x94], "\u{FFFD}hi\u{FFFD}", 2),
            ([0xF0, 0x9F, 0x99, 0x82], "🙂", 0),
            ([0xF0, 0x9F, 0x99], "\u{FFFD}", 1),
        ] as [([UInt8], String, Int)])
    func repairs(bytes: [UInt8], expected: String, replaced: Int) {
        let result = UTF8Repair.repair(bytes)
        #expect(result.text == expected)
        #expect(result.replaced == replaced)
    }
}
