/// One word of a line as the boilerplate rules compare it: a 64-bit hash of its lowercased UTF-8
/// bytes instead of a `String`, with the few other things the rules ask of a word.
///
/// Two words (or a word and a phrase's word) are equal when their hashes are, as their lowercased
/// `String`s are equal: an ASCII word is lowercased byte by byte while it is hashed; any other goes
/// through `String.lowercased()` and is hashed in its canonical composition (NFC), the form `String`
/// equality compares, so that "naïve" with a combining diaeresis is "naïve" precomposed. A word of
/// scalars that stand alone (`CommonScalars`: most words of European and Middle Eastern scripts) is
/// lowercased from a table to the same bytes, which are in NFC already.
public struct LineWord: Sendable, Equatable {
    /// Hash of the lowercased word's UTF-8 bytes in NFC: `LineWord.hash(of:)` of the lowercased text.
    public let hash: UInt64
    /// Hash of the lowercased word without its trailing "s", or `hash` when it has none.
    public let stem: UInt64
    /// Characters (grapheme clusters) in the lowercased word, as `String.count` counts them.
    public let characters: Int
    /// The value of a word of ASCII digits that fits in an `Int` (as `Int(word)` reads it), or -1.
    private let value: Int

    /// The word's value when it is a number of ASCII digits, as `Int(word)` would read it.
    public var number: Int? { value >= 0 ? value : nil }

    /// Reads the word in `bytes` (non-empty, whole UTF-8 sequences).
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var state = Self.seed
        var beforeLast = state
        var value = 0
        var digits = true
        for byte in bytes {
            guard byte < 0x80 else {
                self = Self.lowercasedByTable(bytes) ?? Self.lowercasedByString(bytes)
                return
            }
            if digits {
                if byte >= 0x30 && byte <= 0x39 {
                    // Past `Int.max`, `Int(word)` is nil: so is the value (-1 stays -1).
                    if value >= 0 {
                        let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
                        let (sum, carry) = times10.addingReportingOverflow(Int(byte - 0x30))
                        value = overflow || carry ? -1 : sum
                    }
                } else {
                    digits = false
                }
            }
            beforeLast = state
            state = Self.add(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte, to: state)
        }
        let hash = Self.finish(state)
        let last = bytes[bytes.count - 1] | 0x20
        self.init(
            hash: hash, stem: last == UInt8(ascii: "s") ? Self.finish(beforeLast) : hash, characters: bytes.count,
            value: digits ? value : -1)
    }

    /// A word from its parts.
    private init(hash: UInt64, stem: UInt64, characters: Int, value: Int) {
        self.hash = hash
        self.stem = stem
        self.characters = characters
        self.value = value
    }

    /// A word with bytes outside ASCII whose every scalar stands alone (`CommonScalars`), lowercased
    /// from the table: the same word `lowercasedByString` reads, or nil for any other word.
    static func lowercasedByTable(_ bytes: UnsafeBufferPointer<UInt8>) -> LineWord? {
        let common = CommonScalars.shared
        var state = seed
        var beforeLast = state
        var last: UInt8 = 0
        var characters = 0
        var index = 0
        while index < bytes.count {
            let (scalar, length) = UTF8Scalar.scalar(in: bytes, at: index)
            index += length
            if scalar < 0x80 {
                guard scalar != 0x0D && scalar != 0x0A else { return nil }
                let byte = UInt8(scalar)
                last = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                beforeLast = state
                state = add(last, to: state)
                characters += 1
                continue
            }
            guard let slot = CommonScalars.slot(scalar), common.standsAlone[slot] else { return nil }
            for offset in common.lower[slot] {
                let byte = common.bytes[Int(offset)]
                if byte < 0x80 || byte >= 0xC0 { characters += 1 }
                last = byte
                beforeLast = state
                state = add(byte, to: state)
            }
        }
        let hash = finish(state)
        return LineWord(
            hash: hash, stem: last == UInt8(ascii: "s") ? finish(beforeLast) : hash, characters: characters, value: -1)
    }

    /// A word with bytes outside ASCII, lowercased by the standard library as a `String` is.
    static func lowercasedByString(_ bytes: UnsafeBufferPointer<UInt8>) -> LineWord {
        let lowered = String(decoding: bytes, as: UTF8.self).lowercased()
        let hash = hash(of: lowered)
        let stem = lowered.hasSuffix("s") ? Self.hash(of: String(lowered.dropLast())) : hash
        return LineWord(hash: hash, stem: stem, characters: lowered.count, value: -1)
    }

    /// Hash of `text`'s UTF-8 bytes in NFC (not lowercased): equal to the `hash` of a word whose
    /// lowercased text is `text`.
    public static func hash(of text: String) -> UInt64 {
        var state = seed
        // The standard library's own NFC, the one `==` and `hash(into:)` of `String` use: it
        // passes ASCII and text already in NFC through unchanged.
        text._withNFCCodeUnits { state = add($0, to: state) }
        return finish(state)
    }

    /// FNV-1a's offset basis.
    private static let seed: UInt64 = 0xcbf2_9ce4_8422_2325

    /// One FNV-1a step.
    @inline(__always)
    private static func add(_ byte: UInt8, to state: UInt64) -> UInt64 {
        (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    /// MurmurHash3's 64-bit finalizer: spreads FNV's weak high bits over the whole hash, so a hash
    /// table can take its low bits as the slot.
    @inline(__always)
    private static func finish(_ state: UInt64) -> UInt64 {
        var hash = state
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }
}
