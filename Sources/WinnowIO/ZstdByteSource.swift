import CZstd

/// Streams the decompressed content of zstd data (any number of frames). Truncated or corrupt data
/// is an error, not a short read.
public final class ZstdByteSource: ByteSource {
    private let inner: any ByteSource
    private let context: OpaquePointer
    private var input = [UInt8](readBuffer: ZSTD_DStreamInSize())
    private var inputStart = 0
    private var inputEnd = 0
    private var inputEnded = false
    /// The last `ZSTD_decompressStream` result: 0 when a frame has just been completed.
    private var frameRemaining = 0

    public init(_ inner: any ByteSource) throws {
        self.inner = inner
        guard let context = ZSTD_createDCtx() else { throw InputError.corrupt(format: "zstd", detail: "out of memory") }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if inputStart == inputEnd && !inputEnded {
                inputEnd = try input.withUnsafeMutableBytes { try inner.read(into: $0) }
                inputStart = 0
                if inputEnd == 0 { inputEnded = true }
            }
            let (result, consumed, produced) = input.withUnsafeMutableBytes { bytes -> (Int, Int, Int) in
                var source = ZSTD_inBuffer(src: bytes.baseAddress! + inputStart, size: inputEnd - inputStart, pos: 0)
                var target = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
                let result = ZSTD_decompressStream(context, &target, &source)
                inputStart += source.pos
                return (result, source.pos, target.pos)
            }
            if ZSTD_isError(result) != 0 {
                throw InputError.corrupt(format: "zstd", detail: String(cString: ZSTD_getErrorName(result)))
            }
            // A call that moved nothing says nothing about the frame (after a frame's end it asks
            // for the next frame's header), so only calls that did work update the state.
            if consumed > 0 || produced > 0 { frameRemaining = result }
            if produced > 0 { return produced }
            if inputEnded && inputStart == inputEnd {
                // The output buffer had room and nothing came out: all data is flushed.
                guard frameRemaining == 0 else {
                    throw InputError.corrupt(format: "zstd", detail: "unexpected end of data")
                }
                return 0
            }
        }
    }
}
