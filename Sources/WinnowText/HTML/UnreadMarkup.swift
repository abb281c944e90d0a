/// Finds what libxml2 would parse and extraction never reads, so that a page can be parsed without
/// it: the bodies of `<script>` and `<style>` elements (but JSON-LD, `<script
/// type="application/ld+json">`, which the metadata reads), and the quoted values of attributes
/// that `ElementAttributes` does not read (`href`, `src`, `srcset`, `data-…`, `on…`). libxml2 reads
/// raw text and attribute values one character at a time: on the trafilatura-eval pages they were
/// about a third of the whole extraction's work.
///
/// The scan follows libxml2's HTML tokenizer where it matters: comments are skipped to `-->`, other
/// markup (`</x>`, `<!DOCTYPE>`, `<?x?>`) to the next `>`, and a start tag to its `>` outside quoted
/// attribute values (a value is quoted when `'` or `"` follows its `=`), so a `<script>` written
/// inside a comment or an attribute starts nothing. A body runs to the first `</script` or `</style`
/// after its start tag, in any case, as libxml2 ends it; a body without its end tag is kept. Values
/// are emptied only in start tags that are well formed to the end (names, `=`, quoted or bare
/// values), where libxml2 reads the same attributes; the quotes stay.
enum UnreadMarkup {
    /// The byte ranges of the unread script and style bodies and attribute values in `bytes`, in order.
    static func ranges(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0
        let count = bytes.count
        while let open = ByteSearch.first(0x3C, in: bytes, from: index) {
            guard open + 1 < count else { break }
            let next = bytes[open + 1]
            if next == 0x21, starts(bytes, at: open + 2, with: "--") {
                guard let end = find(bytes, "-->", from: open + 4) else { break }
                index = end + 3
                continue
            }
            guard (next | 0x20) &- 0x61 < 26 else {
                // An end tag or a declaration ends at its `>`; a lone `<` is text.
                index =
                    next == 0x2F || next == 0x21 || next == 0x3F
                    ? (ByteSearch.first(0x3E, in: bytes, from: open) ?? count) : open + 1
                continue
            }
            guard let (close, wellFormed) = startTag(bytes, from: open + 1, into: &ranges) else { break }
            index = close + 1
            // `<script … />` is empty to libxml2: what follows is content. A malformed start tag
            // may end elsewhere for libxml2.
            guard wellFormed, bytes[close - 1] != 0x2F else { continue }
            let name: StaticString
            if isName(bytes, at: open + 1, "script") {
                name = "</script"
            } else if isName(bytes, at: open + 1, "style") {
                name = "</style"
            } else {
                continue
            }
            guard let end = find(bytes, name, from: index, ignoringCase: true) else { break }
            let tag = UnsafeBufferPointer(rebasing: bytes[open..<close])
            if end > index, !containsIgnoringCase(tag, "ld+json") { ranges.append(index..<end) }
            index = end
        }
        return ranges
    }

    /// Values shorter than this are left: removing them saves libxml2 less than the copy costs.
    private static let shortestRemoved = 24

