/// Turns arbitrary bytes into a valid UTF-8 `String`, replacing each maximal invalid subpart with
/// U+FFFD (the WHATWG/Unicode "substitution of maximal subparts" practice) and counting the
/// replacements, so records can say how damaged their input was.
public enum UTF8Repair {
    /// The repaired string and how many U+FFFD were substituted.
    public static func repair(_ bytes: UnsafeBufferPointer<UInt8>) -> (text: String, replaced: Int) {
        // Fast path: the standard library's validator, no copy beyond the String itself.
        if let valid = String(validating: bytes, as: UTF8.self) { return (valid, 0) }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 16)
        var replaced = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                out.append(lead)
                index += 1
                continue
            }
            let (complete, length) = UTF8Sequence.scan(bytes, at: index)
            if complete {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
            } else {
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                replaced += 1
            }
            index += length
        }
        return (String(decoding: out, as: UTF8.self), replaced)
    }

    /// The repaired string and the replacement count for a byte array.
    public static func repair(_ bytes: [UInt8]) -> (text: String, replaced: Int) {
        bytes.withUnsafeBufferPointer { repair($0) }
    }
}
