import WinnowCore

/// Splits UTF-8 text into words: runs of letters, digits and combining marks, split on whitespace
/// and punctuation (an apostrophe between letters stays inside the word: "don't", and so does a
/// point or comma between digits: "3.04", "55,513"). Scripts written
/// without spaces (Han, Kana, Thai, Lao) give one word per character, the unit Gopher-style rules can
/// count without a dictionary; Hangul is written with spaces and is split like Latin.
/// ASCII takes a fast path; other scalars are classified by block and then by Unicode properties.
public enum WordTokenizer {
    /// The words of `text`.
    public static func words(in text: String) -> [WordSpan] {
        var copy = text
        var words: [WordSpan] = []
        copy.withUTF8 { split($0, into: &words) }
        return words
    }

    /// The words of `bytes` (valid UTF-8).
    public static func words(in bytes: UnsafeBufferPointer<UInt8>) -> [WordSpan] {
        var words: [WordSpan] = []
        words.reserveCapacity(bytes.count / 6 + 1)
        split(bytes, into: &words)
        return words
    }

    /// Replaces the contents of `words` with the words of `bytes` (valid UTF-8); reusing the array
    /// across documents keeps its storage.
    public static func split(_ bytes: UnsafeBufferPointer<UInt8>, into words: inout [WordSpan]) {
        words.removeAll(keepingCapacity: true)
        let count = bytes.count
        var index = 0
        var start = -1
        var characters = 0
        var hasLetter = false
        var lastWasDigit = false

        @inline(__always) func finish(at end: Int) {
            if start >= 0 {
                words.append(WordSpan(start: start, end: end, characters: characters, hasLetter: hasLetter))
            }
            start = -1
        }
        @inline(__always) func extend(at position: Int, letter: Bool) {
            if start < 0 {
                start = position
                characters = 0
                hasLetter = false
            }
            characters += 1
            hasLetter = hasLetter || letter
        }

        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                let isLetter = (byte | 0x20) &- 0x61 < 26
                let isDigit = byte &- 0x30 < 10
                if isLetter || isDigit {
                    extend(at: index, letter: isLetter)
                    // The rest of a run of ASCII letters and digits in one tight loop: one
                    // character each, and no byte in it ends the word.
                    var end = index + 1
                    var letters = isLetter
                    while end < count {
                        let next = bytes[end]
                        let nextIsLetter = (next | 0x20) &- 0x61 < 26
                        guard nextIsLetter || next &- 0x30 < 10 else { break }
                        letters = letters || nextIsLetter
                        end += 1
                    }
                    characters += end - index - 1
                    hasLetter = hasLetter || letters
                    lastWasDigit = bytes[end - 1] &- 0x30 < 10
                    index = end
                    continue
                } else if byte == 0x27, start >= 0, startsLetter(bytes, at: index + 1) {
                    characters += 1
                } else if byte == 0x2E || byte == 0x2C, lastWasDigit, index + 1 < count, bytes[index + 1] &- 0x30 < 10 {
                    characters += 1
                } else {
                    finish(at: index)
                }
                lastWasDigit = isDigit
                index += 1
                continue
            }
            lastWasDigit = false
            let (value, length) = UTF8Scalar.decode(bytes, at: index)
            switch ScalarClass.of(value) {
            case .letter(let script) where script.isUnsegmented:
                finish(at: index)
                words.append(
                    WordSpan(start: index, end: index + length, characters: 1, hasLetter: true, isCharacter: true))
            case .letter: extend(at: index, letter: true)
            case .digit: extend(at: index, letter: false)
            case .mark:
                if start >= 0 {
                    characters += 1
                } else if let last = words.last, last.isCharacter, last.end == index {
                    words[words.count - 1].end = index + length
                }
            case .apostrophe where start >= 0 && startsLetter(bytes, at: index + length):
                characters += 1
            case .apostrophe, .separator: finish(at: index)
            }
            index += length
        }
        finish(at: count)
    }

    @inline(__always)
    private static func startsLetter(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index < bytes.count else { return false }
        let byte = bytes[index]
        if byte < 0x80 { return (byte | 0x20) &- 0x61 < 26 }
        if case .letter = ScalarClass.of(UTF8Scalar.decode(bytes, at: index).value) { return true }
        return false
    }
}
