import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The loopback HTTP server of `Tests/Support/http_server.py` (its docstring lists the routes),
/// started for one test: it listens on 127.0.0.1 … 127.0.0.`hosts` (and `::1`) on one port, and
/// logs every request it receives, so a test can tell what the fetcher asked for and when.
final class TestHTTPServer {
    struct Request: Decodable {
        var time: Double
        var method: String
        var path: String
        var host: String?
        var local_address: String
        var headers: [String: String]

        /// A header by name, whatever its case.
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    let port: Int
    private let process: Process
    private let logPath: String

    init(logPath: String, hosts: Int = 1, ipv6: Bool = true) throws {
        self.logPath = logPath
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support/http_server.py").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", script, "--log", logPath, "--hosts", "\(hosts)", "--exit-with-parent"]
            + (ipv6 ? ["--ipv6"] : [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        // The server prints "PORT <n>" once every socket listens: reading it is the wait.
        var line: [UInt8] = []
        while line.last != 0x0A {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard let first = byte.first else { throw HarnessError("the test HTTP server exited before listening") }
            line.append(first)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw HarnessError("the test HTTP server said \(text)") }
        self.port = port
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// `http://127.0.0.<host>:<port><path>`.
    func url(_ path: String, host: Int = 1) -> String { "http://127.0.0.\(host):\(port)\(path)" }

    /// Every request received so far, in order.
    func requests() throws -> [Request] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    /// The requests for `path` (query included).
    func requests(for path: String) throws -> [Request] { try requests().filter { $0.path == path } }
}
