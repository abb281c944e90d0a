#if canImport(Glibc)
    import Glibc
#endif

/// Converts bytes in a legacy encoding to UTF-8 with glibc's iconv, replacing what cannot be
/// decoded with U+FFFD and counting the replacements.
public enum IconvConverter {
    /// Why a conversion could not start.
    public struct UnsupportedCharset: Error, CustomStringConvertible {
        public var charset: String
        public var description: String { "iconv cannot convert from \(charset)" }
    }

    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// The UTF-8 bytes of `bytes` read as `iconvName`, and how many U+FFFD were substituted.
    ///
    /// iconv stops at the first byte sequence that is invalid in the source encoding (`EILSEQ`)
    /// or cut short at the end (`EINVAL`): `unit` bytes are skipped (one, or the code unit of UTF-16
    /// and UTF-32, which must stay aligned), U+FFFD written, and the conversion goes on.
    public static func convert(_ bytes: UnsafeBufferPointer<UInt8>, from iconvName: String, unit: Int = 1)
        throws(UnsupportedCharset) -> (utf8: [UInt8], replaced: Int)
    {
        let descriptor = iconv_open("UTF-8", iconvName)
        guard let descriptor, descriptor != iconv_t(bitPattern: -1) else {
            throw UnsupportedCharset(charset: iconvName)
        }
        defer { iconv_close(descriptor) }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return ([], 0) }

        // Most legacy text grows by at most 3x in UTF-8; the output buffer doubles when it fills.
        var output = [UInt8](repeating: 0, count: max(64, bytes.count * 2))
        var written = 0
        var replaced = 0
        var input = UnsafeMutablePointer(mutating: UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self))
        var inputLeft = bytes.count
        while inputLeft > 0 {
            let (result, failure) = output.withUnsafeMutableBytes { out -> (Int, Int32) in
                var outPointer: UnsafeMutablePointer<CChar>? =
                    out.baseAddress!.assumingMemoryBound(to: CChar.self)
                    + written
                var outLeft = out.count - written
                var inPointer: UnsafeMutablePointer<CChar>? = input
                let result = iconv(descriptor, &inPointer, &inputLeft, &outPointer, &outLeft)
                let failure = result == -1 ? errno : 0
                input = inPointer!
                written = out.count - outLeft
                return (result, failure)
            }
            if result != -1 { break }
            switch failure {
            case E2BIG:
                output.append(contentsOf: repeatElement(0, count: output.count))
            case EILSEQ, EINVAL:
                if output.count - written < replacement.count {
                    output.append(contentsOf: repeatElement(0, count: output.count))
                }
                output.replaceSubrange(written..<written + 3, with: replacement)
                written += 3
                replaced += 1
                let skip = min(unit, inputLeft)
                input += skip
                inputLeft -= skip
            default:
                throw UnsupportedCharset(charset: iconvName)
            }
        }
        if output.count - written < 16 { output.append(contentsOf: repeatElement(0, count: 16)) }
        // Flush the shift state of stateful encodings (ISO-2022): nothing to write for the others.
        _ = output.withUnsafeMutableBytes { out -> Int in
            var outPointer: UnsafeMutablePointer<CChar>? =
                out.baseAddress!.assumingMemoryBound(to: CChar.self)
                + written
            var outLeft = out.count - written
            let result = iconv(descriptor, nil, nil, &outPointer, &outLeft)
            written = out.count - outLeft
            return result
        }
        output.removeSubrange(written...)
        return (output, replaced)
    }

    /// Whether iconv can convert from `iconvName` to UTF-8.
    public static func supports(_ iconvName: String) -> Bool {
        guard let descriptor = iconv_open("UTF-8", iconvName), descriptor != iconv_t(bitPattern: -1) else {
            return false
        }
        iconv_close(descriptor)
        return true
    }
}
