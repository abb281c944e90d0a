/// Repairs the markup and encoding debris that scraped text carries: stray HTML tags and entities,
/// markdown emphasis, TeX commands, invisible bidirectional controls, and mojibake (UTF-8 that was
/// read as Windows-1252 and saved again, the `â€™` family).
///
/// Every repair works on the text's UTF-8 bytes: one pass over the bytes finds which kinds of debris
/// are there, and only their repairs run, each a pass that copies the bytes it keeps into a buffer.
public enum MarkupCleaning {
    /// `text` with the debris repaired; text without any of it is returned unchanged, cheaply.
    public static func clean(_ text: String) -> String {
        var text = text
        let found = text.withUTF8(Found.init(scanning:))
        guard found.any else { return text }
        var repair = ByteRepair(text)
        if found.latin { repair.run(MojibakeRepair.repair) }
        if found.ampersand { repair.run(decodeEntities) }
        if found.angle { repair.run(stripTags) }
        if found.emphasis {
            repair.run { removePairedMarkers(0x2A, in: $0, into: &$1) }
            repair.run { removePairedMarkers(0x5F, in: $0, into: &$1) }
        }
        if found.backslash || found.bidi { repair.run(removeCommandsAndControls) }
        return repair.result ?? text
    }

    /// Which kinds of debris the first byte scan saw.
    private struct Found {
        var angle = false
        var ampersand = false
        var emphasis = false
        var backslash = false
        var latin = false
        var bidi = false

        var any: Bool { angle || ampersand || emphasis || backslash || latin || bidi }

        init(scanning bytes: UnsafeBufferPointer<UInt8>) {
            let count = bytes.count
            var index = 0
            while index < count {
                let byte = bytes[index]
                // Plain bytes (all but `&*<\_` and the lead bytes 0xC2, 0xC3, 0xE2) are passed over
                // with one table lookup.
                guard Self.interesting[Int(byte)] else {
                    index += 1
                    continue
                }
                switch byte {
                case 0x3C: angle = true
                case 0x26: ampersand = true
                case 0x5C: backslash = true
                case 0x2A, 0x5F: if index + 1 < count, bytes[index + 1] == byte { emphasis = true }
                case 0xC2, 0xC3: latin = true
                default:  // 0xE2: U+200E/F, U+202A–E, U+2066–9
                    if index + 2 < count {
                        let second = bytes[index + 1]
                        let third = bytes[index + 2]
                        if second == 0x80 && (third == 0x8E || third == 0x8F || (0xAA...0xAE).contains(third))
                            || second == 0x81 && (0xA6...0xA9).contains(third)
                        {
                            bidi = true
                        }
                    }
                }
                index += 1
            }
        }

        private static let interesting: [Bool] = (0..<256).map { byte in
            [0x26, 0x2A, 0x3C, 0x5C, 0x5F, 0xC2, 0xC3, 0xE2].contains(byte)
        }
    }

