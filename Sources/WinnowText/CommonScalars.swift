import Foundation

/// What Unicode normalization and lowercasing do to each scalar of the most used non-ASCII blocks
/// when it stands alone, worked out once with the same Foundation and standard-library calls the
/// whole-string conversions make. Text whose scalars all lie in these blocks, with no combining
/// mark among them, then skips those conversions: nothing composes or reorders across scalars
/// there, so the whole string converts as its scalars do one by one.
///
/// The blocks (`blocks`): U+0080–U+07FF (every two-byte UTF-8 sequence: Latin-1, Latin Extended,
/// IPA, Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana, NKo), U+2000–U+206F (general
/// punctuation: dashes, quotes, ellipsis, spaces), U+3000–U+30FF (CJK punctuation, hiragana,
/// katakana), U+FF00–U+FFEF (full-width and half-width forms), U+4E00–U+9FA5 (the CJK ideographs
/// of Unicode 1.1) and U+AC00–U+D7A3 (the Hangul syllables). The scalars in them that compose with
/// a neighbour under NFC are combining marks (and Hangul syllables followed by a jamo, which lies
/// outside), and a scalar with a nonzero combining class is never taken one by one.
struct CommonScalars: Sendable {
    static let shared = CommonScalars()

    /// The blocks in the order of their facts, with `slot` the same order spelled out.
    private static let blocks: [ClosedRange<UInt32>] = [
        0x80...0x7FF, 0x2000...0x206F, 0x4E00...0x9FA5, 0xAC00...0xD7A3, 0x3000...0x30FF, 0xFF00...0xFFEF,
    ]

    private static let count = blocks.reduce(0) { $0 + $1.count }

    /// Where `scalar`'s facts are, or nil outside the blocks.
    @inline(__always)
    static func slot(_ scalar: UInt32) -> Int? {
        let value = Int(scalar)
        switch scalar {
        case 0x80...0x7FF: return value - 0x80
        case 0x2000...0x206F: return value - 0x2000 + 0x780
        case 0x4E00...0x9FA5: return value - 0x4E00 + 0x7F0
        case 0xAC00...0xD7A3: return value - 0xAC00 + 0x7F0 + 0x51A6
        case 0x3000...0x30FF: return value - 0x3000 + 0x7F0 + 0x51A6 + 0x2BA4
        case 0xFF00...0xFFEF: return value - 0xFF00 + 0x7F0 + 0x51A6 + 0x2BA4 + 0x100
        default: return nil
        }
    }

    /// Whether the scalar is its own NFC and has combining class 0.
    let composed: [Bool]
    /// The scalar lowercased (`Unicode.Scalar.Properties.lowercaseMapping`), as ranges of `bytes`.
    let lower: [Range<Int32>]
    /// NFKC then lowercasing, for the exact key: the bytes it becomes when that is no longer than
    /// the scalar and made of scalars of combining class 0; nil when it must be converted with
    /// the whole string.
    let keyFold: [Range<Int32>?]
    /// Whether the scalar changes under NFKC_Casefold or has a nonzero combining class: the test
    /// `ExactKey` makes before converting a whole string.
    let keyTrigger: [Bool]
    /// What the exact key's byte loop makes of the scalar, by its general category.
    let keyClass: [KeyClass]
    /// Whether the scalar and each scalar of its lowercase mapping stand alone: each its own NFC
    /// with combining class 0, and a grapheme cluster of its own beside any other such scalar (not
    /// a mark, a joiner or a prepended sign). A word of such scalars lowercases to one character
    /// per scalar of the mapping, already in NFC.
    let standsAlone: [Bool]
    let bytes: [UInt8]

    private init() {
        var composed: [Bool] = []
        var lower: [Range<Int32>] = []
        var keyFold: [Range<Int32>?] = []
        var keyTrigger: [Bool] = []
        var keyClass: [KeyClass] = []
        var standsAlone: [Bool] = []
        var bytes: [UInt8] = []
        func store(_ text: String) -> Range<Int32> {
            let start = Int32(bytes.count)
            bytes.append(contentsOf: text.utf8)
            return start..<Int32(bytes.count)
        }
        for block in Self.blocks {
            guard !Self.letterBlocks.contains(block) else {
                // Each letter is its own NFC, lowercase and fold, a cluster of its own, kept by the
                // exact key: its own bytes serve as its lowercase and its fold.
                for value in block {
                    let start = Int32(bytes.count)
                    bytes.append(contentsOf: UTF8.encode(Unicode.Scalar(value)!)!)
                    let own = start..<Int32(bytes.count)
                    composed.append(true)
                    lower.append(own)
                    keyFold.append(own)
                    keyTrigger.append(false)
                    keyClass.append(.kept)
                    standsAlone.append(true)
                }
                continue
            }
            for value in block {
                let facts = Self.computedFacts(of: Unicode.Scalar(value)!)
                composed.append(facts.composed)
                lower.append(store(facts.lower))
                keyFold.append(facts.keyFold.map(store))
                keyTrigger.append(facts.keyTrigger)
                keyClass.append(facts.keyClass)
                standsAlone.append(facts.standsAlone)
            }
        }
        precondition(composed.count == Self.count)
        var base = 0
        for block in Self.blocks {
            precondition(Self.slot(block.lowerBound) == base && Self.slot(block.upperBound) == base + block.count - 1)
            base += block.count
        }
        self.composed = composed
        self.lower = lower
        self.keyFold = keyFold
        self.keyTrigger = keyTrigger
        self.keyClass = keyClass
        self.standsAlone = standsAlone
        self.bytes = bytes
    }

