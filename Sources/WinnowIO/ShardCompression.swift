import CZlib
import CZstd

#if canImport(Glibc)
    import Glibc
#endif

/// How sealed shards are stored. A sealed shard is replaced atomically by its compressed form:
/// `NAME.jsonl` is compressed to `NAME.jsonl.<ext>.tmp`, fsynced, renamed to `NAME.jsonl.<ext>`,
/// the directory fsynced, and only then is `NAME.jsonl` removed.
public enum ShardCompression: String, Sendable, CaseIterable {
    case none
    case gzip
    case zstd

    /// The suffix added to a compressed shard's name.
    public var fileExtension: String {
        switch self {
        case .none: ""
        case .gzip: ".gz"
        case .zstd: ".zst"
        }
    }

    /// Compresses `directory/name` into `directory/name<ext>` and removes the original. Safe to
    /// call again after a crash at any point: a finished compressed file is kept, a partial one redone.
    func replace(_ name: String, in directory: String) throws {
        guard self != .none else { return }
        let source = directory + "/" + name
        let target = source + fileExtension
        if try FileSystem.status(target) != nil {
            try FileSystem.remove(source)
            return
        }
        guard try FileSystem.status(source) != nil else { return }
        let temporary = target + ".tmp"
        let input = try FileByteSource(path: source)
        let output = try syscall("open", path: temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        defer { close(output) }
        switch self {
        case .none: return
        case .gzip: try Self.gzip(input, into: output, path: temporary)
        case .zstd: try Self.zstd(input, into: output, path: temporary)
        }
        try syscall("fsync", path: temporary) { fsync(output) }
        try FileSystem.rename(temporary, to: target)
        try FileSystem.syncDirectory(directory)
        try FileSystem.remove(source)
    }

    private static let chunkSize = 1 << 20

    private static func gzip(_ input: FileByteSource, into output: Int32, path: String) throws {
        var stream = z_stream()
        // 15 + 16: the largest window, with a gzip header and trailer.
        guard winnow_deflate_init2(&stream, 6, 15 + 16) == Z_OK else {
            throw SystemError(call: "deflateInit2", path: path, errno: ENOMEM)
        }
        defer { deflateEnd(&stream) }
        var inBuffer = [UInt8](repeating: 0, count: chunkSize)
        var outBuffer = [UInt8](repeating: 0, count: chunkSize)
        var finished = false
        while !finished {
            let count = try inBuffer.withUnsafeMutableBytes { try input.read(into: $0) }
            let flush = count == 0 ? Z_FINISH : Z_NO_FLUSH
            var status = Z_OK
            try inBuffer.withUnsafeMutableBytes { inBytes in
                stream.next_in = inBytes.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = UInt32(count)
                repeat {
                    let produced = outBuffer.withUnsafeMutableBytes { outBytes -> Int in
                        stream.next_out = outBytes.baseAddress!.assumingMemoryBound(to: Bytef.self)
                        stream.avail_out = UInt32(outBytes.count)
                        status = deflate(&stream, flush)
                        return outBytes.count - Int(stream.avail_out)
                    }
                    try FileSystem.writeAll(output, Array(outBuffer.prefix(produced)), path: path)
                } while stream.avail_out == 0
            }
            finished = status == Z_STREAM_END
        }
    }

    private static func zstd(_ input: FileByteSource, into output: Int32, path: String) throws {
        guard let context = ZSTD_createCCtx() else {
            throw SystemError(call: "ZSTD_createCCtx", path: path, errno: ENOMEM)
        }
        defer { ZSTD_freeCCtx(context) }
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, 3)
        var inBuffer = [UInt8](repeating: 0, count: chunkSize)
        var outBuffer = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
        while true {
            let count = try inBuffer.withUnsafeMutableBytes { try input.read(into: $0) }
            let mode = count == 0 ? ZSTD_e_end : ZSTD_e_continue
            var done = false
            try inBuffer.withUnsafeMutableBytes { inBytes in
                var source = ZSTD_inBuffer(src: inBytes.baseAddress, size: count, pos: 0)
                repeat {
                    var remaining = 0
                    let produced = outBuffer.withUnsafeMutableBytes { outBytes -> Int in
                        var target = ZSTD_outBuffer(dst: outBytes.baseAddress, size: outBytes.count, pos: 0)
                        remaining = ZSTD_compressStream2(context, &target, &source, mode)
                        return target.pos
                    }
                    if ZSTD_isError(remaining) != 0 {
                        throw SystemError(call: "ZSTD_compressStream2", path: path, errno: EIO)
                    }
                    try FileSystem.writeAll(output, Array(outBuffer.prefix(produced)), path: path)
                    done = mode == ZSTD_e_end ? remaining == 0 : source.pos == source.size
                } while !done
            }
            if count == 0 { return }
        }
    }
}