    /// Reads the start tag whose name starts at `start` as libxml2 does: its name, then attributes
    /// (a name, and after `=` a value in quotes or up to a space or `>`) to the `>` that ends it.
    /// Returns that `>` and whether the tag was well formed to it; only then are the ranges of the
    /// long values of attributes extraction does not read (`ElementAttributes`) added. A tag that
    /// stops being well formed is read on to its end as `startTagEnd` finds it. Nil when no `>`
    /// ends it.
    private static func startTag(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into ranges: inout [Range<Int>]
    ) -> (close: Int, wellFormed: Bool)? {
        var found: [Range<Int>] = []
        var index = start
        let count = bytes.count
        while index < count, isNameByte(bytes[index]) { index += 1 }
        while true {
            while index < count, isSpace(bytes[index]) { index += 1 }
            guard index < count else { return nil }
            var close: Int?
            if bytes[index] == 0x3E {
                close = index
            } else if bytes[index] == 0x2F, index + 1 < count, bytes[index + 1] == 0x3E {
                close = index + 1
            }
            if let close {
                ranges += found
                return (close, true)
            }
            // A name: a letter, `_` or `:` first, as libxml2's htmlParseHTMLName wants.
            let nameStart = index
            guard (bytes[index] | 0x20) &- 0x61 < 26 || bytes[index] == 0x5F || bytes[index] == 0x3A else {
                return startTagEnd(bytes, from: index).map { ($0, false) }
            }
            while index < count, isNameByte(bytes[index]) { index += 1 }
            let nameEnd = index
            while index < count, isSpace(bytes[index]) { index += 1 }
            guard index < count, bytes[index] == 0x3D else { continue }
            index += 1
            while index < count, isSpace(bytes[index]) { index += 1 }
            guard index < count else { return nil }
            let quote = bytes[index]
            if quote == 0x22 || quote == 0x27 {
                guard let end = ByteSearch.first(quote, in: bytes, from: index + 1) else { return nil }
                if end - index - 1 >= shortestRemoved,
                    !ElementAttributes.reads(attributeNamed: UnsafeBufferPointer(rebasing: bytes[nameStart..<nameEnd]))
                {
                    found.append((index + 1)..<end)
                }
                index = end + 1
            } else {
                while index < count, !isSpace(bytes[index]), bytes[index] != 0x3E { index += 1 }
            }
        }
    }

    /// Letters, digits and `-_:.`: the bytes of tag and attribute names.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 || byte == 0x2D || byte == 0x5F || byte == 0x3A || byte == 0x2E
    }

    /// `bytes` without `ranges` (sorted, not overlapping).
    static func removing(_ ranges: [Range<Int>], from bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count - ranges.reduce(0) { $0 + $1.count })
        var start = 0
        for range in ranges {
            kept.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<range.lowerBound]))
            start = range.upperBound
        }
        kept.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        return kept
    }

    /// The `>` that ends a start tag, from `start` within it on: the first one outside a quoted
    /// attribute value.
    private static func startTagEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        let count = bytes.count
        while index < count {
            switch bytes[index] {
            case 0x3E: return index
            case 0x3D:
                index += 1
                while index < count, isSpace(bytes[index]) { index += 1 }
                if index < count, bytes[index] == 0x22 || bytes[index] == 0x27 {
                    guard let quote = ByteSearch.first(bytes[index], in: bytes, from: index + 1) else { return nil }
                    index = quote + 1
                }
            default: index += 1
            }
        }
        return nil
    }

    /// Whether the tag name at `start` is `name` (ASCII, lower case), in any case, and ends there.
    private static func isName(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        guard start + length < bytes.count, startsIgnoringCase(bytes, at: start, name) else { return false }
        let after = bytes[start + length]
        return isSpace(after) || after == 0x3E || after == 0x2F
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte &- 0x09 < 5 }

    private static func starts(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, with text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard start + length <= bytes.count else { return false }
        return text.withUTF8Buffer { pattern in (0..<length).allSatisfy { bytes[start + $0] == pattern[$0] } }
    }

    /// `text` is ASCII lower case; letters in `bytes` match it in either case.
    private static func startsIgnoringCase(
        _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ text: StaticString
    ) -> Bool {
        let length = text.utf8CodeUnitCount
        guard start + length <= bytes.count else { return false }
        return text.withUTF8Buffer { pattern in
            (0..<length).allSatisfy { offset in
                let byte = bytes[start + offset]
                return ((byte | 0x20) &- 0x61 < 26 ? byte | 0x20 : byte) == pattern[offset]
            }
        }
    }

    /// The first occurrence of `text` at or after `start`.
    private static func find(
        _ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString, from start: Int, ignoringCase: Bool = false
    ) -> Int? {
        let first = text.utf8Start.pointee
        var index = start
        while let candidate = ByteSearch.first(first, in: bytes, from: index) {
            let matches =
                ignoringCase ? startsIgnoringCase(bytes, at: candidate, text) : starts(bytes, at: candidate, with: text)
            if matches { return candidate }
            index = candidate + 1
        }
        return nil
    }

    private static func containsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        bytes.indices.contains { startsIgnoringCase(bytes, at: $0, text) }
    }
}
