import CZlib
import CZstd
import Foundation
import WinnowIO

/// Temporary directories and compressed fixtures written for one test.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "winnow-io-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// A gzip file made with zlib's own gz* API (one member per `members` element).
    func writeGzip(_ name: String, members: [[UInt8]]) throws -> String {
        let file = path + "/" + name
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        for member in members {
            guard let handle = gzopen(file, "ab") else { throw CocoaError(.fileWriteUnknown) }
            _ = member.withUnsafeBytes { gzwrite(handle, $0.baseAddress, UInt32($0.count)) }
            gzclose(handle)
        }
        return file
    }

    /// A zstd file (one frame per element of `frames`).
    func writeZstd(_ name: String, frames: [[UInt8]]) throws -> String {
        var output: [UInt8] = []
        for frame in frames {
            var compressed = [UInt8](repeating: 0, count: ZSTD_compressBound(frame.count))
            let size = frame.withUnsafeBytes { source in
                compressed.withUnsafeMutableBytes {
                    ZSTD_compress($0.baseAddress, $0.count, source.baseAddress, source.count, 3)
                }
            }
            output += compressed.prefix(size)
        }
        return try write(name, output)
    }
}

/// Reads a whole byte source in small chunks (to cross buffer boundaries).
func readAll(_ source: any ByteSource, chunk: Int = 777) throws -> [UInt8] {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: chunk)
    while true {
        let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        if count == 0 { return result }
        result += buffer.prefix(count)
    }
}

/// Deterministic, poorly compressible bytes.
func noise(_ count: Int, seed: UInt64 = 42) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}
