import WinnowIO

#if canImport(Glibc)
    import Glibc
#endif

/// TCP stream sockets for the optional metrics listener (`metrics.listen`).
enum TCPSocket {
    /// A listening socket bound to exactly `address` (an IPv6 one takes no IPv4 connections).
    static func listen(_ address: ListenAddress) throws -> Int32 {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let fd = try syscall("socket") {
            socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            var on: Int32 = 1
            // A restart must not wait for the old connections' TIME_WAIT to end.
            try syscall("setsockopt") {
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
            }
            let name = address.description
            if address.isIPv6 {
                try syscall("setsockopt") {
                    setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &on, socklen_t(MemoryLayout<Int32>.size))
                }
                var socketAddress = sockaddr_in6()
                socketAddress.sin6_family = sa_family_t(AF_INET6)
                socketAddress.sin6_port = UInt16(address.port).bigEndian
                _ = inet_pton(AF_INET6, address.host, &socketAddress.sin6_addr)
                try bind(fd, &socketAddress, name: name)
            } else {
                var socketAddress = sockaddr_in()
                socketAddress.sin_family = sa_family_t(AF_INET)
                socketAddress.sin_port = UInt16(address.port).bigEndian
                _ = inet_pton(AF_INET, address.host, &socketAddress.sin_addr)
                try bind(fd, &socketAddress, name: name)
            }
            try syscall("listen", path: name) { Glibc.listen(fd, 16) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    private static func bind<Address>(_ fd: Int32, _ address: inout Address, name: String) throws {
        try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                _ = try syscall("bind", path: name) {
                    Glibc.bind(fd, socketAddress, socklen_t(MemoryLayout<Address>.size))
                }
            }
        }
    }
}
