import Testing
import WinnowIO

@Suite struct DecompressionTests {
    @Test func gzipWithSeveralMembers() throws {
        let directory = try TemporaryDirectory()
        let parts = [noise(300_000, seed: 1), Array("second member\n".utf8), noise(70_000, seed: 2)]
        let path = try directory.writeGzip("a.gz", members: parts)
        let source = try GzipByteSource(FileByteSource(path: path))
        #expect(try readAll(source) == parts.flatMap { $0 })
    }

    @Test func truncatedGzipIsAnError() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.writeGzip("a.gz", members: [noise(100_000)])
        let whole = try readAll(FileByteSource(path: path))
        let cut = try directory.write("cut.gz", Array(whole.prefix(whole.count / 2)))
        #expect(throws: InputError.self) { try readAll(GzipByteSource(FileByteSource(path: cut))) }
    }

    @Test func zstdWithSeveralFrames() throws {
        let directory = try TemporaryDirectory()
        let frames = [noise(200_000, seed: 3), Array(repeating: UInt8(ascii: "a"), count: 500_000)]
        let path = try directory.writeZstd("a.zst", frames: frames)
        #expect(try readAll(ZstdByteSource(FileByteSource(path: path))) == frames.flatMap { $0 })
    }

    @Test func truncatedZstdIsAnError() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.writeZstd("a.zst", frames: [noise(100_000)])
        let whole = try readAll(FileByteSource(path: path))
        let cut = try directory.write("cut.zst", Array(whole.prefix(whole.count - 10)))
        #expect(throws: InputError.self) { try readAll(ZstdByteSource(FileByteSource(path: cut))) }
    }

    @Test func expansionIsCapped() throws {
        let directory = try TemporaryDirectory()
        // 10 MB of one byte compresses to a few KB: the cap must stop it, not memory.
        let path = try directory.writeGzip("bomb.gz", members: [Array(repeating: 0x61, count: 10_000_000)])
        let source = LimitedByteSource(try GzipByteSource(FileByteSource(path: path)), limit: 1_000_000)
        #expect(throws: InputError.decompressedTooLarge(limit: 1_000_000)) { try readAll(source, chunk: 65536) }
    }
}
