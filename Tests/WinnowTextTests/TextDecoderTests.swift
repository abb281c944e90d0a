import Testing

@testable import WinnowText

#if canImport(Glibc)
    import Glibc
#endif

/// `text` encoded in `charset` with iconv, to build inputs in legacy encodings.
func encoded(_ text: String, as charset: String) -> [UInt8] {
    let descriptor = iconv_open(charset, "UTF-8")!
    defer { iconv_close(descriptor) }
    var input = Array(text.utf8).map { CChar(bitPattern: $0) }
    var output = [CChar](repeating: 0, count: input.count * 4 + 16)
    let produced = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer -> Int in
            var inPointer = inBuffer.baseAddress
            var inLeft = inBuffer.count
            var outPointer = outBuffer.baseAddress
            var outLeft = outBuffer.count
            precondition(iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft) != -1)
            return outBuffer.count - outLeft
        }
    }
    return output.prefix(produced).map { UInt8(bitPattern: $0) }
}

@Suite struct TextDecoderTests {
    struct Row: CustomStringConvertible, Sendable {
        var description: String
        var bytes: [UInt8]
        var declared: String? = nil
        var html = false
        var text: String
        var charset: String
        var evidence: DecodedText.Evidence
        var replaced = 0
    }

    static let russian = "Съешь же ещё этих мягких французских булок, да выпей же чаю. Широкая электрификация."
    static let japanese = "私の名前は中野です。今日はとても良い天気ですね。東京の桜がきれいに咲いています。"

