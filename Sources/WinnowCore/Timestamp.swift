#if canImport(Glibc)
    import Glibc
#endif

/// ISO 8601 UTC timestamps (`2026-11-23T18:04:05Z`), without Foundation's formatters on the hot path.
public enum Timestamp {
    /// The current time.
    public static func now() -> String {
        format(seconds: time(nil))
    }

    /// The current time in seconds since the epoch, with sub-second precision.
    public static func unixNow() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// `seconds` since the epoch, formatted.
    public static func format(seconds: Int) -> String {
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        func two(_ number: Int32) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
