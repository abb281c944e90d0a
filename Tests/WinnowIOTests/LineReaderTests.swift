import Testing
import WinnowIO

@Suite struct LineReaderTests {
    private func lines(_ text: [UInt8], maximum: Int = 100) throws -> [LineReader.Line] {
        let directory = try TemporaryDirectory()
        let reader = LineReader(try FileByteSource(path: directory.write("x", text)), maximumLength: maximum)
        var result: [LineReader.Line] = []
        while let line = try reader.next() { result.append(line) }
        return result
    }

    @Test func splitsLinesAndStripsCR() throws {
        let result = try lines(Array("one\r\ntwo\n\nlast".utf8))
        #expect(result.map { String(decoding: $0.bytes, as: UTF8.self) } == ["one", "two", "", "last"])
        #expect(result.map(\.number) == [1, 2, 3, 4])
    }

    @Test func reportsTooLongLinesWithoutBufferingThem() throws {
        let long = Array(repeating: UInt8(ascii: "x"), count: 5_000_000)
        let result = try lines(Array("short\n".utf8) + long + Array("\nafter\n".utf8), maximum: 1000)
        #expect(result.count == 3)
        #expect(result[1].tooLong && result[1].bytes.isEmpty && result[1].length == 5_000_000)
        #expect(String(decoding: result[2].bytes, as: UTF8.self) == "after")
        #expect(result[2].number == 3)
    }

    @Test func linesLongerThanTheReadBuffer() throws {
        let big = noise(3_000_000).map { $0 == 0x0A ? 0x20 : $0 }
        let result = try lines(big + [0x0A] + Array("x".utf8), maximum: 4_000_000)
        #expect(result.count == 2)
        #expect(result[0].bytes == big)
    }
}
