/// Text decoded from bytes: always valid UTF-8, with the encoding it was read in, how that
/// encoding was chosen, and how many characters could not be decoded.
public struct DecodedText: Sendable {
    /// How the encoding was chosen, strongest first.
    public enum Evidence: String, Sendable {
        /// A byte order mark at the start.
        case byteOrderMark = "bom"
        /// The charset the caller was told (an HTTP `Content-Type`).
        case declared
        /// An HTML `<meta>` declaration.
        case meta
        /// The bytes are valid UTF-8.
        case validUTF8 = "utf8"
        /// The pattern of NUL bytes (UTF-16/32 without a mark), or uchardet.
        case detected
        /// Nothing else applied: windows-1252, which decodes any byte.
        case fallback
    }

    public var text: String
    public var charset: Charset
    public var evidence: Evidence
    /// How many U+FFFD were substituted for bytes that do not decode.
    public var replaced: Int
    /// Whether the input was pure ASCII (then any ASCII-compatible charset reads it the same).
    public var isASCII: Bool

    public init(text: String, charset: Charset, evidence: Evidence, replaced: Int, isASCII: Bool) {
        self.text = text
        self.charset = charset
        self.evidence = evidence
        self.replaced = replaced
        self.isASCII = isASCII
    }
}
