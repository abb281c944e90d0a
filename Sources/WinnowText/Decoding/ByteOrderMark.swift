/// The Unicode signature a text may start with, which settles its encoding before anything else.
public enum ByteOrderMark {
    /// The encoding announced by a byte order mark at the start of `bytes`, and the mark's length.
    public static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> (charset: Charset, length: Int)? {
        func starts(_ mark: [UInt8]) -> Bool {
            bytes.count >= mark.count && zip(bytes, mark).allSatisfy { $0 == $1 }
        }
        if starts([0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        // UTF-32LE's mark begins with UTF-16LE's, so it is tested first.
        if starts([0xFF, 0xFE, 0x00, 0x00]) { return (.utf32LE, 4) }
        if starts([0x00, 0x00, 0xFE, 0xFF]) { return (.utf32BE, 4) }
        if starts([0xFF, 0xFE]) { return (.utf16LE, 2) }
        if starts([0xFE, 0xFF]) { return (.utf16BE, 2) }
        return nil
    }
}
