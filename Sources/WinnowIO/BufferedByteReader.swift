/// Reads a byte stream as a parser needs it: lines up to a length limit, then a known number of
/// bytes kept or skipped, all without holding more than one chunk and the requested bytes in
/// memory. `offset` counts the bytes consumed, for error messages that point into the stream.
public final class BufferedByteReader {
    private let source: any ByteSource
    private var chunk: [UInt8]
    private var start = 0
    private var end = 0
    private var finished = false
    /// Bytes consumed from the stream so far.
    public private(set) var offset = 0

    public init(_ source: any ByteSource, chunkSize: Int = 1 << 16) {
        self.source = source
        self.chunk = [UInt8](readBuffer: chunkSize)
    }

    /// Whether the stream has no byte left.
    public func atEnd() throws -> Bool {
        try fill()
        return start == end
    }

    /// The next byte without consuming it, `nil` at the end.
    public func peek() throws -> UInt8? {
        try fill()
        return start < end ? chunk[start] : nil
    }

    /// The next line without its `\n` (and a `\r` before it), `nil` at the end of the stream. A line
    /// longer than `limit` is consumed whole but only its first `limit` bytes are returned, with
    /// `truncated` set.
    public func readLine(limit: Int) throws -> (bytes: [UInt8], truncated: Bool)? {
        var line: [UInt8] = []
        var truncated = false
        var sawAny = false
        while true {
            try fill()
            if start == end { break }
            sawAny = true
            let newline = chunk.withUnsafeBufferPointer { buffer -> Int? in
                var index = start
                while index < end {
                    if buffer[index] == 0x0A { return index }
                    index += 1
                }
                return nil
            }
            let stop = newline ?? end
            let room = limit - line.count
            if room > 0 { line.append(contentsOf: chunk[start..<min(stop, start + room)]) }
            if stop - start > room { truncated = true }
            offset += stop - start
            start = stop
            if newline != nil {
                start += 1
                offset += 1
                if line.last == 0x0D && !truncated { line.removeLast() }
                return (line, truncated)
            }
        }
        guard sawAny else { return nil }
        if line.last == 0x0D && !truncated { line.removeLast() }
        return (line, truncated)
    }

    /// Reads `count` bytes, keeping the first `keep` of them; fewer come back if the stream ends.
    /// Returns the kept bytes and how many were consumed in all.
    public func read(_ count: Int, keep: Int) throws -> (bytes: [UInt8], consumed: Int) {
        var kept: [UInt8] = []
        kept.reserveCapacity(min(keep, count))
        var consumed = 0
        while consumed < count {
            try fill()
            if start == end { break }
            let take = min(end - start, count - consumed)
            let keepHere = max(0, min(take, keep - consumed))
            if keepHere > 0 { kept.append(contentsOf: chunk[start..<start + keepHere]) }
            start += take
            consumed += take
            offset += take
        }
        return (kept, consumed)
    }

    private func fill() throws {
        guard start == end, !finished else { return }
        end = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
        start = 0
        if end == 0 { finished = true }
    }
}
