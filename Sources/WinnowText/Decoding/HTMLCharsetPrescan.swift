/// Finds the charset an HTML page declares in a `<meta charset>` or
/// `<meta http-equiv="content-type" content="…; charset=…">` near its start, as browsers do before
/// parsing: the WHATWG HTML "prescan a byte stream to determine its encoding" algorithm, which
/// skips comments and other tags and never needs the page to be well formed.
public enum HTMLCharsetPrescan {
    /// How much of the page is scanned. The standard asks for at least 1024 bytes; pages with long
    /// `<head>`s (inline styles, scripts) often declare their charset later, so more is read.
    public static let windowBytes = 4096

    /// The declared encoding, `nil` when there is none in the window (or it names no encoding).
    /// A declared UTF-16 means UTF-8 (the bytes could not have been read as ASCII otherwise), and
    /// x-user-defined means windows-1252, both as the standard says.
    public static func charset(_ bytes: UnsafeBufferPointer<UInt8>) -> Charset? {
        var scanner = Scanner(bytes: UnsafeBufferPointer(rebasing: bytes.prefix(windowBytes)))
        guard let label = scanner.run(), let charset = Charset.labelled(label) else { return nil }
        if charset.name.hasPrefix("utf-16") { return .utf8 }
        return charset
    }

    /// The `charset=` value in a `content` attribute ("text/html; charset=ISO-8859-1"), unquoted;
    /// also used for HTTP `Content-Type` headers.
    public static func charsetParameter(_ value: some Collection<UInt8>) -> String? {
        let bytes = Array(value)
        var position = 0
        let needle = Array("charset".utf8)
        while position + needle.count <= bytes.count {
            guard
                let found = (position...(bytes.count - needle.count)).first(where: { start in
                    (0..<needle.count).allSatisfy { lowered(bytes[start + $0]) == needle[$0] }
                })
            else { return nil }
            position = found + needle.count
            while position < bytes.count && isSpace(bytes[position]) { position += 1 }
            guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else { continue }
            position += 1
            while position < bytes.count && isSpace(bytes[position]) { position += 1 }
            guard position < bytes.count else { return nil }
            let first = bytes[position]
            if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
                guard let close = bytes[(position + 1)...].firstIndex(of: first) else { return nil }
                return String(decoding: bytes[(position + 1)..<close], as: UTF8.self)
            }
            var end = position
            while end < bytes.count && !isSpace(bytes[end]) && bytes[end] != UInt8(ascii: ";") { end += 1 }
            return String(decoding: bytes[position..<end], as: UTF8.self)
        }
        return nil
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D || byte == 0x20
    }

    static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
    }

    /// The prescan's state: a position in the window. Running off the end of the window ends the
    /// scan without an answer, as the standard says.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        private func at(_ offset: Int = 0) -> UInt8? {
            position + offset < bytes.count ? bytes[position + offset] : nil
        }

        private func startsWith(_ text: String, caseInsensitive: Bool = false) -> Bool {
            var offset = 0
            for expected in text.utf8 {
                guard let byte = at(offset) else { return false }
                if (caseInsensitive ? lowered(byte) : byte) != expected { return false }
                offset += 1
            }
            return true
        }

        /// The label declared by the first qualifying `<meta>`, if any.
        mutating func run() -> String? {
            while position < bytes.count {
                if startsWith("<!--") {
                    // The comment ends at the first "-->", which may share its dashes with "<!--".
                    position += 2
                    while position < bytes.count && !startsWith("-->") { position += 1 }
                    guard position < bytes.count else { return nil }
                    position += 2
                } else if startsWith("<meta", caseInsensitive: true), let next = at(5),
                    isSpace(next) || next == UInt8(ascii: "/")
                {
                    position += 5
                    switch meta() {
                    case .found(let label): return label
                    case .ended: return nil
                    case .none: break
                    }
                } else if at() == UInt8(ascii: "<"), let next = at(1),
                    isLetter(next) || (next == UInt8(ascii: "/") && at(2).map(isLetter) == true)
                {
                    while let byte = at(), !isSpace(byte) && byte != UInt8(ascii: ">") { position += 1 }
                    while case .attribute = attribute() {}
                    if position >= bytes.count { return nil }
                } else if startsWith("<!") || startsWith("</") || startsWith("<?") {
                    while let byte = at(), byte != UInt8(ascii: ">") { position += 1 }
                    if position >= bytes.count { return nil }
                }
                position += 1
            }
            return nil
        }

        private enum MetaResult {
            case found(String)
            case none
            case ended
        }

        /// Reads the attributes of a `<meta>` and decides whether they declare a charset.
        private mutating func meta() -> MetaResult {
            var seen: Set<[UInt8]> = []
            var gotPragma = false
            var needPragma: Bool?
            var charset: String?
            loop: while true {
                switch attribute() {
                case .ended: return .ended
                case .none: break loop
                case .attribute(let name, let value):
                    guard seen.insert(name).inserted else { continue }
                    switch String(decoding: name, as: UTF8.self) {
                    case "http-equiv":
                        if value == Array("content-type".utf8) { gotPragma = true }
                    case "content":
                        if charset == nil, let label = HTMLCharsetPrescan.charsetParameter(value) {
                            charset = label
                            needPragma = true
                        }
                    case "charset":
                        charset = String(decoding: value, as: UTF8.self)
                        needPragma = false
                    default: break
                    }
                }
            }
            guard let needPragma, let charset else { return .none }
            if needPragma && !gotPragma { return .none }
            return .found(charset)
        }

        private enum AttributeResult {
            case attribute(name: [UInt8], value: [UInt8])
            case none
            case ended
        }

        /// The standard's "get an attribute": names and values lowercased, values quoted or not.
        private mutating func attribute() -> AttributeResult {
            while let byte = at(), isSpace(byte) || byte == UInt8(ascii: "/") { position += 1 }
            guard let first = at() else { return .ended }
            if first == UInt8(ascii: ">") { return .none }
            var name: [UInt8] = []
            while true {
                guard let byte = at() else { return .ended }
                if byte == UInt8(ascii: "=") && !name.isEmpty {
                    position += 1
                    return readValue(name: name)
                }
                if isSpace(byte) { break }
                if byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") { return .attribute(name: name, value: []) }
                name.append(lowered(byte))
                position += 1
            }
            while let byte = at(), isSpace(byte) { position += 1 }
            guard let next = at() else { return .ended }
            if next != UInt8(ascii: "=") { return .attribute(name: name, value: []) }
            position += 1
            return readValue(name: name)
        }

        private mutating func readValue(name: [UInt8]) -> AttributeResult {
            var value: [UInt8] = []
            while let byte = at(), isSpace(byte) { position += 1 }
            guard let first = at() else { return .ended }
            if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
                position += 1
                while let byte = at() {
                    position += 1
                    if byte == first { return .attribute(name: name, value: value) }
                    value.append(lowered(byte))
                }
                return .ended
            }
            if first == UInt8(ascii: ">") { return .attribute(name: name, value: value) }
            while let byte = at() {
                if isSpace(byte) || byte == UInt8(ascii: ">") { return .attribute(name: name, value: value) }
                value.append(lowered(byte))
                position += 1
            }
            return .ended
        }
    }
}
