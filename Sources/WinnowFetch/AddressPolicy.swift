#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address, as 16 bytes (IPv4 as its IPv4-mapped IPv6 form, `::ffff:a.b.c.d`).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(_ text: String) {
        var host = Substring(text)
        if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, String(host), &v4) == 1 {
            bytes = Self.mapped(withUnsafeBytes(of: v4) { Array($0) })
        } else if inet_pton(AF_INET6, String(host), &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
        } else {
            return nil
        }
    }

    /// The address of a socket address from the resolver (AF_INET or AF_INET6), else `nil`.
    public init?(_ address: UnsafePointer<sockaddr>) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let v4 = UnsafeRawPointer(address).assumingMemoryBound(to: sockaddr_in.self).pointee.sin_addr
            bytes = Self.mapped(withUnsafeBytes(of: v4) { Array($0) })
        case AF_INET6:
            let v6 = UnsafeRawPointer(address).assumingMemoryBound(to: sockaddr_in6.self).pointee.sin6_addr
            bytes = withUnsafeBytes(of: v6) { Array($0) }
        default:
            return nil
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The IPv4-mapped IPv6 form of four IPv4 bytes.
    static func mapped(_ v4: [UInt8]) -> [UInt8] { [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF] + v4 }

    /// The IPv4 address this one stands for: IPv4-mapped (`::ffff:0:0/96`), IPv4-compatible
    /// (`::/96`, deprecated but still routed by some stacks) or NAT64 (`64:ff9b::/96`).
    public var embeddedIPv4: [UInt8]? {
        let prefix = bytes.prefix(12)
        if prefix.elementsEqual([UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]) { return Array(bytes.suffix(4)) }
        if prefix.allSatisfy({ $0 == 0 }) && bytes.suffix(4).contains(where: { $0 != 0 }) {
            // ::a.b.c.d, but not :: or ::1, which are IPv6's own.
            return bytes[12...].elementsEqual([0, 0, 0, 1]) ? nil : Array(bytes.suffix(4))
        }
        if prefix.elementsEqual([0x00, 0x64, 0xFF, 0x9B] + [UInt8](repeating: 0, count: 8)) {
            return Array(bytes.suffix(4))
        }
        return nil
    }

    public var isIPv4: Bool { bytes.prefix(12).elementsEqual([UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]) }

    public var description: String {
        if isIPv4 { return bytes.suffix(4).map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var v6 = in6_addr()
        withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: bytes) }
        inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A network in CIDR notation (`10.0.0.0/8`, `fd00::/8`, a bare address for one host).
public struct Network: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    /// Prefix length over the 16-byte form (an IPv4 `/8` is `/104`).
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.isIPv4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            guard let number = Int(parts[1]), (0...maximum).contains(number) else { return nil }
            length = number
        }
        self.address = address
        prefixLength = address.isIPv4 ? 96 + length : length
    }

    public func contains(_ candidate: IPAddress) -> Bool {
        for index in 0..<16 {
            let bits = min(8, max(0, prefixLength - index * 8))
            guard bits > 0 else { return true }
            let mask: UInt8 = bits == 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if candidate.bytes[index] & mask != address.bytes[index] & mask { return false }
        }
        return true
    }

    public var description: String {
        "\(address)/\(address.isIPv4 ? prefixLength - 96 : prefixLength)"
    }
}

/// Which addresses the fetcher may connect to: public ones. Loopback, private (RFC 1918),
/// link-local (with 169.254.169.254, the cloud metadata service), carrier-grade NAT, unique-local,
/// multicast, documentation, benchmarking and reserved ranges are refused, also when written as
/// IPv4-mapped, IPv4-compatible or NAT64 IPv6 addresses, unless an `allowed` network holds them.
public struct AddressPolicy: Sendable, Equatable {
    public let allowed: [Network]

    public init(allowed: [Network] = []) {
        self.allowed = allowed
    }

    private static let refusedIPv4: [(Network, String)] = [
        ("0.0.0.0/8", "this-network"), ("10.0.0.0/8", "private"), ("100.64.0.0/10", "carrier-grade NAT"),
        ("127.0.0.0/8", "loopback"), ("169.254.0.0/16", "link-local"), ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "IETF protocol assignments"), ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4 relay"), ("192.168.0.0/16", "private"), ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"), ("203.0.113.0/24", "documentation"), ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
    ].map { (Network($0.0)!, $0.1) }

    private static let refusedIPv6: [(Network, String)] = [
        ("::/128", "unspecified"), ("::1/128", "loopback"), ("100::/64", "discard"), ("2001:db8::/32", "documentation"),
        ("fc00::/7", "unique-local"), ("fe80::/10", "link-local"), ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    ].map { (Network($0.0)!, $0.1) }

    /// Why a connection to `address` is refused (`"loopback"`, `"private"`…), or `nil` to allow it.
    public func refusal(for address: IPAddress) -> String? {
        let forms = [address] + (address.embeddedIPv4.map { [IPAddress(bytes: IPAddress.mapped($0))] } ?? [])
        if forms.contains(where: { form in allowed.contains { $0.contains(form) } }) { return nil }
        for form in forms {
            let table = form.isIPv4 ? Self.refusedIPv4 : Self.refusedIPv6
            if let (_, kind) = table.first(where: { $0.0.contains(form) }) { return kind }
        }
        return nil
    }
}
