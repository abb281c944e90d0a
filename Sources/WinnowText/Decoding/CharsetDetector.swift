import CUchardet

/// Guesses the encoding of text that declares none and is not UTF-8, with uchardet (the charset
/// detector of Mozilla's universal detector lineage, as packaged by Debian).
public enum CharsetDetector {
    /// How much of the input uchardet sees: its statistics settle long before this, and a cap keeps
    /// the cost of detection bounded on large inputs.
    static let sampleBytes = 256 << 10

    /// uchardet's guess, as an encoding this decoder knows; `nil` when uchardet has no answer or
    /// names an encoding that neither the WHATWG table nor iconv knows.
    public static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> Charset? {
        guard let base = bytes.baseAddress, bytes.count > 0, let detector = uchardet_new() else { return nil }
        defer { uchardet_delete(detector) }
        let count = min(bytes.count, sampleBytes)
        let status = UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: count) {
            uchardet_handle_data(detector, $0, count)
        }
        guard status == 0 else { return nil }
        uchardet_data_end(detector)
        guard let name = uchardet_get_charset(detector).map({ String(cString: $0) }), !name.isEmpty else {
            return nil
        }
        if let known = Charset.labelled(name) { return known }
        // A name outside the table: usable if iconv knows it under that name.
        let charset = Charset(name: name.lowercased(), iconvName: name)
        return IconvConverter.supports(charset.iconvName) ? charset : nil
    }
}
