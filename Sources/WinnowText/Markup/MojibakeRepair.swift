/// Undoes the commonest mojibake: UTF-8 bytes decoded as Windows-1252 (or Latin-1), as in `â€™`
/// for `’` or `Ã©` for `é`. A run of characters is replaced only when mapping it back to its
/// Windows-1252 bytes gives one well-formed multi-byte UTF-8 character, which ordinary text almost
/// never does by chance.
public enum MojibakeRepair {
    /// Windows-1252's characters for the bytes 0x80–0x9F (the rest of the byte range is Latin-1).
    private static let high: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    /// The Windows-1252 byte a character was decoded from, if it has one.
    private static func byte(_ scalar: Unicode.Scalar) -> UInt8? {
        if scalar.value >= 0xA0 && scalar.value <= 0xFF { return UInt8(scalar.value) }
        if scalar.value >= 0x80 && scalar.value <= 0x9F { return UInt8(scalar.value) }
        return high[scalar.value]
    }

    /// `text` with mojibake sequences repaired.
    public static func repair(_ text: String) -> String {
        // Every mojibake sequence starts with Â–ô (the lead bytes 0xC2–0xF4 read as Latin-1), whose
        // own UTF-8 encoding starts with 0xC3 (or 0xC2 for Â).
        guard text.utf8.contains(where: { $0 == 0xC3 || $0 == 0xC2 }),
            text.unicodeScalars.contains(where: { $0.value >= 0xC2 && $0.value <= 0xF4 })
        else { return text }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let lead = scalars[index].value
            let length =
                lead >= 0xF0 && lead <= 0xF4
                ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0
            if length > 0 && index + length <= scalars.count {
                var bytes = [UInt8(lead)]
                for offset in 1..<length {
                    guard let value = byte(scalars[index + offset]), value >= 0x80 && value <= 0xBF else { break }
                    bytes.append(value)
                }
                if bytes.count == length, let decoded = String(validating: bytes, as: UTF8.self),
                    let scalar = decoded.unicodeScalars.first
                {
                    output.append(scalar)
                    index += length
                    continue
                }
            }
            output.append(scalars[index])
            index += 1
        }
        return String(output)
    }
}
