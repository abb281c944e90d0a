/// A character encoding the decoder reads: its WHATWG name (what records report in
/// `metadata.charset`) and the name glibc's iconv knows it by.
public struct Charset: Sendable, Hashable, CustomStringConvertible {
    /// The WHATWG name, lowercase (`utf-8`, `windows-1252`, `shift_jis`, …).
    public let name: String
    /// The name passed to `iconv_open`.
    public let iconvName: String
    /// True for encodings where every ASCII byte stands for itself (all but UTF-16/32 and the
    /// ISO-2022 family), so pure-ASCII input needs no conversion.
    public let isASCIICompatible: Bool

    public init(name: String, iconvName: String, isASCIICompatible: Bool = true) {
        self.name = name
        self.iconvName = iconvName
        self.isASCIICompatible = isASCIICompatible
    }

    public var description: String { name }

    public static let utf8 = Charset(name: "utf-8", iconvName: "UTF-8")
    public static let windows1252 = Charset(name: "windows-1252", iconvName: "CP1252")
    public static let utf16LE = Charset(name: "utf-16le", iconvName: "UTF-16LE", isASCIICompatible: false)
    public static let utf16BE = Charset(name: "utf-16be", iconvName: "UTF-16BE", isASCIICompatible: false)
    public static let utf32LE = Charset(name: "utf-32le", iconvName: "UTF-32LE", isASCIICompatible: false)
    public static let utf32BE = Charset(name: "utf-32be", iconvName: "UTF-32BE", isASCIICompatible: false)

    /// Whether the encoding is UTF-16 or UTF-32, where NUL bytes are part of ordinary text.
    public var isWide: Bool { self == .utf16LE || self == .utf16BE || self == .utf32LE || self == .utf32BE }

    /// The encoding a label names, following the WHATWG Encoding Standard ("get an encoding"):
    /// surrounding whitespace ignored, case-insensitive, aliases resolved (`latin1`, `iso-8859-1`
    /// and `ascii` mean windows-1252, `x-sjis` means Shift_JIS, …). `nil` for an unknown label.
    public static func labelled(_ label: some StringProtocol) -> Charset? {
        let isSpace: (Character) -> Bool = { " \t\n\r\u{0C}".contains($0) }
        let key = label.drop(while: isSpace).reversed().drop(while: isSpace).reversed()
        return byLabel[String(key).lowercased()]
    }
}
