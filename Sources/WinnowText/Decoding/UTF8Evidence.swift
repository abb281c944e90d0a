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
            let (valid, length) = UTF8Sequence.scan(bytes, at: index)
            if valid {
                validBytes += length
            } else {
                invalidBytes += 1
            }
            index += valid ? length : 1
        }
    }
}
