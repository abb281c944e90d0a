/// The little of HTTP/1.1 the control socket speaks: one request per connection, `Content-Length`
/// bodies, `Connection: close`. Enough for `winnowctl` and `curl --unix-socket`.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var path: String
    /// The largest body accepted (a document for `winnowctl dupes`).
    public static let maximumBody = 16 << 20
    public var body: [UInt8]

    /// The path without its query.
    public var route: String { String(path.prefix { $0 != "?" }) }

    /// The query's parameters, percent-decoded (`?name=a%20b&limit=5`).
    public var query: [String: String] {
        guard let mark = path.firstIndex(of: "?") else { return [:] }
        var result: [String: String] = [:]
        for pair in path[path.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? String(parts[1]) : ""
            result[String(parts[0])] = value.removingPercentEncoding ?? value
        }
        return result
    }

    public init(method: String, path: String, body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.body = body
    }

    /// Parses a request head and body from `bytes`; `nil` if more bytes are needed.
    /// Throws for bytes that are not an HTTP request.
    static func parse(_ bytes: [UInt8]) throws -> HTTPRequest? {
        guard let headEnd = bytes.firstRange(of: [13, 10, 13, 10]) else { return nil }
        let head = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { throw HTTPError.malformed }
        var length = 0
        for line in lines.dropFirst() {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == "content-length" {
                guard let value = Int(pair[1].trimmingCharacters(in: " \t")), value >= 0,
                    value <= HTTPRequest.maximumBody
                else {
                    throw HTTPError.malformed
                }
                length = value
            }
        }
        let bodyStart = headEnd.upperBound
        guard bytes.count - bodyStart >= length else { return nil }
        return HTTPRequest(
            method: String(parts[0]), path: String(parts[1]), body: Array(bytes[bodyStart..<bodyStart + length]))
    }
}

/// A response: status, a body and its type (JSON unless told otherwise).
public struct HTTPResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    public var contentType: String

    public static let json = "application/json"

    public init(status: Int, body: [UInt8], contentType: String = HTTPResponse.json) {
        self.status = status
        self.body = body
        self.contentType = contentType
    }

    var serialized: [UInt8] {
        let reason =
            [200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error"][
                status] ?? "Status"
        let head =
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

    /// Parses a response (the client side), `nil` if incomplete.
    static func parse(_ bytes: [UInt8]) throws -> HTTPResponse? {
        guard let headEnd = bytes.firstRange(of: [13, 10, 13, 10]) else { return nil }
        let head = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self)
        let statusLine = head.split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw HTTPError.malformed }
        let type = head.split(separator: "\r\n").dropFirst().lazy.map { $0.split(separator: ":", maxSplits: 1) }
            .first { $0.count == 2 && $0[0].lowercased() == "content-type" }
        return HTTPResponse(
            status: status, body: Array(bytes[headEnd.upperBound...]),
            contentType: type.map { String($0[1].trimmingCharacters(in: " \t")) } ?? HTTPResponse.json)
    }
}

enum HTTPError: Error { case malformed }

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var result = self
        while let first = result.first, set.contains(first) { result.removeFirst() }
        while let last = result.last, set.contains(last) { result.removeLast() }
        return result
    }
}