    /// One scalar's facts, as the table holds them.
    struct Facts: Equatable {
        var composed: Bool
        var lower: String
        var keyFold: String?
        var keyTrigger: Bool
        var keyClass: KeyClass
        var standsAlone: Bool
    }

    /// The facts the table holds for the scalar at `slot`.
    func facts(at slot: Int) -> Facts {
        func text(_ range: Range<Int32>) -> String {
            String(decoding: bytes[Int(range.lowerBound)..<Int(range.upperBound)], as: UTF8.self)
        }
        return Facts(
            composed: composed[slot], lower: text(lower[slot]), keyFold: keyFold[slot].map(text),
            keyTrigger: keyTrigger[slot], keyClass: keyClass[slot], standsAlone: standsAlone[slot])
    }

    /// The blocks of letters that are their own NFC, NFKC and lowercase, with combining class 0
    /// and a grapheme cluster each: their facts are written without working them out (about 100 ms
    /// of Foundation's conversions at the first use), and the tests check them against
    /// `computedFacts` for every scalar.
    static let letterBlocks: [ClosedRange<UInt32>] = [0x4E00...0x9FA5, 0xAC00...0xD7A3]

    /// The facts of `scalar` worked out with Foundation and the standard library, as the
    /// whole-string conversions would treat it.
    static func computedFacts(of scalar: Unicode.Scalar) -> Facts {
        /// Whether `scalar` is its own NFC, has combining class 0 and forms a cluster of its own
        /// between two letters.
        func single(_ scalar: Unicode.Scalar) -> Bool {
            var around = "a"
            around.unicodeScalars.append(scalar)
            around.unicodeScalars.append("a")
            // Scalars compared, not strings: `==` on strings holds for canonically equivalent ones.
            return scalar.properties.canonicalCombiningClass == .notReordered
                && String(scalar).precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual([scalar])
                && around.count == 3
        }
        let alone = String(scalar)
        let starter = scalar.properties.canonicalCombiningClass == .notReordered
        let folded = alone.precomposedStringWithCompatibilityMapping.lowercased()
        let plain = folded.unicodeScalars.allSatisfy { $0.properties.canonicalCombiningClass == .notReordered }
        return Facts(
            composed: starter && alone.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual([scalar]),
            lower: scalar.properties.lowercaseMapping,
            keyFold: starter && plain && folded.utf8.count <= alone.utf8.count ? folded : nil,
            keyTrigger: !starter || scalar.properties.changesWhenNFKCCaseFolded,
            keyClass: KeyClass(scalar.properties.generalCategory),
            standsAlone: single(scalar)
                && scalar.properties.lowercaseMapping.unicodeScalars.allSatisfy {
                    $0.isASCII || (Self.slot($0.value) != nil && single($0))
                })
    }

    /// What the exact key keeps of `scalar`: from the table, or from its general category.
    func keyClass(of scalar: UInt32) -> KeyClass {
        if let slot = Self.slot(scalar) { return keyClass[slot] }
        return Unicode.Scalar(scalar).map { KeyClass($0.properties.generalCategory) } ?? .separator
    }

    /// What the exact key keeps of a scalar (`ExactKey`, version 1).
    enum KeyClass: UInt8 {
        /// A decimal digit: written as `0`.
        case digit
        /// A letter, a mark or another number: kept as it is.
        case kept
        /// Anything else: a separator.
        case separator

        init(_ category: Unicode.GeneralCategory) {
            switch category {
            case .decimalNumber: self = .digit
            case .letterNumber, .otherNumber, .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter,
                .otherLetter, .nonspacingMark, .spacingMark, .enclosingMark:
                self = .kept
            default: self = .separator
            }
        }
    }

    /// The index of the first byte at or after `index` that is not ASCII, or `text.count`; eight
    /// bytes are tested at a time.
    @inline(__always)
    static func nextNonASCII(_ text: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var index = index
        if let base = text.baseAddress {
            while index + 8 <= text.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                index += 8
            }
        }
        while index < text.count && text[index] < 0x80 { index += 1 }
        return index
    }

    /// Whether `text` (valid UTF-8) is in NFC by this table: every non-ASCII scalar lies in the
    /// blocks and is its own NFC with combining class 0. False says only "not known".
    func isComposed(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = Self.nextNonASCII(text, from: 0)
        while index < text.count {
            let (scalar, length) = UTF8Scalar.decode(text, at: index)
            guard let slot = Self.slot(scalar), composed[slot] else { return false }
            index = Self.nextNonASCII(text, from: index + length)
        }
        return true
    }

    /// Appends `text` (valid UTF-8) lowercased, as `String.lowercased()` writes it: each scalar's
    /// lowercase mapping in turn.
    func appendLowercased(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var index = 0
        while index < text.count {
            // A run of ASCII bytes is copied at once and lowercased in place, in a loop the compiler
            // vectorizes (an `append` per byte checked the array's capacity and uniqueness each time).
            let end = Self.nextNonASCII(text, from: index)
            if end > index {
                let start = out.count
                out.append(contentsOf: UnsafeBufferPointer(rebasing: text[index..<end]))
                out.withUnsafeMutableBufferPointer { buffer in
                    for position in start..<buffer.count {
                        let byte = buffer[position]
                        buffer[position] = byte &+ ((byte &- 0x41) < 26 ? 0x20 : 0)
                    }
                }
                index = end
                continue
            }
            let (scalar, length) = UTF8Scalar.decode(text, at: index)
            if let slot = Self.slot(scalar) {
                let range = lower[slot]
                out.append(contentsOf: bytes[Int(range.lowerBound)..<Int(range.upperBound)])
            } else {
                out.append(contentsOf: Unicode.Scalar(scalar)!.properties.lowercaseMapping.utf8)
            }
            index += length
        }
    }
}
