/// How much of some non-ASCII content reads as UTF-8: the bytes in well-formed multi-byte
/// sequences against the bytes that are not. Text in a legacy single-byte encoding has its high
/// bytes next to ASCII, where UTF-8 needs continuation bytes, so almost none of them form valid
/// sequences; UTF-8 text with a few damaged bytes is the other way round.
public struct UTF8Evidence: Sendable, Equatable {
    /// How much of a large input is measured: the proportion settles long before.
    public static let sampleBytes = 1 << 20

    /// Bytes in valid sequences of two to four bytes.
    public var validBytes = 0
    /// Bytes that begin no valid sequence (each is replaced when repaired).
    public var invalidBytes = 0

    /// Whether at least half of the non-ASCII bytes are in valid sequences: the content is UTF-8,
    /// damaged in places, rather than another encoding.
    public var isMostlyUTF8: Bool { validBytes > 0 && validBytes >= invalidBytes }

    /// Measures `bytes`.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let need: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; high = 0x9F
            case 0xF0: need = 3; low = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; high = 0x8F
            default: need = 0
            }
            var length = 0
            if need > 0 && index + need < count {
                length = 1
                while length <= need {
                    let byte = bytes[index + length]
                    let (lower, upper) = length == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                    guard byte >= lower && byte <= upper else { break }
                    length += 1
                }
            }
            if length == need + 1 {
                validBytes += length
                index += length
            } else {
                invalidBytes += 1
                index += 1
            }
        }
    }
}
