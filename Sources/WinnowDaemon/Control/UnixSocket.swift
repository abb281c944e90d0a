import WinnowIO

#if canImport(Glibc)
    import Glibc
#endif

/// Unix stream sockets for the control channel.
enum UnixSocket {
    /// Fills a `sockaddr_un` for `path`, refusing paths the kernel would cut short.
    static func address(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw ConfigurationError(
                "the control socket path \(path) is \(bytes.count) bytes long; the limit is \(capacity - 1). Set control.socket to a shorter path"
            )
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    /// A listening socket at `path` with `mode` (a stale socket file there is replaced).
    static func listen(path: String, mode: mode_t, group: gid_t? = nil) throws -> Int32 {
        var address = try address(path)
        let fd = try syscall("socket") {
            socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            if let status = try FileSystem.status(path), status.kind == .socket { try FileSystem.remove(path) }
            try withUnsafePointer(to: &address) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    _ = try syscall("bind", path: path) {
                        bind(fd, socketAddress, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
            }
            try syscall("chmod", path: path) { chmod(path, mode) }
            // Giving a file to one of its own groups needs no privilege (the unit has none).
            if let group { try syscall("chown", path: path) { chown(path, uid_t.max, group) } }
            try syscall("listen", path: path) { Glibc.listen(fd, 16) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// A connected client socket, or a `SystemError` (`ENOENT`/`ECONNREFUSED` when no one listens).
    static func connect(path: String) throws -> Int32 {
        var address = try address(path)
        let fd = try syscall("socket") {
            socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            try withUnsafePointer(to: &address) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    _ = try syscall("connect", path: path) {
                        Glibc.connect(fd, socketAddress, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
            }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Sets send and receive timeouts, so a stuck peer cannot hold the other side forever.
    static func setTimeouts(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads until the peer closes the connection.
    static func readToEnd(_ fd: Int32, limit: Int = 64 << 20) throws -> [UInt8] {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while received.count <= limit {
            let count = try chunk.withUnsafeMutableBytes { raw in
                try syscall("recv") { recv(fd, raw.baseAddress, raw.count, 0) }
            }
            if count == 0 { break }
            received.append(contentsOf: chunk[0..<count])
        }
        return received
    }

    /// Reads until `complete` returns a value or the peer closes.
    static func readMessage<T>(_ fd: Int32, limit: Int = 2 << 20, _ complete: ([UInt8]) throws -> T?) throws -> T? {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while received.count <= limit {
            if let message = try complete(received) { return message }
            let count = try chunk.withUnsafeMutableBytes { raw in
                try syscall("recv") { recv(fd, raw.baseAddress, raw.count, 0) }
            }
            if count == 0 { return try complete(received) }
            received.append(contentsOf: chunk[0..<count])
        }
        return nil
    }
}
