/// An http or https URL in the one form the fetch queue knows it by: scheme and host lowercased,
/// the default port left out, the fragment removed, an empty path written `/`, bytes outside
/// printable ASCII percent-encoded. Two spellings of one address are one queue entry.
public struct FetchURL: Sendable, Hashable, CustomStringConvertible {
    public let scheme: String
    /// Lowercased; an IPv6 literal keeps its brackets (`[::1]`).
    public let host: String
    /// `nil` for the scheme's default port.
    public let port: Int?
    /// Path and query, starting with `/`.
    public let target: String

    /// Why a line is not a URL the daemon will fetch.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    public init(_ text: String) throws(Refusal) {
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { throw Refusal("empty URL") }
        guard let colon = trimmed.firstIndex(of: ":"), trimmed[colon...].hasPrefix("://") else {
            throw Refusal("not an absolute URL (it must start with http:// or https://)")
        }
        let scheme = trimmed[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw Refusal("the scheme \(scheme) is not fetched (only http and https)")
        }
        var rest = trimmed[trimmed.index(colon, offsetBy: 3)...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.contains("@") else { throw Refusal("credentials in a URL are not accepted") }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw Refusal("unclosed IPv6 address") }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw Refusal("unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw Refusal("no host") }
        guard host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw Refusal("the host has spaces or non-ASCII characters (write an international name in punycode)")
        }
        var port: Int?
        if let portText, !portText.isEmpty {
            guard let number = Int(portText), (1...65_535).contains(number) else {
                throw Refusal("bad port \(portText)")
            }
            port = number == (scheme == "http" ? 80 : 443) ? nil : number
        }
        let target = rest[authorityEnd...]
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.target = target.hasPrefix("/") ? Self.encoded(target) : "/" + Self.encoded(target)
    }

    /// `scheme://host[:port]`: what robots.txt and the per-host limits apply to.
    public var origin: String { scheme + "://" + host + (port.map { ":\($0)" } ?? "") }

    public var description: String { origin + target }

    /// The URL of the origin's robots.txt.
    public var robotsURL: String { origin + "/robots.txt" }

    /// Percent-encodes bytes that may not appear raw in a request line.
    private static func encoded(_ text: Substring) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte > 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x3C && byte != 0x3E && byte != 0x5C
                && byte != 0x5E && byte != 0x60 && byte != 0x7B && byte != 0x7C && byte != 0x7D
            {
                bytes.append(byte)
            } else {
                bytes += [0x25, digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line ends (byte-wise: `"\r\n"` is one
    /// `Character`, which a character test would not see as either).
    public func trimmingASCIIWhitespace() -> Substring {
        let text = Substring(self)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        guard let first = text.utf8.firstIndex(where: { !isSpace($0) }),
            let last = text.utf8.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return text[first...last]
    }
}