    static let rows: [Row] = [
        Row(
            description: "ASCII", bytes: Array("plain text\n".utf8), text: "plain text\n", charset: "utf-8",
            evidence: .validUTF8),
        Row(
            description: "UTF-8", bytes: Array("café ünïcode 🙂".utf8), text: "café ünïcode 🙂", charset: "utf-8",
            evidence: .validUTF8),
        Row(
            description: "UTF-8 with BOM", bytes: [0xEF, 0xBB, 0xBF] + Array("é".utf8), text: "é", charset: "utf-8",
            evidence: .byteOrderMark),
        Row(
            description: "UTF-16LE with BOM", bytes: [0xFF, 0xFE] + encoded("Grüße, 世界", as: "UTF-16LE"),
            text: "Grüße, 世界", charset: "utf-16le", evidence: .byteOrderMark),
        Row(
            description: "UTF-16BE with BOM", bytes: [0xFE, 0xFF] + encoded("Grüße, 世界", as: "UTF-16BE"),
            text: "Grüße, 世界", charset: "utf-16be", evidence: .byteOrderMark),
        Row(
            description: "UTF-16LE without BOM", bytes: encoded("Plain words in UTF-16, naïve.", as: "UTF-16LE"),
            text: "Plain words in UTF-16, naïve.", charset: "utf-16le", evidence: .detected),
        Row(
            description: "UTF-16BE without BOM", bytes: encoded("Plain words in UTF-16, naïve.", as: "UTF-16BE"),
            text: "Plain words in UTF-16, naïve.", charset: "utf-16be", evidence: .detected),
        Row(
            description: "UTF-32LE with BOM", bytes: [0xFF, 0xFE, 0, 0] + encoded("ab ü", as: "UTF-32LE"),
            text: "ab ü", charset: "utf-32le", evidence: .byteOrderMark),
        Row(
            description: "UTF-32BE without BOM", bytes: encoded("some text", as: "UTF-32BE"), text: "some text",
            charset: "utf-32be", evidence: .detected),
        Row(
            description: "UTF-16LE odd trailing byte", bytes: encoded("abcd", as: "UTF-16LE") + [0x41],
            text: "abcd\u{FFFD}", charset: "utf-16le", evidence: .detected, replaced: 1),
        Row(
            description: "windows-1252 curly quotes", bytes: [0x93, 0x48, 0x69, 0x94, 0x20, 0x91, 0x6F, 0x92],
            declared: "windows-1252", text: "“Hi” ‘o’", charset: "windows-1252", evidence: .declared),
        Row(
            description: "latin1 label means windows-1252", bytes: [0x93, 0x63, 0x61, 0x66, 0xE9, 0x94],
            declared: " Latin1 ", text: "“café”", charset: "windows-1252", evidence: .declared),
        Row(
            description: "iso-8859-1 label", bytes: [0x63, 0x61, 0x66, 0xE9], declared: "ISO-8859-1", text: "café",
            charset: "windows-1252", evidence: .declared),
        Row(
            description: "x-sjis label", bytes: encoded("日本語", as: "SHIFT_JIS"), declared: "x-sjis", text: "日本語",
            charset: "shift_jis", evidence: .declared),
        Row(
            description: "a stale legacy declaration on UTF-8 bytes", bytes: Array("naïve".utf8), declared: "latin1",
            text: "naïve", charset: "utf-8", evidence: .validUTF8),
        Row(
            description: "an unknown label is ignored", bytes: Array("naïve".utf8), declared: "x-unknown",
            text: "naïve", charset: "utf-8", evidence: .validUTF8),
        Row(
            description: "KOI8-R detected", bytes: encoded(russian, as: "KOI8-R"), text: russian, charset: "koi8-r",
            evidence: .detected),
        Row(
            description: "Shift_JIS detected", bytes: encoded(japanese, as: "SHIFT_JIS"), text: japanese,
            charset: "shift_jis", evidence: .detected),
        Row(
            description: "invalid UTF-8 counted", bytes: Array("ok ".utf8) + [0xE2, 0x82] + Array(" €".utf8),
            declared: "utf-8", text: "ok \u{FFFD} €", charset: "utf-8", evidence: .declared, replaced: 1),
        Row(
            description: "invalid Shift_JIS counted", bytes: encoded("日本", as: "SHIFT_JIS") + [0x82, 0x20, 0x41],
            declared: "shift_jis", text: "日本\u{FFFD} A", charset: "shift_jis", evidence: .declared, replaced: 1),
        Row(
            description: "undefined windows-1252 byte counted", bytes: [0x61, 0x81, 0x62], declared: "cp1252",
            text: "a\u{FFFD}b", charset: "windows-1252", evidence: .declared, replaced: 1),
        Row(
            description: "meta charset", bytes: Array(#"<html><head><meta charset="ISO-8859-1"><p>caf"#.utf8) + [0xE9],
            html: true, text: #"<html><head><meta charset="ISO-8859-1"><p>café"#, charset: "windows-1252",
            evidence: .meta),
        Row(
            description: "meta http-equiv",
            bytes: Array(#"<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">"#.utf8) + [0xC4, 0xC1],
            html: true, text: #"<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">да"#,
            charset: "koi8-r", evidence: .meta),
        Row(
            description: "HTTP charset wins over meta",
            bytes: Array(#"<meta charset="koi8-r">"#.utf8) + [0xE9], declared: "iso-8859-1", html: true,
            text: #"<meta charset="koi8-r">é"#, charset: "windows-1252", evidence: .declared),
        Row(
            description: "BOM wins over meta", bytes: [0xEF, 0xBB, 0xBF] + Array(#"<meta charset="koi8-r">é"#.utf8),
            html: true, text: #"<meta charset="koi8-r">é"#, charset: "utf-8", evidence: .byteOrderMark),
        Row(
            description: "UTF-8 with damaged bytes stays UTF-8", bytes: Array("Cafe\u{301} ".utf8) + [0xFF, 0xFE],
            text: "Cafe\u{301} \u{FFFD}\u{FFFD}", charset: "utf-8", evidence: .validUTF8, replaced: 2),
        Row(
            description: "single bytes nothing recognizes", bytes: [0x41, 0xE9, 0x42], text: "AéB",
            charset: "windows-1252", evidence: .detected),
    ]

    @Test(arguments: rows)
    func decodes(row: Row) throws {
        let decoded = try TextDecoder.decode(row.bytes, declaredCharset: row.declared, html: row.html)
        #expect(decoded.text == row.text)
        #expect(decoded.charset.name == row.charset)
        #expect(decoded.evidence == row.evidence)
        #expect(decoded.replaced == row.replaced)
    }

    @Test func asciiIsReportedAsSuch() throws {
        #expect(try TextDecoder.decode(Array("just ascii".utf8)).isASCII)
        #expect(try !TextDecoder.decode(Array("not ascii: é".utf8)).isASCII)
    }

    @Test func nulBytesAreBinary() {
        #expect(throws: BinaryContentError.nulBytes) {
            try TextDecoder.decode([0x41, 0x42, 0x00, 0x43, 0x0A, 0x00, 0x00])
        }
        #expect(throws: BinaryContentError.nulBytes) {
            try TextDecoder.decode([0x41, 0x00, 0x43], declaredCharset: "utf-8")
        }
    }

    @Test(arguments: [
        ("windows-1252", "windows-1252"), ("ASCII", "windows-1252"), ("us-ascii", "windows-1252"),
        ("x-sjis", "shift_jis"), ("ms932", "shift_jis"), ("gb2312", "gbk"), ("UTF8", "utf-8"),
        ("iso-8859-9", "windows-1254"), ("ks_c_5601-1987", "euc-kr"), ("koi8-ru", "koi8-u"),
    ])
    func labels(label: String, name: String) {
        #expect(Charset.labelled(label)?.name == name)
    }

    @Test func everyCharsetConverts() {
        let names = Set(Charset.byLabel.values.map(\.iconvName))
        for name in names { #expect(IconvConverter.supports(name), "\(name)") }
    }
}