    /// Named entities seen in scraped text, beyond the five of XML.
    static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ndash": "–", "mdash": "—",
        "hellip": "…", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»",
        "copy": "©", "reg": "®", "trade": "™", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢", "deg": "°",
        "middot": "·", "bull": "•", "times": "×", "eacute": "é", "egrave": "è", "agrave": "à", "aacute": "á",
        "ccedil": "ç", "ntilde": "ñ", "ouml": "ö", "uuml": "ü", "auml": "ä", "szlig": "ß", "iacute": "í",
        "oacute": "ó", "uacute": "ú", "shy": "", "zwj": "\u{200D}", "zwnj": "\u{200C}", "thinsp": " ", "ensp": " ",
        "emsp": " ",
    ]

    /// `&name;`, `&#NNN;` and `&#xHH;` (the `;` within ten characters of the `&`); anything else with
    /// an `&` is left as it is. False when nothing was replaced.
    static func decodeEntities(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        replacePieces(in: bytes, into: &output, from: 0x26, to: 0x3B, within: 10, by: entity)
    }

    /// Replaces each piece from an `opening` byte to the first `closing` byte after it (with fewer
    /// than `limit` characters between them) by what `replacement` makes of the bytes between, where
    /// it makes something; an `opening` byte that starts no such piece is kept. False when nothing
    /// was replaced.
    private static func replacePieces(
        in bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], from opening: UInt8, to closing: UInt8,
        within limit: Int, by replacement: (UnsafeBufferPointer<UInt8>) -> String?
    ) -> Bool {
        var copy = ByteCopy()
        var index = 0
        while let open = ByteSearch.first(opening, in: bytes, from: index) {
            index = open + 1
            guard let close = find(closing, in: bytes, after: open, within: limit),
                let replaced = replacement(UnsafeBufferPointer(rebasing: bytes[(open + 1)..<close]))
            else { continue }
            copy.pending(bytes, upTo: open, into: &output)
            output.append(contentsOf: replaced.utf8)
            index = close + 1
            copy.skip(to: index)
        }
        return copy.finish(bytes, into: &output)
    }

    /// The text an entity's name (between `&` and `;`) stands for, if it is one.
    private static func entity(_ name: UnsafeBufferPointer<UInt8>) -> String? {
        // Names and numbers are ASCII; the name is decoded only when there is one.
        guard !name.isEmpty, !name.contains(where: { $0 >= 0x80 }) else { return nil }
        let name = String(decoding: name, as: UTF8.self)
        let number: UInt32?
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            number = UInt32(name.dropFirst(2), radix: 16)
        } else if name.hasPrefix("#") {
            number = UInt32(name.dropFirst())
        } else {
            return entities[name]
        }
        return number.flatMap(Unicode.Scalar.init).map { String($0) }
    }

    /// HTML tag names whose stray tags are removed; `<br>` and block tags become line breaks. Other
    /// angle-bracket text (`<Acme Corp>` in wire copy, `a < b > c`) is kept.
    static let inlineTags: Set<String> = [
        "a", "b", "i", "u", "em", "strong", "span", "font", "sup", "sub", "small", "big", "s", "strike", "mark",
        "ins", "del", "abbr", "cite", "code", "tt", "img", "wbr", "nobr",
    ]
    static let blockTags: Set<String> = [
        "br", "p", "div", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "figure",
        "figcaption", "section", "article", "table", "tr", "td", "th", "pre",
    ]

    /// Removes the stray tags of `inlineTags` and `blockTags` (a block tag leaves a line break): a
    /// `<`, a `>` within 200 characters, and between them optional slashes, a known name in lower case,
    /// and nothing else but attributes (`key=…`) or a closing slash. False when nothing was removed.
    static func stripTags(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        replacePieces(in: bytes, into: &output, from: 0x3C, to: 0x3E, within: 200) { inside in
            tagKind(inside).map { isBlock in isBlock ? "\n" : "" }
        }
    }

    /// Whether the text between `<` and `>` is a block tag (true), an inline tag (false), or no tag
    /// to remove (nil). A tag is written in lower case and has nothing after its name but attributes
    /// or a closing slash; `<Mark Resources Inc>` and `<I>` are wire-copy names.
    private static func tagKind(_ inside: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard !inside.contains(0x3C) else { return nil }
        var index = 0
        while index < inside.count, inside[index] == 0x2F { index += 1 }
        let nameStart = index
        while index < inside.count, isASCIILetterOrDigit(inside[index]) { index += 1 }
        guard index > nameStart, index - nameStart <= 10 else { return nil }
        // A letter, digit or combining mark after the ASCII letters makes the name longer than any
        // tag's.
        if index < inside.count, inside[index] >= 0x80, continuesName(UTF8Scalar.decode(inside, at: index).value) {
            return nil
        }
        let name = String(decoding: UnsafeBufferPointer(rebasing: inside[nameStart..<index]), as: UTF8.self)
        let isBlock = blockTags.contains(name)
        guard isBlock || inlineTags.contains(name) else { return nil }
        while index < inside.count {
            let (value, length) = UTF8Scalar.scalar(in: inside, at: index)
            guard Unicode.Scalar(value)?.properties.isWhitespace == true else { break }
            index += length
        }
        let tail = UnsafeBufferPointer(rebasing: inside[index...])
        guard tail.isEmpty || (tail.count == 1 && tail[0] == 0x2F) || tail.contains(0x3D) else { return nil }
        return isBlock
    }

    @inline(__always)
    private static func isASCIILetterOrDigit(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10
    }

    private static func continuesName(_ value: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(value) else { return false }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return value == 0x200D || properties.isAlphabetic || properties.numericType != nil
        }
    }

    /// Paired `**bold**` or `__bold__` lose their markers: when the text holds an even number (two
    /// or more) of the doubled `marker`, counted left to right without overlap, all of them are
    /// removed; an odd count is left alone (`2 ** 3`). False when nothing was removed.
    static func removePairedMarkers(
        _ marker: UInt8, in bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]
    ) -> Bool {
        var pairs = 0
        var index = 0
        while let first = ByteSearch.first(marker, in: bytes, from: index) {
            if first + 1 < bytes.count, bytes[first + 1] == marker {
                pairs += 1
                index = first + 2
            } else {
                index = first + 1
            }
        }
        guard pairs >= 2, pairs % 2 == 0 else { return false }
        var copy = ByteCopy()
        index = 0
        while let first = ByteSearch.first(marker, in: bytes, from: index) {
            guard first + 1 < bytes.count, bytes[first + 1] == marker else {
                index = first + 1
                continue
            }
            copy.pending(bytes, upTo: first, into: &output)
            index = first + 2
            copy.skip(to: index)
        }
        return copy.finish(bytes, into: &output)
    }

    /// TeX commands (`\square`, `\textbf`) standing as words are removed, and bidirectional controls
    /// (U+200E/F, U+202A–E, U+2066–9) dropped. A command starts at the text's start or after
    /// whitespace (as written, before any control is dropped) and runs over the letters after the `\`.
    static func removeCommandsAndControls(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        var copy = ByteCopy()
        var previous: UInt32 = 0x20  // the text's start counts as whitespace
        var index = 0
        while index < bytes.count {
            let (value, length) = UTF8Scalar.scalar(in: bytes, at: index)
            if (0x200E...0x200F).contains(value) || (0x202A...0x202E).contains(value)
                || (0x2066...0x2069).contains(value)
            {
                copy.pending(bytes, upTo: index, into: &output)
                index += length
                copy.skip(to: index)
                previous = value
                continue
            }
            if value == 0x5C, isWhitespace(previous), index + 1 < bytes.count,
                isAlphabetic(UTF8Scalar.scalar(in: bytes, at: index + 1).value)
            {
                copy.pending(bytes, upTo: index, into: &output)
                var end = index + 1
                while end < bytes.count {
                    let (next, nextLength) = UTF8Scalar.scalar(in: bytes, at: end)
                    guard isAlphabetic(next) else { break }
                    previous = next
                    end += nextLength
                }
                index = end
                copy.skip(to: index)
                continue
            }
            previous = value
            index += length
        }
        return copy.finish(bytes, into: &output)
    }

    private static func isWhitespace(_ value: UInt32) -> Bool {
        Unicode.Scalar(value)?.properties.isWhitespace == true
    }

    private static func isAlphabetic(_ value: UInt32) -> Bool {
        value < 0x80 ? (UInt8(value) | 0x20) &- 0x61 < 26 : Unicode.Scalar(value)?.properties.isAlphabetic == true
    }

    /// The first `byte` after `start` with fewer than `limit` characters between them.
    private static func find(
        _ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, after start: Int, within limit: Int
    ) -> Int? {
        var characters = 0
        var index = start + 1
        while index < bytes.count {
            let current = bytes[index]
            if current == byte { return index }
            if current & 0xC0 != 0x80 {
                characters += 1
                if characters >= limit { return nil }
            }
            index += 1
        }
        return nil
    }
}

