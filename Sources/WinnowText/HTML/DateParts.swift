import WinnowCore

#if canImport(Glibc)
    import Glibc
#endif

/// The fields of a date, with an optional time and UTC offset in seconds.
struct DateParts {
    var year: Int
    var month: Int
    var day: Int
    var time: (hour: Int, minute: Int, second: Int)?
    var offset = 0

    func formatted() -> String? {
        guard (1900...2200).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        guard let time else { return "\(year)-\(two(month))-\(two(day))" }
        guard time.hour < 24, time.minute < 60, time.second < 61 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(time.hour)
        parts.tm_min = Int32(time.minute)
        parts.tm_sec = Int32(time.second)
        return Timestamp.format(seconds: Int(timegm(&parts)) - offset)
    }
}
