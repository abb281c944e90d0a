/// Repairs the markup and encoding debris that scraped text carries: stray HTML tags and entities,
/// markdown emphasis, TeX commands, invisible bidirectional controls, and mojibake (UTF-8 that was
/// read as Windows-1252 and saved again, the `â€™` family).
public enum MarkupCleaning {
    /// `text` with the debris repaired; text without any of it is returned unchanged, cheaply.
    public static func clean(_ text: String) -> String {
        var found = Found()
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            switch byte {
            case 0x3C: found.angle = true
            case 0x26: found.ampersand = true
            case 0x2A where previous.1 == 0x2A, 0x5F where previous.1 == 0x5F: found.emphasis = true
            case 0x5C: found.backslash = true
            case 0xC2...0xC3: found.latin = true
            case 0x8E...0x8F where previous == (0xE2, 0x80), 0xAA...0xAE where previous == (0xE2, 0x80),
                0xA6...0xA9 where previous == (0xE2, 0x81):
                found.bidi = true
            default: break
            }
            previous = (previous.1, byte)
        }
        var result = text
        if found.latin { result = MojibakeRepair.repair(result) }
        if found.ampersand { result = decodeEntities(result) }
        if found.angle { result = stripTags(result) }
        if found.emphasis { result = removeEmphasis(result) }
        if found.backslash || found.bidi { result = removeCommandsAndControls(result) }
        return result
    }

    /// Which kinds of debris a first byte scan saw, so that only their repairs run.
    private struct Found {
        var angle = false
        var ampersand = false
        var emphasis = false
        var backslash = false
        var latin = false
        var bidi = false
    }

    /// Named entities seen in scraped text, beyond the five of XML.
    private static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ndash": "–", "mdash": "—",
        "hellip": "…", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»",
        "copy": "©", "reg": "®", "trade": "™", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢", "deg": "°",
        "middot": "·", "bull": "•", "times": "×", "eacute": "é", "egrave": "è", "agrave": "à", "aacute": "á",
        "ccedil": "ç", "ntilde": "ñ", "ouml": "ö", "uuml": "ü", "auml": "ä", "szlig": "ß", "iacute": "í",
        "oacute": "ó", "uacute": "ú", "shy": "", "zwj": "\u{200D}", "zwnj": "\u{200C}", "thinsp": " ", "ensp": " ",
        "emsp": " ",
    ]

    /// `&name;`, `&#NNN;` and `&#xHH;`; anything else with an `&` is left as it is.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
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
                    replacement = entities[String(name)]
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

    /// HTML tag names whose stray tags are removed; `<br>` and block tags become line breaks. Other
    /// angle-bracket text (`<Acme Corp>` in wire copy, `a < b > c`) is kept.
    private static let inlineTags: Set<String> = [
        "a", "b", "i", "u", "em", "strong", "span", "font", "sup", "sub", "small", "big", "s", "strike", "mark",
        "ins", "del", "abbr", "cite", "code", "tt", "img", "wbr", "nobr",
    ]
    private static let blockTags: Set<String> = [
        "br", "p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "figure",
        "figcaption", "section", "article", "table", "tr", "td", "th", "pre",
    ]

    static func stripTags(_ text: String) -> String {
        guard text.contains("<") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            result += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.prefix(200).firstIndex(of: ">") {
                let inside = after[..<close]
                let body = inside.drop { $0 == "/" }
                let name = String(body.prefix { $0.isLetter || $0.isNumber })
                // A tag is written in lower case and has nothing after its name but attributes
                // (`key=…`) or a closing slash; `<Mark Resources Inc>` and `<I>` are wire-copy names.
                let tail = body.dropFirst(name.count).trimmingPrefix(while: \.isWhitespace)
                let looksLikeTag = tail.isEmpty || tail == "/" || tail.contains("=")
                if looksLikeTag && name == name.lowercased() && !inside.contains("<")
                    && (inlineTags.contains(name) || blockTags.contains(name))
                {
                    if blockTags.contains(name) { result += "\n" }
                    rest = after[after.index(after: close)...]
                    continue
                }
            }
            result += "<"
            rest = after
        }
        return result + rest
    }

    /// Paired `**bold**` and `__bold__` lose their markers (an odd count is left alone: `2 ** 3`).
    static func removeEmphasis(_ text: String) -> String {
        var result = text
        for marker in ["**", "__"] {
            let parts = result.split(separator: marker, omittingEmptySubsequences: false)
            if parts.count >= 3 && parts.count % 2 == 1 { result = parts.joined() }
        }
        return result
    }

    /// TeX commands (`\square`, `\textbf`) standing as words are removed, and bidirectional controls
    /// (U+200E/F, U+202A–E, U+2066–9) dropped.
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
}