/// Builds a repaired copy of a text's bytes: the runs between the pieces that change are copied
/// over only when a first change shows the copy is needed.
struct ByteCopy {
    /// Where the next run to copy starts.
    private var start = 0
    private var changed = false

    /// Copies the run from the last skip up to `end`: a change starts at `end`.
    mutating func pending(_ bytes: UnsafeBufferPointer<UInt8>, upTo end: Int, into output: inout [UInt8]) {
        if !changed {
            output.reserveCapacity(bytes.count)
            changed = true
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
    }

    /// The bytes before `index` have been dealt with.
    mutating func skip(to index: Int) { start = index }

    /// Copies the rest; false when nothing was changed (and nothing copied).
    func finish(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        guard changed else { return false }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        return true
    }
}

/// Runs repairs one after another over a text's bytes, each reading the last one's result.
struct ByteRepair {
    private var text: String
    private var current: [UInt8] = []
    private var scratch: [UInt8] = []
    private var changed = false

    init(_ text: String) { self.text = text }

    /// The repaired text, or nil when no repair changed anything.
    var result: String? { changed ? String(decoding: current, as: UTF8.self) : nil }

    /// Runs `step` (which returns false, having written nothing, when it changes nothing).
    mutating func run(_ step: (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Bool) {
        var output = scratch
        scratch = []
        output.removeAll(keepingCapacity: true)
        let stepChanged =
            changed ? current.withUnsafeBufferPointer { step($0, &output) } : text.withUTF8 { step($0, &output) }
        if stepChanged {
            scratch = current
            current = output
            changed = true
        } else {
            scratch = output
        }
    }
}
