/// Splits a byte stream into lines (`\n`, with a `\r` before it removed), holding at most
/// `maximumLength` bytes of any one line: a longer line is reported as too long, with its length,
/// and skipped without being buffered.
public final class LineReader {
    /// One line: its bytes (empty when too long), its 1-based number and its full length.
    public struct Line {
        public var bytes: [UInt8]
        public var number: Int
        public var length: Int
        public var tooLong: Bool
    }

    private let source: any ByteSource
    private let maximumLength: Int
    private var chunk = [UInt8](readBuffer: 1 << 20)
    private var start = 0
    private var end = 0
    private var finished = false
    private var lineNumber = 0

    public init(_ source: any ByteSource, maximumLength: Int) {
        self.source = source
        self.maximumLength = maximumLength
    }

    /// The next line, or `nil` at the end of the stream.
    public func next() throws -> Line? {
        var pending: [UInt8] = []
        var length = 0
        var tooLong = false
        while true {
            if start == end {
                if finished { break }
                end = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
                start = 0
                if end == 0 {
                    finished = true
                    break
                }
            }
            let newline = chunk.withUnsafeBufferPointer { buffer -> Int? in
                var index = start
                while index < end {
                    if buffer[index] == 0x0A { return index }
                    index += 1
                }
                return nil
            }
            let stop = newline ?? end
            let piece = stop - start
            length += piece
            if !tooLong {
                if length > maximumLength {
                    tooLong = true
                    pending = []
                } else {
                    pending.append(contentsOf: chunk[start..<stop])
                }
            }
            if let newline {
                start = newline + 1
                return makeLine(pending, length: length, tooLong: tooLong)
            }
            start = end
        }
        if length == 0 && pending.isEmpty { return nil }
        return makeLine(pending, length: length, tooLong: tooLong)
    }

    private func makeLine(_ bytes: [UInt8], length: Int, tooLong: Bool) -> Line {
        lineNumber += 1
        var bytes = bytes
        if bytes.last == 0x0D { bytes.removeLast() }
        return Line(bytes: bytes, number: lineNumber, length: length, tooLong: tooLong)
    }
}
