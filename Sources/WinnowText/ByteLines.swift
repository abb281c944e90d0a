extension String {
    /// The text's lines, found on its UTF-8 bytes (a split on `Character`s would walk grapheme
    /// clusters): the pieces between newline bytes, empty ones included, so a text with n newlines
    /// has n + 1 lines. Unless `crlfEndsLine`, a newline right after a carriage return ends no line,
    /// as in a split on characters, where "\r\n" is one character and not a "\n".
    public func byteLines(crlfEndsLine: Bool = true) -> [Substring] {
        var copy = self
        let ends = copy.withUTF8 { bytes in
            var ends: [Int] = []
            var offset = 0
            while let newline = ByteSearch.first(0x0A, in: bytes, from: offset) {
                if crlfEndsLine || newline == 0 || bytes[newline - 1] != 0x0D { ends.append(newline) }
                offset = newline + 1
            }
            return ends
        }
        let utf8 = self.utf8
        var lines: [Substring] = []
        lines.reserveCapacity(ends.count + 1)
        var start = utf8.startIndex
        for offset in ends {
            let end = utf8.index(utf8.startIndex, offsetBy: offset)
            lines.append(self[start..<end])
            start = utf8.index(after: end)
        }
        lines.append(self[start...])
        return lines
    }
}
