import Foundation
import Testing
import WinnowIO

@testable import WinnowDaemon

/// WARC reading throughput (records parsed, HTML bodies decoded), printed as a `BENCH` line
/// (docs/performance.md). Run in release with `WINNOW_BENCH=1`; skipped otherwise.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["WINNOW_BENCH"] != nil, "set WINNOW_BENCH=1"))
struct WARCReaderBenchmarkTests {
    @Test func throughput() throws {
        let paragraph = String(
            repeating: "<p>Rivers carry water from the hills down to the sea, slowly.</p>\n", count: 600)
        let page = Array("<html><head><meta charset=\"utf-8\"></head><body>\(paragraph)</body></html>".utf8)
        var warc: [UInt8] = []
        for number in 0..<2000 {
            warc += WARCFixture.record(
                type: "request", uri: "https://example.org/\(number)", contentType: "application/http; msgtype=request",
                block: Array("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n".utf8))
            warc += WARCFixture.record(
                type: "response", uri: "https://example.org/\(number)",
                contentType: "application/http; msgtype=response",
                block: WARCFixture.http(headers: ["Content-Type: text/html; charset=UTF-8"], body: page))
        }
        let clock = ContinuousClock()
        let start = clock.now
        let units = try WARCFixture.units(MemoryByteSource(warc), maximumBytes: 16 << 20)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = String(format: "%.0f", Double(warc.count) / seconds / 1e6)
        print("BENCH warc: \(warc.count) bytes, 4000 records, \(units.count) documents, \(rate) MB/s")
    }
}
