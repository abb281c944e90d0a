/// Turns the bytes of a text or an HTML page, in whatever encoding, into a valid UTF-8 `String`,
/// refusing content that is binary. The encoding is chosen as browsers and crawlers do:
/// byte order mark → declared charset (HTTP `Content-Type`, then for HTML the `<meta>` prescan) →
/// UTF-16/32 by the pattern of NUL bytes → UTF-8 if the bytes are valid (or mostly valid) UTF-8 → uchardet →
/// windows-1252. Pure ASCII and valid UTF-8 never reach iconv.
public enum TextDecoder {
    /// Decodes `bytes`. `declaredCharset` is a label given with the content (the `charset` of an
    /// HTTP `Content-Type`); `html` enables the `<meta>` prescan.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, declaredCharset: String? = nil, html: Bool = false)
        throws(BinaryContentError) -> DecodedText
    {
        if let kind = BinarySniffer.magic(bytes) { throw BinaryContentError(kind: kind) }
        if let (charset, length) = ByteOrderMark.detect(bytes) {
            return try convert(
                UnsafeBufferPointer(rebasing: bytes[length...]), charset: charset, evidence: .byteOrderMark)
        }
        let ascii = isASCII(bytes)
        var declared: (charset: Charset, evidence: DecodedText.Evidence)?
        if let label = declaredCharset, let charset = Charset.labelled(label) {
            declared = (charset, .declared)
        } else if html, let charset = HTMLCharsetPrescan.charset(bytes) {
            declared = (charset, .meta)
        }
        // A declared UTF-16/32 without a byte order mark is believed only if the bytes look wide:
        // ASCII-compatible bytes read as UTF-16 would turn into CJK nonsense.
        if let wide = declared?.charset, wide.isWide, WideTextSniffer.guess(bytes) == nil { declared = nil }
        if var (charset, evidence) = declared {
            // A page declared in a legacy charset whose bytes are valid UTF-8 with multi-byte
            // sequences is UTF-8: legacy text almost never forms valid UTF-8 by chance, and
            // servers and templates often keep a stale declaration after a move to UTF-8.
            if charset.isASCIICompatible && charset != .utf8 && !ascii && isValidUTF8(bytes) {
                (charset, evidence) = (.utf8, .validUTF8)
            }
            guard charset == .utf8 && !ascii else {
                return try convert(bytes, charset: charset, evidence: evidence, ascii: ascii)
            }
            // The reverse of the above, a page declared UTF-8 whose non-ASCII bytes are mostly
            // invalid UTF-8, is in a legacy encoding: it is detected below rather than turned into
            // U+FFFDs.
            if let decoded = utf8(bytes, evidence: evidence) {
                if BinarySniffer.hasNUL(bytes) { throw .nulBytes }
                return decoded
            }
        }
        // Before the ASCII test: UTF-16 of ASCII text is all bytes below 0x80, NULs included.
        if let wide = WideTextSniffer.guess(bytes) { return try convert(bytes, charset: wide, evidence: .detected) }
        if ascii { return try convert(bytes, charset: .utf8, evidence: .validUTF8, ascii: true) }
        if BinarySniffer.hasNUL(bytes) { throw .nulBytes }
        if let decoded = utf8(bytes, evidence: .validUTF8) { return decoded }
        if let detected = CharsetDetector.detect(bytes) {
            let decoded = try convert(bytes, charset: detected, evidence: .detected)
            // On short samples uchardet often names a sibling of windows-1252 (1250, 1258, …) that
            // reads these very bytes the same way; the far more common encoding is reported then.
            if detected != .windows1252, detected.name.hasPrefix("windows-125") || detected.name.hasPrefix("iso-8859-"),
                let common = try? convert(bytes, charset: .windows1252, evidence: .detected),
                common.text == decoded.text
            {
                return common
            }
            return decoded
        }
        return try convert(bytes, charset: .windows1252, evidence: .fallback)
    }

    /// Whether the start of some content already shows it is binary: a known magic number, or NUL
    /// bytes without the byte order mark or the NUL pattern of UTF-16/32. For refusing a large
    /// input from its first chunk, before reading the rest.
    public static func binaryCheck(_ head: UnsafeBufferPointer<UInt8>) -> BinaryContentError? {
        if let kind = BinarySniffer.magic(head) { return BinaryContentError(kind: kind) }
        if ByteOrderMark.detect(head) != nil || WideTextSniffer.guess(head) != nil { return nil }
        return BinarySniffer.hasNUL(head) ? .nulBytes : nil
    }

    /// Decodes a byte array; see `decode(_:declaredCharset:html:)`.
    public static func decode(_ bytes: [UInt8], declaredCharset: String? = nil, html: Bool = false)
        throws(BinaryContentError) -> DecodedText
    {
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<DecodedText, BinaryContentError> in
            do throws(BinaryContentError) {
                return .success(try decode(buffer, declaredCharset: declaredCharset, html: html))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `bytes` (not all ASCII) read as UTF-8 when they are valid UTF-8, or mostly: a few damaged
    /// bytes are replaced and counted. One pass checks and copies. `nil` when they are in another
    /// encoding.
    private static func utf8(_ bytes: UnsafeBufferPointer<UInt8>, evidence: DecodedText.Evidence) -> DecodedText? {
        let (text, replaced) = UTF8Repair.repair(bytes)
        guard
            replaced == 0
                || UTF8Evidence(UnsafeBufferPointer(rebasing: bytes.prefix(UTF8Evidence.sampleBytes))).isMostlyUTF8
        else { return nil }
        return DecodedText(text: text, charset: .utf8, evidence: evidence, replaced: replaced, isASCII: false)
    }

    private static func convert(
        _ bytes: UnsafeBufferPointer<UInt8>, charset: Charset, evidence: DecodedText.Evidence, ascii: Bool? = nil
    ) throws(BinaryContentError) -> DecodedText {
        if !charset.isWide && BinarySniffer.hasNUL(bytes) { throw .nulBytes }
        let ascii = ascii ?? (charset.isASCIICompatible && isASCII(bytes))
        if ascii && charset.isASCIICompatible {
            return DecodedText(
                text: String(decoding: bytes, as: UTF8.self), charset: charset, evidence: evidence, replaced: 0,
                isASCII: true)
        }
        if charset == .utf8 {
            let (text, replaced) = UTF8Repair.repair(bytes)
            return DecodedText(text: text, charset: charset, evidence: evidence, replaced: replaced, isASCII: false)
        }
        do {
            let unit = charset.isWide ? (charset.name.hasPrefix("utf-32") ? 4 : 2) : 1
            let (utf8, replaced) = try IconvConverter.convert(bytes, from: charset.iconvName, unit: unit)
            // iconv's output is valid UTF-8, so this is a copy, not a repair.
            return DecodedText(
                text: String(decoding: utf8, as: UTF8.self), charset: charset, evidence: evidence, replaced: replaced,
                isASCII: false)
        } catch {
            // Every charset in the table converts on glibc; an unknown one is read as windows-1252.
            return try convert(bytes, charset: .windows1252, evidence: .fallback, ascii: false)
        }
    }

    /// Whether every byte is below 0x80, tested eight bytes at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        var accumulated: UInt64 = 0
        while index + 8 <= bytes.count {
            accumulated |= raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            accumulated |= UInt64(bytes[index])
            index += 1
        }
        return accumulated & 0x8080_8080_8080_8080 == 0
    }

    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }
}
