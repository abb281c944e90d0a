/// What a Unicode scalar is to the tokenizer: part of a word (and in which script), a mark that
/// continues the previous character, an apostrophe that may join two halves of a word, or a separator.
enum ScalarClass: Equatable {
    case letter(Script)
    case digit
    case mark
    case apostrophe
    case separator

    /// Classifies a non-ASCII scalar: the common letter blocks by range, the rest by Unicode properties.
    static func of(_ value: UInt32) -> ScalarClass {
        switch value {
        case 0xC0...0x24F where value != 0xD7 && value != 0xF7: return .letter(.latin)
        case 0x80..<0xC0, 0x2000...0x206F, 0x3000...0x3003: return value == 0x2019 ? .apostrophe : .separator
        case 0x300..<0x370: return .mark
        case 0x391...0x3C9, 0x400...0x481, 0x48A...0x52F: return .letter(Script.ofLetter(value))
        case 0x3041...0x3096, 0x30A1...0x30FA, 0x4E00...0x9FFF, 0xAC00...0xD7A3: return .letter(Script.ofLetter(value))
        default: break
        }
        guard let scalar = Unicode.Scalar(value) else { return .separator }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .letterNumber:
            return .letter(Script.ofLetter(value))
        case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
        case .decimalNumber, .otherNumber: return .digit
        default: return .separator
        }
    }
}
