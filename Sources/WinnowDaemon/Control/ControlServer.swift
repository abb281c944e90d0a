import Logging
import Synchronization
import WinnowCore
import WinnowIO

#if canImport(Glibc)
    import Glibc
#endif

/// Serves the control API (HTTP/1.1 + JSON) on a Unix socket, on its own thread, one short request
/// at a time: `GET /v1/status`, `POST /v1/pause`, `POST /v1/resume`.
final class ControlServer: @unchecked Sendable {
    private let path: String
    private let listener: Int32
    private let wake: WakeSignal
    private let stopped = Mutex(false)
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let logger: Logger

    /// Binds the socket now, so that a bad path fails the start rather than later.
    init(
        path: String, group: String? = nil, logger: Logger, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws {
        self.path = path
        self.logger = logger
        self.handler = handler
        var gid: gid_t?
        if let group {
            guard let entry = getgrnam(group) else {
                throw ConfigurationError("control.socket_group: there is no group named \(group)")
            }
            gid = entry.pointee.gr_gid
        }
        self.listener = try UnixSocket.listen(path: path, mode: 0o660, group: gid)
        self.wake = try WakeSignal()
    }

    /// Serves until `stop()`, then removes the socket file.
    func run() {
        defer {
            close(listener)
            unlink(path)
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
            try FileSystem.writeAll(client, response.serialized, path: path)
        } catch {
            logger.debug("control client went away", metadata: ["error": "\(error)"])
        }
    }
}
