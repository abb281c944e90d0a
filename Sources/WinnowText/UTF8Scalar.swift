/// Decoding one scalar from valid UTF-8 (the text of a `Document` always is).
enum UTF8Scalar {
    /// The scalar starting at `index` (a lead byte ≥ 0x80) and its length in bytes.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
        let lead = UInt32(bytes[index])
        let count = bytes.count
        @inline(__always) func tail(_ offset: Int) -> UInt32 {
            index + offset < count ? UInt32(bytes[index + offset] & 0x3F) : 0
        }
        if lead < 0xE0 { return ((lead & 0x1F) << 6 | tail(1), 2) }
        if lead < 0xF0 { return ((lead & 0x0F) << 12 | tail(1) << 6 | tail(2), 3) }
        return ((lead & 0x07) << 18 | tail(1) << 12 | tail(2) << 6 | tail(3), 4)
    }

    /// The scalar starting at `index` (any byte that starts one, ASCII too) and its length in bytes.
    @inline(__always)
    static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
        bytes[index] < 0x80 ? (UInt32(bytes[index]), 1) : decode(bytes, at: index)
    }
}
