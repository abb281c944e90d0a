import Logging
import Synchronization
import WinnowCore
import WinnowIO

#if canImport(Glibc)
    import Glibc
#endif

/// Serves short HTTP/1.1 requests on a listening socket, on its own thread, one at a time: the
/// control API on its Unix socket, or `GET /metrics` on the TCP address of `metrics.listen`.
final class ControlServer: @unchecked Sendable {
    /// The socket file to remove when done (`nil` for a TCP listener).
    private let socketFile: String?
    /// What the listener is, for error messages: its path or address.
    private let name: String
    private let listener: Int32
    private let wake: WakeSignal
    private let stopped = Mutex(false)
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let logger: Logger

    /// Binds the socket now, so that a bad path fails the start rather than later.
    convenience init(
        path: String, group: String? = nil, logger: Logger, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws {
        var gid: gid_t?
        if let group {
            guard let entry = getgrnam(group) else {
                throw ConfigurationError("control.socket_group: there is no group named \(group)")
            }
            gid = entry.pointee.gr_gid
        }
        let listener = try UnixSocket.listen(path: path, mode: 0o660, group: gid)
        try self.init(listener: listener, socketFile: path, name: path, logger: logger, handler: handler)
    }

    /// Listens on the TCP `address` now, so that an address in use fails the start.
    convenience init(
        address: ListenAddress, logger: Logger, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws {
        let listener: Int32
        do {
            listener = try TCPSocket.listen(address)
        } catch {
            throw ConfigurationError("metrics.listen: cannot listen on \(address): \(error)")
        }
        try self.init(listener: listener, socketFile: nil, name: "\(address)", logger: logger, handler: handler)
    }

    private init(
        listener: Int32, socketFile: String?, name: String, logger: Logger,
        handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws {
        self.listener = listener
        self.socketFile = socketFile
        self.name = name
        self.logger = logger
        self.handler = handler
        do {
            self.wake = try WakeSignal()
        } catch {
            close(listener)
            throw error
        }
    }

    /// Serves until `stop()`, then removes the socket file.
    func run() {
        defer {
            close(listener)
            if let socketFile { unlink(socketFile) }
        }
        while !stopped.withLock({ $0 }) {
            var descriptors = [
                pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake.descriptor, events: Int16(POLLIN), revents: 0),
            ]
            guard (try? syscall("poll", { poll(&descriptors, 2, -1) })) != nil else { continue }
            if descriptors[1].revents != 0 { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            serve(client)
            close(client)
        }
    }

    /// Stops the server. Safe from any thread.
    func stop() {
        stopped.withLock { $0 = true }
        wake.wake()
    }

    private func serve(_ client: Int32) {
        UnixSocket.setTimeouts(client, seconds: 5)
        let response: HTTPResponse
        do {
            if let request = try UnixSocket.readMessage(
                client, limit: HTTPRequest.maximumBody + 65536, HTTPRequest.parse)
            {
                response = handler(request)
            } else {
                response = HTTPResponse(status: 400, body: Array(#"{"error":"incomplete request"}"#.utf8))
            }
        } catch {
            response = HTTPResponse(status: 400, body: Array(#"{"error":"malformed request"}"#.utf8))
        }
        do {
            try FileSystem.writeAll(client, response.serialized, path: name)
        } catch {
            logger.debug("control client went away", metadata: ["error": "\(error)"])
        }
    }
}
