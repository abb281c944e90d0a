import WinnowCore
import WinnowIO
import WinnowText

#if canImport(Glibc)
    import Glibc
#endif

/// Why a control request did not get an answer.
public enum ControlClientError: Error, CustomStringConvertible {
    case noDaemon(tried: [String], reason: String)
    case badResponse(String)

    public var description: String {
        switch self {
        case .noDaemon(let tried, let reason):
            "no winnowd is listening (\(reason); tried \(tried.joined(separator: ", "))). "
                + "Start it, or point winnowctl at its socket with --socket or WINNOW_SOCKET"
        case .badResponse(let detail): "the daemon sent an unreadable answer: \(detail)"
        }
    }
}

/// Talks to a running daemon over its control socket.
public struct ControlClient {
    /// The sockets to try, in order: `--socket`, then `WINNOW_SOCKET`, then `./.winnow/control.sock`,
    /// then `/run/winnow/control.sock`. An explicit choice is the only candidate.
    public static func candidates(explicit: String?, environment: [String: String]) -> [String] {
        if let explicit { return [explicit] }
        if let fromEnvironment = environment["WINNOW_SOCKET"], !fromEnvironment.isEmpty { return [fromEnvironment] }
        return ["./.winnow/control.sock", "/run/winnow/control.sock"]
    }

    public let candidates: [String]

    /// Who may use the socket at `path`: the members of its group.
    private static func permissionHint(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0, let group = getgrgid(info.st_gid) else { return "" }
        return " (only members of the group \(String(cString: group.pointee.gr_name)) may use it)"
    }

    public init(candidates: [String]) {
        self.candidates = candidates
    }

    /// Sends one request and returns the status code and the parsed JSON body.
    public func send(method: String, path: String, body: [UInt8] = []) throws -> (status: Int, json: JSONValue) {
        let response = try request(method: method, path: path, body: body)
        return (response.status, try response.json())
    }

    /// Sends one request and returns the response as it came (`winnowctl metrics`: Prometheus text).
    public func request(method: String, path: String, body: [UInt8] = []) throws -> HTTPResponse {
        var lastReason = "no socket file"
        for socketPath in candidates {
            let fd: Int32
            do {
                fd = try UnixSocket.connect(path: socketPath)
            } catch let error as SystemError {
                lastReason = "\(socketPath): \(String(cString: strerror(error.errno)))"
                if error.errno == EACCES { lastReason += Self.permissionHint(socketPath) }
                continue
            }
            defer { close(fd) }
            UnixSocket.setTimeouts(fd, seconds: 30)
            let head =
                "\(method) \(path) HTTP/1.1\r\nHost: winnowd\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            try FileSystem.writeAll(fd, Array(head.utf8) + body, path: socketPath)
            // The server closes the connection after its answer: read to the end, then parse.
            guard let response = try HTTPResponse.parse(UnixSocket.readToEnd(fd)) else {
                throw ControlClientError.badResponse("incomplete response")
            }
            return response
        }
        throw ControlClientError.noDaemon(tried: candidates, reason: lastReason)
    }
}

extension HTTPResponse {
    /// The body as JSON; throws `ControlClientError.badResponse` when it is not.
    public func json() throws(ControlClientError) -> JSONValue {
        do {
            return try JSONParser.parse(body).value
        } catch {
            throw ControlClientError.badResponse("\(error)")
        }
    }

    /// The `error` of a refusal's JSON body, or the status when the body has none.
    public var errorMessage: String {
        (try? JSONParser.parse(body).value.objectValue?["error"]?.stringValue) ?? "status \(status)"
    }
}
