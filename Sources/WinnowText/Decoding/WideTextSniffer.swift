/// Recognizes UTF-16 and UTF-32 text written without a byte order mark, by where its NUL bytes
/// fall: text in Latin scripts has a zero high byte in (almost) every code unit, so UTF-16LE shows
/// NULs at odd offsets and hardly any at even ones, UTF-16BE the reverse, and UTF-32 three NULs in
/// every four bytes. Binary data has NULs everywhere and matches none of these patterns.
public enum WideTextSniffer {
    /// How much of the start is examined.
    static let sampleBytes = 4096

    /// The wide encoding `bytes` are in, if the pattern of their NUL bytes says so.
    public static func guess(_ bytes: UnsafeBufferPointer<UInt8>) -> Charset? {
        let count = min(bytes.count, sampleBytes) & ~3
        // Fewer than four UTF-16 code units say too little: "AB\0C" could be anything.
        guard count >= 8 else { return nil }
        var zeros = [0, 0, 0, 0]
        for index in 0..<count where bytes[index] == 0 { zeros[index & 3] += 1 }
        let units32 = count / 4
        let units16 = count / 2
        let even = zeros[0] + zeros[2]
        let odd = zeros[1] + zeros[3]
        // UTF-32: the top byte of every code point is zero, the next one for everything below
        // U+10000; the low byte is zero only for U+0000 and a few code points like U+0100.
        if zeros[3] == units32 && zeros[2] * 10 >= units32 * 9 && zeros[0] * 10 < units32 { return .utf32LE }
        if zeros[0] == units32 && zeros[1] * 10 >= units32 * 9 && zeros[3] * 10 < units32 { return .utf32BE }
        // UTF-16: at least 40% of the high bytes are zero (text mixing Latin with another script
        // still passes), and no more than 5% of the low bytes.
        if odd * 10 >= units16 * 4 && even * 20 <= units16 { return .utf16LE }
        if even * 10 >= units16 * 4 && odd * 20 <= units16 { return .utf16BE }
        return nil
    }
}
