/// A stream of bytes read in chunks: a file, or a decompressor over another source.
public protocol ByteSource: AnyObject {
    /// Fills `buffer` from the start and returns how many bytes were read; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Why an input's bytes could not be read.
public enum InputError: Error, CustomStringConvertible, Equatable {
    case decompressedTooLarge(limit: Int)
    case corrupt(format: String, detail: String)

    public var description: String {
        switch self {
        case .decompressedTooLarge(let limit):
            "the decompressed content is larger than limits.max_decompressed_bytes (\(limit) bytes); "
                + "split the file or raise the limit"
        case .corrupt(let format, let detail):
            "the \(format) data is corrupt or truncated (\(detail))"
        }
    }
}

/// Counts what passes through and fails once more than `limit` bytes came out, so a small
/// compressed file cannot expand without bound (a "zip bomb").
public final class LimitedByteSource: ByteSource {
    private let inner: any ByteSource
    private let limit: Int
    /// Bytes delivered so far.
    public private(set) var total = 0

    public init(_ inner: any ByteSource, limit: Int) {
        self.inner = inner
        self.limit = limit
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try inner.read(into: buffer)
        total += count
        if total > limit { throw InputError.decompressedTooLarge(limit: limit) }
        return count
    }
}

extension Array where Element == UInt8 {
    /// A buffer of `count` bytes to read into, not zero-filled first: a read fills the bytes it
    /// returns, and only those are looked at. A 1 MiB chunk for a 2 KB file then costs the one
    /// page the read touches, not a megabyte of zeroes.
    public init(readBuffer count: Int) {
        self.init(unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }
}
