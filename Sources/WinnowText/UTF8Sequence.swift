/// One step of UTF-8 validation, shared by the repairer and the encoding detector.
enum UTF8Sequence {
    /// At `index` (a non-ASCII byte): whether a well-formed sequence starts there, and its length,
    /// or, when not, the length of the maximal ill-formed subpart (the bytes one U+FFFD replaces).
    @inline(__always)
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (valid: Bool, length: Int) {
        let lead = bytes[index]
        let need: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; high = 0x9F
        case 0xF0: need = 3; low = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; high = 0x8F
        default: return (false, 1)
        }
        var length = 1
        while length <= need {
            let position = index + length
            guard position < bytes.count else { return (false, length) }
            let byte = bytes[position]
            let (lower, upper) = length == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= lower && byte <= upper else { return (false, length) }
            length += 1
        }
        return (true, length)
    }
}
