import WinnowCore
import WinnowText

/// Short lists of the most frequent function words per language, for Gopher's stop-word rule (a real
/// document in a language uses at least a couple of them). Gopher's own English list is "the", "be",
/// "to", "of", "and", "that", "have", "with"; the lists here extend it a little and add other languages.
/// Words are compared with ASCII letters lowercased.
struct StopWords: Sendable {
    private let hashes: Set<UInt64>

    /// The list for an ISO 639-1 code, or `nil` for a language without one.
    init?(language: String) {
        guard let words = Self.lists[language] else { return nil }
        hashes = Set(words.map { word in word.utf8.reduce(Self.offset) { Self.mix($0, $1) } })
    }

    /// How many of `words` are stop words, counting no further than `limit`.
    func count(in words: [WordSpan], bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> Int {
        var found = 0
        for word in words where word.byteCount <= 12 {
            var hash = Self.offset
            for index in word.start..<word.end {
                let byte = bytes[index]
                hash = Self.mix(hash, byte &- 0x41 < 26 ? byte | 0x20 : byte)
            }
            if hashes.contains(hash) {
                found += 1
                if found >= limit { break }
            }
        }
        return found
    }

    private static let offset: UInt64 = 0xCBF2_9CE4_8422_2325

    @inline(__always)
    private static func mix(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }

    static let lists: [String: [String]] = [
        "en": [
            "the", "be", "to", "of", "and", "that", "have", "with", "a", "in", "is", "it", "for", "on", "was", "as",
            "are", "this", "by", "at", "from", "not", "but", "or", "he", "she", "they", "we", "you", "his", "her",
        ],
        "de": [
            "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "mit", "von", "sich", "des",
            "auf", "für", "im", "dem", "es", "sie", "ich", "auch", "wird", "als", "an", "aus", "wie", "dass",
        ],
        "fr": [
            "le", "la", "les", "de", "des", "et", "un", "une", "est", "que", "qui", "dans", "pour", "pas", "sur",
            "au", "du", "en", "il", "elle", "ne", "se", "avec", "par", "ce", "sont", "plus",
        ],
        "es": [
            "el", "la", "los", "las", "de", "del", "y", "que", "en", "un", "una", "es", "por", "con", "para", "se",
            "no", "al", "lo", "su", "como", "más", "pero", "fue",
        ],
        "it": [
            "il", "la", "lo", "le", "gli", "di", "che", "e", "è", "un", "una", "per", "non", "in", "con", "del",
            "della", "si", "da", "al", "sono", "ma", "anche",
        ],
        "pt": [
            "o", "a", "os", "as", "de", "do", "da", "que", "e", "é", "um", "uma", "em", "para", "com", "não", "no",
            "na", "se", "por", "mais", "dos", "das",
        ],
        "nl": [
            "de", "het", "een", "en", "van", "is", "dat", "niet", "op", "te", "in", "zijn", "met", "voor", "die",
            "er", "ook", "aan", "maar", "om", "als",
        ],
        "ru": [
            "и", "в", "не", "на", "что", "с", "по", "это", "как", "он", "она", "но", "к", "из", "у", "за", "о",
            "то", "от", "для", "я", "же", "его", "был", "так",
        ],
        "pl": [
            "i", "w", "nie", "na", "się", "z", "że", "do", "to", "jest", "o", "jak", "ale", "po", "co", "tak", "od",
            "za", "a", "jego", "przez",
        ],
        "sv": [
            "och", "att", "det", "i", "en", "som", "är", "på", "av", "för", "med", "den", "till", "inte", "har",
            "de", "om", "ett", "var", "jag", "men",
        ],
    ]
}
