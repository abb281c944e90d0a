/// Undoes the commonest mojibake: UTF-8 bytes decoded as Windows-1252 (or Latin-1), as in `â€™`
/// for `’` or `Ã©` for `é`. A run of characters is replaced only when mapping it back to its
/// Windows-1252 bytes gives one well-formed multi-byte UTF-8 character, which ordinary text almost
/// never does by chance.
enum MojibakeRepair {
    /// Windows-1252's characters for the bytes 0x80–0x9F (the rest of the byte range is Latin-1).
    static let high: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    /// The UTF-8 continuation byte (0x80–0xBF) a character was decoded from, if it was one.
    @inline(__always)
    private static func continuation(_ value: UInt32) -> UInt8? {
        if value >= 0x80 && value <= 0xBF { return UInt8(value) }
        return value < 0x100 ? nil : high[value]
    }

    /// Copies `bytes` to `output` with mojibake sequences repaired; false when there was none.
    ///
    /// A sequence starts with one of Â–ô (U+00C2–U+00F4: the lead bytes 0xC2–0xF4 read as Latin-1),
    /// encoded 0xC3 0x82–0xB4, so only those two bytes start a look further.
    static func repair(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        var copy = ByteCopy()
        var index = 0
        var rebuilt: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        while let start = ByteSearch.first(0xC3, in: bytes, from: index) {
            index = start + 1
            guard start + 1 < bytes.count, (0x82...0xB4).contains(bytes[start + 1]) else { continue }
            index = start + 2
            let lead = 0xC0 | (bytes[start + 1] & 0x3F)
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            var end = start + 2
            var found = 1
            rebuilt.0 = lead
            while found < length, end < bytes.count {
                let (value, size) = UTF8Scalar.scalar(in: bytes, at: end)
                guard let byte = continuation(value) else { break }
                withUnsafeMutableBytes(of: &rebuilt) { $0[found] = byte }
                found += 1
                end += size
            }
            guard found == length, isWellFormed(rebuilt) else { continue }
            copy.pending(bytes, upTo: start, into: &output)
            withUnsafeBytes(of: rebuilt) { output.append(contentsOf: $0.prefix(length)) }
            index = end
            copy.skip(to: end)
        }
        return copy.finish(bytes, into: &output)
    }

    /// Whether a lead byte (0xC2–0xF4) and its continuation bytes (each 0x80–0xBF) encode one
    /// scalar in its shortest form, outside the surrogates and below U+110000.
    private static func isWellFormed(_ bytes: (UInt8, UInt8, UInt8, UInt8)) -> Bool {
        switch bytes.0 {
        case 0xE0: bytes.1 >= 0xA0
        case 0xED: bytes.1 <= 0x9F
        case 0xF0: bytes.1 >= 0x90
        case 0xF4: bytes.1 <= 0x8F
        default: true
        }
    }
}
