import Foundation
import Testing
import WinnowCore
import WinnowIO

@Suite struct ShardWriterTests {
    private func contents(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    @Test func appendsAndRotatesBySize() throws {
        let directory = try TemporaryDirectory()
        let writer = try ShardWriter(directory: directory.path, stream: "records", maxBytes: 10, committed: [])
        let first = try writer.append(Array("aaaaaa\n".utf8))
        #expect(first.count == 1 && first[0].committedBytes == 7 && !first[0].sealed)
        let second = try writer.append(Array("bbbbbb\n".utf8))
        #expect(second.count == 2)
        #expect(second[0].name == first[0].name && second[0].sealed)
        #expect(second[1].sequence == first[0].sequence + 1 && second[1].committedBytes == 7)
        #expect(try contents(directory.path + "/" + second[1].name) == "bbbbbb\n")
    }

    @Test func recoveryCutsUncommittedBytesAndRemovesUnknownShards() throws {
        let directory = try TemporaryDirectory()
        var committed: [ShardState] = []
        do {
            let writer = try ShardWriter(directory: directory.path, stream: "records", maxBytes: 1 << 20, committed: [])
            committed = try writer.append(Array("one\n".utf8))
            _ = try writer.append(Array("two, never committed\n".utf8))
        }
        let stray = try directory.write("records-20200101-000099.jsonl", Array("stray\n".utf8))
        let unrelated = try directory.write("notes.txt", Array("keep me".utf8))
        let writer = try ShardWriter(
            directory: directory.path, stream: "records", maxBytes: 1 << 20, committed: committed)
        #expect(writer.recovery.truncatedBytes == 21)
        #expect(writer.recovery.removedFiles == ["records-20200101-000099.jsonl"])
        #expect(!FileManager.default.fileExists(atPath: stray))
        #expect(FileManager.default.fileExists(atPath: unrelated))
        let next = try writer.append(Array("three\n".utf8))
        #expect(next.last?.name == committed[0].name)
        #expect(try contents(directory.path + "/" + committed[0].name) == "one\nthree\n")
    }

    @Test func sealedShardsAreNeverTouched() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("records-20200101-000001.jsonl", Array("sealed\nextra".utf8))
        let sealed = ShardState(
            name: "records-20200101-000001.jsonl", stream: "records", sequence: 1, committedBytes: 7, sealed: true)
        let writer = try ShardWriter(
            directory: directory.path, stream: "records", maxBytes: 1 << 20, committed: [sealed])
        #expect(try contents(path) == "sealed\nextra")
        let appended = try writer.append(Array("new\n".utf8))
        #expect(appended.last?.sequence == 2)
    }
}

@Suite struct ShardCompressionTests {
    private func decompressed(_ path: String, _ compression: ShardCompression) throws -> String {
        let file = try FileByteSource(path: path)
        let source: any ByteSource = compression == .gzip ? try GzipByteSource(file) : try ZstdByteSource(file)
        return String(decoding: try readAll(source), as: UTF8.self)
    }

    @Test(arguments: [ShardCompression.gzip, .zstd])
    func sealedShardsAreReplacedAfterTheCommit(compression: ShardCompression) throws {
        let directory = try TemporaryDirectory()
        let writer = try ShardWriter(
            directory: directory.path, stream: "records", maxBytes: 10, committed: [], compression: compression)
        let first = try writer.append(Array("first line\n".utf8))
        let second = try writer.append(Array("second line\n".utf8))
        let sealedName = try #require(second.first { $0.sealed }?.name)
        let plain = directory.path + "/" + sealedName
        // Until the commit is confirmed the sealed shard stays as it is.
        #expect(FileManager.default.fileExists(atPath: plain))
        try writer.finishSealing()
        #expect(!FileManager.default.fileExists(atPath: plain))
        #expect(try decompressed(plain + compression.fileExtension, compression) == "first line\n")
        #expect(first[0].name == sealedName)
    }

    @Test func recoveryFinishesAnInterruptedCompression() throws {
        let directory = try TemporaryDirectory()
        let name = "records-20200101-000001.jsonl"
        let sealed = ShardState(name: name, stream: "records", sequence: 1, committedBytes: 6, sealed: true)
        _ = try directory.write(name, Array("sealed".utf8))
        _ = try directory.write(name + ".zst.tmp", Array("partial garbage".utf8))
        _ = try ShardWriter(
            directory: directory.path, stream: "records", maxBytes: 100, committed: [sealed], compression: .zstd)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/" + name))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/" + name + ".zst.tmp"))
        #expect(try decompressed(directory.path + "/" + name + ".zst", .zstd) == "sealed")
    }

    @Test func aFinishedCompressedShardWins() throws {
        let directory = try TemporaryDirectory()
        let name = "records-20200101-000001.jsonl"
        let sealed = ShardState(name: name, stream: "records", sequence: 1, committedBytes: 6, sealed: true)
        // The crash came after the rename of the compressed copy and before the plain file's removal.
        _ = try directory.write(name, Array("sealed".utf8))
        _ = try ShardWriter(
            directory: directory.path, stream: "records", maxBytes: 100, committed: [sealed], compression: .gzip)
        #expect(try decompressed(directory.path + "/" + name + ".gz", .gzip) == "sealed")
        _ = try directory.write(name, Array("sealed".utf8))
        _ = try ShardWriter(
            directory: directory.path, stream: "records", maxBytes: 100, committed: [sealed], compression: .gzip)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/" + name))
        #expect(try decompressed(directory.path + "/" + name + ".gz", .gzip) == "sealed")
    }
}
