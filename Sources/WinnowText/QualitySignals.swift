/// Counts the document quality rules read from the raw text: symbols, and the shape of each line.
public enum QualitySignals {
    /// Per-line counts over the non-empty lines of a text.
    public struct LineShapes: Sendable, Equatable {
        /// Non-empty lines.
        public var count = 0
        /// Lines starting with a bullet (•, -, *, ‣, ◦, ▪, ●, ·).
        public var bullets = 0
        /// Lines ending in "..." or "…".
        public var ellipses = 0
        /// Lines ending in terminal punctuation (. ! ? … closing quotes, and the CJK, Arabic and Devanagari stops).
        public var terminal = 0
        /// Lines of at most the given number of characters.
        public var short = 0
        /// Characters on all lines (their bytes, without line breaks).
        public var bytes = 0
    }

    /// The number of "#" and of ellipses ("..." counted without overlap, and "…") in `bytes`.
    public static func symbolCounts(_ bytes: UnsafeBufferPointer<UInt8>) -> (hashes: Int, ellipses: Int) {
        var hashes = 0
        var ellipses = 0
        var dots = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 0x2E {
                dots += 1
                if dots == 3 {
                    ellipses += 1
                    dots = 0
                }
            } else {
                dots = 0
                if byte == 0x23 {
                    hashes += 1
                } else if byte == 0xE2, index + 2 < count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA6 {
                    ellipses += 1
                }
            }
            index += 1
        }
        return (hashes, ellipses)
    }

    /// Counts the shapes of `lines` of `bytes`; a line is short with at most `shortLength` characters.
    public static func lineShapes(_ bytes: UnsafeBufferPointer<UInt8>, lines: [TextSpan], shortLength: Int = 30)
        -> LineShapes
    {
        var shapes = LineShapes()
        for line in lines {
            shapes.count += 1
            shapes.bytes += line.byteCount
            if startsWithBullet(bytes, line.start) { shapes.bullets += 1 }
            if endsWithEllipsis(bytes, line) { shapes.ellipses += 1 }
            if endsWithTerminal(bytes, line) { shapes.terminal += 1 }
            if line.byteCount <= shortLength || line.characters(in: bytes) <= shortLength { shapes.short += 1 }
        }
        return shapes
    }

    /// `lineShapes` over the non-empty lines of `bytes`.
    public static func lineShapes(_ bytes: UnsafeBufferPointer<UInt8>, shortLength: Int = 30) -> LineShapes {
        var lines: [TextSpan] = []
        TextSpan.lines(in: bytes, into: &lines)
        return lineShapes(bytes, lines: lines, shortLength: shortLength)
    }

    private static func startsWithBullet(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        let byte = bytes[start]
        if byte == 0x2D || byte == 0x2A { return true }
        guard byte >= 0xC0 else { return false }
        switch UTF8Scalar.decode(bytes, at: start).value {
        case 0x2022, 0x2023, 0x25E6, 0x25AA, 0x25CF, 0x00B7: return true
        default: return false
        }
    }

    private static func endsWithEllipsis(_ bytes: UnsafeBufferPointer<UInt8>, _ line: TextSpan) -> Bool {
        let end = line.end
        if line.byteCount >= 3, bytes[end - 1] == 0x2E, bytes[end - 2] == 0x2E, bytes[end - 3] == 0x2E { return true }
        return line.byteCount >= 3 && bytes[end - 3] == 0xE2 && bytes[end - 2] == 0x80 && bytes[end - 1] == 0xA6
    }

    private static func endsWithTerminal(_ bytes: UnsafeBufferPointer<UInt8>, _ line: TextSpan) -> Bool {
        let last = bytes[line.end - 1]
        switch last {
        case 0x2E, 0x21, 0x3F, 0x22, 0x27: return true
        case 0x00..<0x80: return false
        default: break
        }
        var lead = line.end - 1
        while lead > line.start, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        switch UTF8Scalar.decode(bytes, at: lead).value {
        case 0x201D, 0x2019, 0x00BB, 0x2026, 0x3002, 0xFF01, 0xFF1F, 0xFF0E, 0x061F, 0x06D4, 0x0964: return true
        default: return false
        }
    }
}
