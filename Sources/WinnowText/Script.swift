/// The writing system of a letter, as far as the cleaning rules need it: scripts that share a
/// document (Han and Kana in Japanese) are one value, and Indic scripts are one value.
public enum Script: UInt8, Sendable, CaseIterable {
    case latin, greek, cyrillic, armenian, hebrew, arabic, indic, thai, lao, georgian, ethiopic, hangul, cjk, other

    /// The script of a scalar already known to be a letter.
    @inline(__always)
    public static func ofLetter(_ value: UInt32) -> Script {
        switch value {
        case 0..<0x0370, 0x1E00..<0x1F00, 0x2C60..<0x2C80, 0xA720..<0xA800, 0xFF21..<0xFF5B: .latin
        case 0x0370..<0x0400, 0x1F00..<0x2000: .greek
        case 0x0400..<0x0530, 0x1C80..<0x1C90, 0x2DE0..<0x2E00, 0xA640..<0xA6A0: .cyrillic
        case 0x0530..<0x0590: .armenian
        case 0x0590..<0x0600, 0xFB1D..<0xFB50: .hebrew
        case 0x0600..<0x0780, 0x08A0..<0x0900, 0xFB50..<0xFE00, 0xFE70..<0xFF00: .arabic
        case 0x0900..<0x0E00: .indic
        case 0x0E00..<0x0E80: .thai
        case 0x0E80..<0x0F00: .lao
        case 0x10A0..<0x1100, 0x2D00..<0x2D30: .georgian
        case 0x1200..<0x13A0: .ethiopic
        case 0x1100..<0x1200, 0x3130..<0x3190, 0xAC00..<0xD7B0: .hangul
        case 0x2E80..<0x3130, 0x3190..<0xA000, 0xF900..<0xFB00, 0xFF66..<0xFFA0, 0x20000..<0x32000: .cjk
        default: .other
        }
    }

    /// Whether text in this script is written without spaces between words, so that each
    /// character is counted as a word.
    public var isUnsegmented: Bool { self == .cjk || self == .thai || self == .lao }
}
