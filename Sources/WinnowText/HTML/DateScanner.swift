/// A cursor over the bytes of a date string.
struct DateScanner {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipSpaces() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x2C { index += 1 }
    }

    private mutating func number(maxDigits: Int) -> (value: Int, digits: Int)? {
        var value = 0
        var digits = 0
        while digits < maxDigits, let byte = current, byte >= 0x30 && byte <= 0x39 {
            value = value * 10 + Int(byte - 0x30)
            digits += 1
            index += 1
        }
        return digits == 0 ? nil : (value, digits)
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        index += 1
        return true
    }

    /// `YYYY-MM-DD` or `YYYY/MM/DD`, then an optional time and zone.
    mutating func iso() -> DateParts? {
        guard let year = number(maxDigits: 4), year.digits == 4 else { return nil }
        guard let separator = current, separator == 0x2D || separator == 0x2F else { return nil }
        index += 1
        guard let month = number(maxDigits: 2), take(separator), let day = number(maxDigits: 2) else { return nil }
        var parts = DateParts(year: year.value, month: month.value, day: day.value)
        if take(0x54) || take(0x74) || take(0x20) {
            skipSpaces()
            if let time = clock() {
                parts.time = time
                parts.offset = zone() ?? 0
            }
        }
        return parts
    }

    /// `HH:MM[:SS[.fff]]`.
    private mutating func clock() -> (hour: Int, minute: Int, second: Int)? {
        guard let hour = number(maxDigits: 2), take(0x3A), let minute = number(maxDigits: 2) else { return nil }
        var second = 0
        if take(0x3A), let value = number(maxDigits: 2) { second = value.value }
        if take(0x2E) || take(0x2C) { _ = number(maxDigits: 9) }
        return (hour.value, minute.value, second)
    }

    /// `Z`, `GMT`, `UTC`, `±HH:MM`, `±HHMM` or `±HH`, as seconds east of UTC.
    private mutating func zone() -> Int? {
        skipSpaces()
        guard let byte = current else { return nil }
        if byte == 0x5A || byte == 0x7A { return 0 }
        guard byte == 0x2B || byte == 0x2D else { return nil }
        index += 1
        guard let first = number(maxDigits: 4) else { return nil }
        var hours = first.value
        var minutes = 0
        if first.digits == 4 {
            hours = first.value / 100
            minutes = first.value % 100
        } else if take(0x3A), let value = number(maxDigits: 2) {
            minutes = value.value
        }
        let seconds = hours * 3600 + minutes * 60
        return byte == 0x2D ? -seconds : seconds
    }

    /// `[Weekday,] 16 May 2024 [10:00[:00] [zone]]` or `May 16, 2024`.
    mutating func named() -> DateParts? {
        skipSpaces()
        var day: Int?
        var month: Int?
        var year: Int?
        while index < bytes.count && year == nil {
            skipSpaces()
            if let value = number(maxDigits: 4) {
                if value.digits == 4 { year = value.value } else if day == nil { day = value.value } else { return nil }
            } else if let name = word() {
                if let value = Self.month(name) { month = value }
            } else {
                index += 1
            }
        }
        guard let day, let month, let year else { return nil }
        var parts = DateParts(year: year, month: month, day: day)
        skipSpaces()
        if let time = clock() {
            parts.time = time
            skipSpaces()
            if let byte = current, byte == 0x2B || byte == 0x2D || byte == 0x5A {
                parts.offset = zone() ?? 0
            }
        }
        return parts
    }

    private mutating func word() -> String? {
        let start = index
        while let byte = current, (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A { index += 1 }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self).lowercased() : nil
    }

    private static func month(_ name: String) -> Int? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard name.count >= 3 else { return nil }
        return months.firstIndex(of: String(name.prefix(3))).map { $0 + 1 }
    }
}
