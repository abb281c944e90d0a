/// Substring tests on UTF-8 bytes, for class names and attribute values.
enum ByteSearch {
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
