#if canImport(Glibc)
    import Glibc
#endif

/// A TCP address to listen on, written `HOST:PORT` with a numeric IP address: `127.0.0.1:9464`,
/// `[::1]:9464`, `0.0.0.0:9464` (`metrics.listen`). Host names are refused: what a name resolves
/// to can change, and the point of the setting is to say exactly which interface is exposed.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The address as written, without brackets (`127.0.0.1`, `::1`).
    public var host: String
    public var port: Int
    public var isIPv6: Bool

    /// Parses `HOST:PORT`; `nil` for anything else (a name, a missing or out-of-range port).
    public init?(_ text: String) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
            isIPv6 = true
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            isIPv6 = false
            if host.contains(":") { return nil }
        }
        guard port.allSatisfy(\.isASCII), let number = Int(port), (1...65535).contains(number) else { return nil }
        var scratch = in6_addr()
        guard inet_pton(isIPv6 ? AF_INET6 : AF_INET, String(host), &scratch) == 1 else { return nil }
        self.host = String(host)
        self.port = number
    }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
