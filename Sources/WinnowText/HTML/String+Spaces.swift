extension String {
    /// The string with every whitespace run (including no-break spaces) folded to one space, and trimmed.
    var trimmedSpaces: String {
        let bytes = Array(utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pending = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C {
                pending = true
                continue
            }
            if byte == 0xC2 && index < bytes.count && bytes[index] == 0xA0 {
                index += 1
                pending = true
                continue
            }
            if pending && !out.isEmpty { out.append(0x20) }
            pending = false
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
