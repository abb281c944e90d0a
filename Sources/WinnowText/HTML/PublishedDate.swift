/// Reads the date formats pages use for publication times and writes them as ISO 8601 in UTC:
/// `YYYY-MM-DDTHH:MM:SSZ` when a time is given (offsets applied), else `YYYY-MM-DD`.
enum PublishedDate {
    /// Accepts ISO 8601 (`2024-05-16`, `2024-05-16T10:00:00+02:00`, `2024/05/16 10:00`, fractions,
    /// `Z`), RFC 2822 (`Thu, 16 May 2024 10:00:00 GMT`) and `May 16, 2024`; `nil` for anything else.
    static func normalize(_ raw: String) -> String? {
        let bytes = Array(raw.utf8)
        var scanner = DateScanner(bytes: bytes)
        scanner.skipSpaces()
        if let parts = scanner.iso() { return parts.formatted() }
        var named = DateScanner(bytes: bytes)
        return named.named()?.formatted()
    }
}
