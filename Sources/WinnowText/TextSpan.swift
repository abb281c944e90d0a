/// A byte range of a text: a line or a paragraph. The splitters skip empty pieces and trim spaces
/// and tabs at both ends, so a span always holds visible text.
public struct TextSpan: Sendable, Equatable {
    /// Byte offset of the first byte.
    public var start: Int
    /// Byte offset just past the last byte.
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// The span's length in bytes.
    public var byteCount: Int { end - start }

    /// Replaces `lines` with the non-empty lines of `bytes` (split on `\n`).
    public static func lines(in bytes: UnsafeBufferPointer<UInt8>, into lines: inout [TextSpan]) {
        split(bytes, into: &lines, paragraphs: false)
    }

    /// Replaces `paragraphs` with the paragraphs of `bytes`: pieces separated by one or more blank lines.
    public static func paragraphs(in bytes: UnsafeBufferPointer<UInt8>, into paragraphs: inout [TextSpan]) {
        split(bytes, into: &paragraphs, paragraphs: true)
    }

    /// The number of Unicode scalars in the span (its length in characters).
    public func characters(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for index in start..<end where bytes[index] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    private static func split(_ bytes: UnsafeBufferPointer<UInt8>, into spans: inout [TextSpan], paragraphs: Bool) {
        spans.removeAll(keepingCapacity: true)
        let count = bytes.count
        var pieceStart = 0
        var index = 0
        while let newline = ByteSearch.first(0x0A, in: bytes, from: index) {
            // A paragraph ends only where a line is blank: the next line holds nothing but spaces.
            var next = newline + 1
            if paragraphs {
                while next < count, bytes[next] == 0x20 || bytes[next] == 0x09 { next += 1 }
                if next < count, bytes[next] != 0x0A {
                    index = next
                    continue
                }
            }
            appendTrimmed(bytes, pieceStart, newline, to: &spans)
            pieceStart = next
            index = next
        }
        appendTrimmed(bytes, pieceStart, count, to: &spans)
    }

    @inline(__always)
    private static func appendTrimmed(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, to spans: inout [TextSpan]
    ) {
        var low = start
        var high = end
        while low < high, isBlank(bytes[low]) { low += 1 }
        while high > low, isBlank(bytes[high - 1]) { high -= 1 }
        if low < high { spans.append(TextSpan(start: low, end: high)) }
    }

    @inline(__always)
    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}
