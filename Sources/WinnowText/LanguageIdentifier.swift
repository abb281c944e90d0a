import CCLD2

/// Identifies the language of a text with CLD2 (Compact Language Detector 2, from Debian).
public enum LanguageIdentifier {
    /// CLD2's answer for a text.
    public struct Guess: Sendable, Equatable {
        /// An ISO 639-1 code where one exists ("en", "zh", "he"), else CLD2's code ("haw", "ceb");
        /// "und" when CLD2 finds no language.
        public var code: String
        /// 0–1: the share of the text's letters CLD2 gave the top language, halved when CLD2 marks the
        /// answer unreliable (so an unreliable answer stays below the usual 0.65 threshold).
        public var score: Double
        /// CLD2's own reliability flag.
        public var reliable: Bool

        public init(code: String, score: Double, reliable: Bool) {
            self.code = code
            self.score = score
            self.reliable = reliable
        }
    }

    /// CLD2's guess for `text` (plain text, valid UTF-8).
    public static func identify(_ text: String) -> Guess {
        guard !text.utf8.isEmpty else { return Guess(code: "und", score: 0, reliable: false) }
        var copy = text
        let result = copy.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { ccld2_detect($0.baseAddress, $0.count) }
        }
        let raw = withUnsafeBytes(of: result.code) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let code = isoCode(raw)
        guard code != "und" else { return Guess(code: code, score: 0, reliable: false) }
        let share = Double(min(max(result.percent, 0), 100)) / 100
        return Guess(code: code, score: result.reliable ? share : share / 2, reliable: result.reliable)
    }

    /// CLD2's code as an ISO 639-1 code: regional and script variants folded ("zh-Hant" → "zh"),
    /// withdrawn codes replaced ("iw" → "he").
    static func isoCode(_ cld2: String) -> String {
        let base = cld2.split(separator: "-").first.map(String.init) ?? ""
        switch base {
        case "", "un", "xx", "xxx": return "und"
        case "iw": return "he"
        case "in": return "id"
        case "ji": return "yi"
        case "jw": return "jv"
        case "mo": return "ro"
        default: return base
        }
    }
}
