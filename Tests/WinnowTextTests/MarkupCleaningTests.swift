import Testing

@testable import WinnowText

@Suite struct MarkupCleaningTests {
    @Test(arguments: [
        ("plain text stays", "plain text stays"),
        ("It was <u>underlined</u> and <b class=\"x\">bold</b>.", "It was underlined and bold."),
        ("one<br>two</p>three", "one\ntwo\nthree"),
        ("<Acme Corp> and <I> are wire-copy names", "<Acme Corp> and <I> are wire-copy names"),
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
        ("Fish &amp; chips &#8211; &#x2014; &eacute;t&eacute; &nosuch; & more", "Fish & chips – — été &nosuch; & more"),
        ("a **bold** and __strong__ claim", "a bold and strong claim"),
        ("2 ** 3 is eight", "2 ** 3 is eight"),
        ("JUST IN: \\square \\square news", "JUST IN:   news"),
        ("path C:\\dir stays", "path C:\\dir stays"),
        ("it\u{00E2}\u{20AC}\u{2122}s caf\u{00C3}\u{00A9}", "it’s café"),
        ("\u{00E2}\u{20AC}\u{0153}quoted\u{00E2}\u{20AC}\u{009D}", "“quoted”"),
        ("real Ã and ©", "real Ã and ©"),
        ("left\u{200E}to\u{202B}right\u{202C}", "lefttoright"),
    ])
    func cleans(input: String, expected: String) {
        #expect(MarkupCleaning.clean(input) == expected)
    }
}

/// The byte-level repairs against a plain definition written on characters and scalars (each step
/// as its documentation states it), over texts generated from the pieces that trigger them: tags
/// real and not, entities, emphasis, TeX commands, bidirectional controls, mojibake and its near
/// misses, mixed with ordinary words in several scripts.
@Suite struct MarkupCleaningDefinitionTests {
    @Test func bytesAgreeWithThePlainDefinition() {
        var state: UInt64 = 2026
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let pieces =
            [
                "word", "Acme", " ", " ", "\n", "é", "日本", "ж", "\u{00A0}", "/", "=", "x=1", ";", "&", "<", ">",
                "<b>", "</p>", "<br/>", "<a href=\"x\">", "<span class=y>", "<Acme Corp>", "<I>", "<figcaption>",
                "<bé>", "<bé x=1>", "<b’ x=1>", "<b\u{00A0}class=\"x\">", "<p / >", "<//div>", "< b>", "<b <i>>",
                "&amp;", "&#8211;", "&#x2014;", "&#X41;", "&#+65;", "&#xD800;", "&eacute;", "&nosuch;", "&;",
                "&verylongname;", "&é;", "**", "__", "*", "_", "***", "\\", "\\square", "\\é", " \\textbf",
                "\u{200E}", "\u{202B}", "\u{2066}", "Ã©", "â€™", "â€œ", "Ã", "â€", "Â", "Â ", "ô", "ð", "ñ", "€", "’",
                "Ã\u{80}", "ðŸ˜€", "í\u{A0}\u{80}", "à\u{80}", "&#00000065;", "&#000000065;",
            ] + (192...194).map { "<a t=\"" + String(repeating: "é", count: $0) + "\">" }
        for _ in 0..<2000 {
            let text = (0..<(1 + next(40))).map { _ in pieces[next(pieces.count)] }.joined()
            #expect(MarkupCleaning.clean(text) == PlainMarkupCleaning.clean(text), "\(text.debugDescription)")
        }
    }
}

/// The repairs as first written, on characters and scalars (with the same tables): the model the
/// byte-level version is checked against.
private enum PlainMarkupCleaning {
    static func clean(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let has = { (piece: [UInt8]) in
            bytes.indices.contains { bytes[$0...].starts(with: piece) }
        }
        var result = text
        if bytes.contains(where: { $0 == 0xC2 || $0 == 0xC3 }) { result = repairMojibake(result) }
        if bytes.contains(0x26) { result = decodeEntities(result) }
        if bytes.contains(0x3C) { result = stripTags(result) }
        if has([0x2A, 0x2A]) || has([0x5F, 0x5F]) {
            for marker in ["**", "__"] {
                let parts = result.split(separator: marker, omittingEmptySubsequences: false)
                if parts.count >= 3 && parts.count % 2 == 1 { result = parts.joined() }
            }
        }
        let controls: [[UInt8]] =
            [0x8E, 0x8F, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE].map { [0xE2, 0x80, $0] }
            + [0xA6, 0xA7, 0xA8, 0xA9].map { [0xE2, 0x81, $0] }
        if bytes.contains(0x5C) || controls.contains(where: has) { result = removeCommandsAndControls(result) }
        return result
    }

    static func decodeEntities(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let after = rest[rest.index(after: ampersand)...]
            if let semicolon = after.prefix(10).firstIndex(of: ";") {
                let name = after[..<semicolon]
                var replacement: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String($0) }
                } else if name.hasPrefix("#") {
                    replacement = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
                } else {
                    replacement = MarkupCleaning.entities[String(name)]
                }
                if let replacement {
                    result += replacement
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            result += "&"
            rest = after
        }
        return result + rest
    }

    static func stripTags(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            result += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.prefix(200).firstIndex(of: ">") {
                let inside = after[..<close]
                let body = inside.drop { $0 == "/" }
                let name = String(body.prefix { $0.isLetter || $0.isNumber })
                let tail = body.dropFirst(name.count).trimmingPrefix(while: \.isWhitespace)
                let looksLikeTag = tail.isEmpty || tail == "/" || tail.contains("=")
                if looksLikeTag && name == name.lowercased() && !inside.contains("<")
                    && (MarkupCleaning.inlineTags.contains(name) || MarkupCleaning.blockTags.contains(name))
                {
                    if MarkupCleaning.blockTags.contains(name) { result += "\n" }
                    rest = after[after.index(after: close)...]
                    continue
                }
            }
            result += "<"
            rest = after
        }
        return result + rest
    }

    static func removeCommandsAndControls(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)
        scalars.append(" ")
        var index = 0
        while index < scalars.count - 1 {
            let scalar = scalars[index]
            if (0x200E...0x200F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
                || (0x2066...0x2069).contains(scalar.value)
            {
                index += 1
                continue
            }
            let startsWord = index == 0 || scalars[index - 1].properties.isWhitespace
            if scalar == "\\" && startsWord && scalars[index + 1].properties.isAlphabetic {
                var end = index + 1
                while end < scalars.count && scalars[end].properties.isAlphabetic { end += 1 }
                index = end
                continue
            }
            output.append(scalar)
            index += 1
        }
        return String(output)
    }

    static func repairMojibake(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let lead = scalars[index].value
            let length =
                lead >= 0xF0 && lead <= 0xF4
                ? 4 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0
            if length > 0 && index + length <= scalars.count {
                var bytes = [UInt8(lead)]
                for offset in 1..<length {
                    let value = scalars[index + offset].value
                    guard let byte = value >= 0x80 && value <= 0xFF ? UInt8(value) : MojibakeRepair.high[value],
                        byte >= 0x80 && byte <= 0xBF
                    else { break }
                    bytes.append(byte)
                }
                if bytes.count == length, let decoded = String(validating: bytes, as: UTF8.self),
                    let scalar = decoded.unicodeScalars.first
                {
                    output.append(scalar)
                    index += length
                    continue
                }
            }
            output.append(scalars[index])
            index += 1
        }
        return String(output)
    }
}
