import CZlib

/// Streams the decompressed content of gzip data, every member of a multi-member file (as
/// `cat a.gz b.gz` and WARC files produce). Truncated or corrupt data is an error, not a short read.
public final class GzipByteSource: ByteSource {
    private let inner: any ByteSource
    private var stream = z_stream()
    private var input = [UInt8](readBuffer: 256 * 1024)
    private var inputStart = 0
    private var inputEnd = 0
    private var inputEnded = false
    /// True between members: at the start and after each member's end. Ending the input anywhere
    /// else means the data was cut short.
    private var atMemberBoundary = true

    public init(_ inner: any ByteSource) throws {
        self.inner = inner
        // 15 + 16: the largest window, gzip header and trailer expected.
        let status = winnow_inflate_init2(&stream, 15 + 16)
        guard status == Z_OK else {
            throw InputError.corrupt(format: "gzip", detail: "inflateInit2 returned \(status)")
        }
    }

    deinit { inflateEnd(&stream) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if inputStart == inputEnd {
                if inputEnded { return try finish() }
                inputEnd = try input.withUnsafeMutableBytes { try inner.read(into: $0) }
                inputStart = 0
                if inputEnd == 0 {
                    inputEnded = true
                    return try finish()
                }
            }
            let (status, produced) = input.withUnsafeMutableBytes { bytes -> (Int32, Int) in
                stream.next_in = bytes.baseAddress!.assumingMemoryBound(to: Bytef.self) + inputStart
                stream.avail_in = UInt32(inputEnd - inputStart)
                stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = UInt32(buffer.count)
                let status = inflate(&stream, Z_NO_FLUSH)
                inputStart = inputEnd - Int(stream.avail_in)
                return (status, buffer.count - Int(stream.avail_out))
            }
            switch status {
            case Z_STREAM_END:
                atMemberBoundary = true
                inflateReset(&stream)
            case Z_OK, Z_BUF_ERROR:
                atMemberBoundary = false
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw InputError.corrupt(format: "gzip", detail: message)
            }
            if produced > 0 { return produced }
        }
    }

    private func finish() throws -> Int {
        guard atMemberBoundary else { throw InputError.corrupt(format: "gzip", detail: "unexpected end of data") }
        return 0
    }
}
