#if canImport(Glibc)
    import Glibc
#endif

/// Searches in UTF-8 bytes: a byte (with the C library's `memchr`, which compares many bytes at
/// once), and substrings for class names and attribute values.
enum ByteSearch {
    /// The offset of the first `byte` at or after `start` in `bytes`.
    @inline(__always)
    static func first(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
            let found = memchr(base + start, Int32(byte), bytes.count - start)
        else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: [UInt8], _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { pattern in
            haystack.withUnsafeBufferPointer { contains($0, pattern) }
        }
    }

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: String, _ needle: StaticString) -> Bool {
        var haystack = haystack
        return haystack.withUTF8 { bytes in needle.withUTF8Buffer { contains(bytes, $0) } }
    }

    /// Whether `pattern` occurs in `bytes`.
    static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ pattern: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = pattern.count
        guard count > 0 else { return true }
        guard bytes.count >= count else { return false }
        let first = pattern[0]
        var index = 0
        let last = bytes.count - count
        while index <= last {
            if bytes[index] == first {
                var matched = 1
                while matched < count && bytes[index + matched] == pattern[matched] { matched += 1 }
                if matched == count { return true }
            }
            index += 1
        }
        return false
    }
}
