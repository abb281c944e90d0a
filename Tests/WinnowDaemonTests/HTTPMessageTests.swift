import Testing

@testable import WinnowDaemon

@Suite struct HTTPMessageTests {
    @Test func parsesARequestWithABody() throws {
        let raw = Array("POST /v1/pause HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}".utf8)
        #expect(try HTTPRequest.parse(raw) == HTTPRequest(method: "POST", path: "/v1/pause", body: Array("{}".utf8)))
    }

    @Test func waitsForTheWholeMessage() throws {
        #expect(try HTTPRequest.parse(Array("GET /v1/status HTTP/1.1\r\nHost: x\r\n".utf8)) == nil)
        #expect(try HTTPRequest.parse(Array("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nab".utf8)) == nil)
    }

    @Test func refusesGarbage() {
        #expect(throws: (any Error).self) { try HTTPRequest.parse(Array("hello\r\n\r\n".utf8)) }
        #expect(throws: (any Error).self) {
            try HTTPRequest.parse(Array("GET / HTTP/1.1\r\nContent-Length: -3\r\n\r\n".utf8))
        }
    }

    @Test func statusRoutes() {
        let board = StatusBoard()
        board.load(counters: ["files.done": 3, "documents.kept": 5, "documents.dropped.empty": 2])
        let api = ControlAPI(board: board, inbox: "/in", database: "/nonexistent", setPaused: { _ in })
        let ok = api.handle(HTTPRequest(method: "GET", path: "/v1/status"))
        #expect(ok.status == 200)
        let body = String(decoding: ok.body, as: UTF8.self)
        #expect(body.contains(#""done":3"#) && body.contains(#""kept":5"#) && body.contains(#""dropped":2"#))
        #expect(api.handle(HTTPRequest(method: "DELETE", path: "/v1/status")).status == 405)
        #expect(api.handle(HTTPRequest(method: "GET", path: "/nope")).status == 404)
    }
}
