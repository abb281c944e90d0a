import WinnowCore
import WinnowText

/// C4's document-level rules (Raffel et al. 2020, "Exploring the Limits of Transfer Learning", section
/// 2.2), in the semantics of datatrove's `C4QualityFilter`: placeholder text ("lorem ipsum") and, off
/// by default, any curly bracket (code). C4's line-level rules belong to the line filters.
public struct C4QualityFilter: DocumentFilter, ConfigurableStage {
    /// Which rules run.
    public struct Configuration: StageConfiguration {
        /// Drop documents containing "lorem ipsum", any case (C4: on).
        public var dropLoremIpsum = true
        /// Drop documents containing "{" (C4: on). Off here: news quotes code and JSON rarely but rightly.
        public var dropCurlyBracket = false

        public init() {}
    }

    public let name = "c4_quality"
    private let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    public func verdict(for document: Document, context: StageContext) -> Verdict {
        var text = document.text
        return text.withUTF8 { bytes in
            if configuration.dropLoremIpsum, let offset = Self.loremIpsum(in: bytes) {
                return .drop(DropReason("quality.c4_lorem_ipsum", details: ["offset": .int(offset)]))
            }
            if configuration.dropCurlyBracket, let offset = bytes.firstIndex(of: 0x7B) {
                return .drop(DropReason("quality.c4_curly_bracket", details: ["offset": .int(offset)]))
            }
            return .keep
        }
    }

    /// The byte offset of the first "lorem ipsum" in any letter case.
    private static func loremIpsum(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let needle = Array("lorem ipsum".utf8)
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start] | 0x20 == 0x6C {
            var matched = true
            for offset in 1..<needle.count where bytes[start + offset] | 0x20 != needle[offset] {
                matched = false
                break
            }
            if matched { return start }
        }
        return nil
    }
}
