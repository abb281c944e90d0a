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

    @Test func metricsRoute() throws {
        let text = Array("# TYPE winnow_rescans_total counter\nwinnow_rescans_total 2\n".utf8)
        let api = ControlAPI(
            board: StatusBoard(), inbox: "/in", database: "/nonexistent", setPaused: { _ in }, metrics: { text })
        let ok = api.handle(HTTPRequest(method: "GET", path: "/metrics"))
        #expect(ok.status == 200 && ok.body == text)
        #expect(ok.contentType == "text/plain; version=0.0.4; charset=utf-8")
        let parsed = try #require(try HTTPResponse.parse(ok.serialized))
        #expect(parsed.contentType == ok.contentType && parsed.body == text)
        #expect(api.handle(HTTPRequest(method: "POST", path: "/metrics")).status == 405)
        let none = ControlAPI(board: StatusBoard(), inbox: "/in", database: "/nonexistent", setPaused: { _ in })
        #expect(none.handle(HTTPRequest(method: "GET", path: "/metrics")).status == 404)
        // The TCP listener answers /metrics and nothing of the control API.
        #expect(ControlAPI.metricsOnly(HTTPRequest(method: "GET", path: "/metrics"), metrics: { text }).body == text)
        #expect(ControlAPI.metricsOnly(HTTPRequest(method: "GET", path: "/v1/status"), metrics: { text }).status == 404)
        #expect(ControlAPI.metricsOnly(HTTPRequest(method: "POST", path: "/v1/pause"), metrics: { text }).status == 404)
        #expect(ControlAPI.metricsOnly(HTTPRequest(method: "PUT", path: "/metrics"), metrics: { text }).status == 405)
    }

    @Test func metricsTextGetsHelpLinesAndOrder() {
        let registry = """
            # TYPE winnow_files_total counter
            winnow_files_total{outcome="failed"} 0
            winnow_files_total{outcome="done"} 3
            # TYPE winnow_file_duration_seconds histogram
            winnow_file_duration_seconds_bucket{le="0.5"} 1
            winnow_file_duration_seconds_bucket{le="+Inf"} 1
            winnow_file_duration_seconds_sum 0.1
            winnow_file_duration_seconds_count 1

            """
        let text = String(decoding: DaemonMetrics.withHelp(Array(registry.utf8)), as: UTF8.self)
        #expect(
            text == """
                # HELP winnow_file_duration_seconds \(DaemonMetrics.help["winnow_file_duration_seconds"]!)
                # TYPE winnow_file_duration_seconds histogram
                winnow_file_duration_seconds_bucket{le="0.5"} 1
                winnow_file_duration_seconds_bucket{le="+Inf"} 1
                winnow_file_duration_seconds_sum 0.1
                winnow_file_duration_seconds_count 1
                # HELP winnow_files_total \(DaemonMetrics.help["winnow_files_total"]!)
                # TYPE winnow_files_total counter
                winnow_files_total{outcome="done"} 3
                winnow_files_total{outcome="failed"} 0

                """)
    }
}
