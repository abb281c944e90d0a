import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// `GET /metrics`: on the control socket through `winnowctl metrics`, and on the TCP address
    /// of `metrics.listen`.
    @Suite("Metrics")
    struct Metrics {
        static let pipeline = """
            [pipeline]
            stages = ["unicode_nfc", "whitespace", "boilerplate_lines", "empty", "exact_dedup"]
            """

        static let article = """
            The council agreed on Tuesday to repair the old stone bridge before the winter floods arrive.
            Share on Facebook
            Engineers expect the work to take about three weeks and the road to stay open to walkers.
            """

        @Test("the counters agree with status, names and labels follow the rules, histograms are well-formed")
        func countersAgreeWithStatus() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let config = Sandbox.fastConfig + "\n" + Self.pipeline
            var daemon = try sandbox.start(config: config)

            try sandbox.dropAndWait(["article.txt": Self.article + "\n"], daemon: daemon)
            let lines = [
                jsonString("A different story about the harbour and the ferry timetable for the summer."),
                jsonString(Self.article), jsonString("   "),
            ]
            try sandbox.dropAndWait(
                [
                    "batch.jsonl": lines.map { "{\"text\":\($0)}" }.joined(separator: "\n") + "\n",
                    // The same bytes as article.txt: a duplicate file.
                    "copy-of-article.txt": Self.article + "\n",
                ], daemon: daemon)
            try sandbox.drop("binary.txt", Data([0x41, 0x42, 0x00, 0x43, 0x0A]))
            try sandbox.waitUntil("binary.txt set aside", daemon: daemon) {
                try sandbox.names(in: sandbox.failed).contains("binary.txt") && sandbox.status().files.failed == 1
            }

            let status = try sandbox.status()
            #expect(status.files.done == 2 && status.files.duplicate == 1 && status.files.failed == 1, "\(status)")
            #expect(status.documents.droppedByReason == ["empty": 1, "exact_duplicate": 1], "\(status)")
            let metrics = try scrape(sandbox)

            // Counters: what status says.
            #expect(metrics.value("winnow_files_total", ["outcome": "done"]) == Double(status.files.done))
            #expect(metrics.value("winnow_files_total", ["outcome": "failed"]) == Double(status.files.failed))
            #expect(metrics.value("winnow_files_total", ["outcome": "duplicate"]) == Double(status.files.duplicate))
            #expect(
                metrics.value("winnow_documents_total", ["outcome": "kept", "reason": ""])
                    == Double(status.documents.kept))
            let dropped = metrics.samples("winnow_documents_total").filter { $0.labels["outcome"] == "dropped" }
            #expect(
                Dictionary(uniqueKeysWithValues: dropped.map { ($0.labels["reason"] ?? "?", Int($0.value)) })
                    == status.documents.droppedByReason, "\(dropped)")
            // Bytes of the two inputs processed to the end (not the duplicate, not the failed one).
            let doneBytes = ["article.txt", "batch.jsonl"].map { fileSize(sandbox.archive + "/" + $0) }.reduce(0, +)
            #expect(metrics.value("winnow_input_bytes_total") == Double(doneBytes))
            #expect(metrics.value("winnow_rescans_total") == Double(status.rescans))
            #expect(metrics.value("winnow_inotify_overflows_total") == Double(status.inotifyOverflows))

            // Dropped lines: what the committed documents' metadata says, rule by rule.
            let output = try sandbox.readOutput()
            var expectedLines: [String: Int] = [:]
            for record in output.records + output.rejected {
                guard case .object(let counts)? = record.metadata["dropped_lines"] else { continue }
                for (rule, count) in counts { expectedLines[rule, default: 0] += count.int ?? 0 }
            }
            let lineSamples = metrics.samples("winnow_dropped_lines_total")
            #expect(
                Dictionary(uniqueKeysWithValues: lineSamples.map { ($0.labels["rule"] ?? "?", Int($0.value)) })
                    == expectedLines, "\(lineSamples)")
            #expect(!expectedLines.isEmpty, "the share line was expected to be dropped")

            // Gauges.
            #expect(metrics.value("winnow_inbox_files_pending") == 0)
            #expect(metrics.value("winnow_index_documents") == Double(try indexDocuments(sandbox)))
            #expect(metrics.value("winnow_degraded", ["part": "output"]) == 0)
            #expect(metrics.value("winnow_degraded", ["part": "fetch"]) == 0)
            #expect(metrics.value("winnow_fetch_queued_urls") == 0)
            let openRecords = output.recordShards.map { fileSize(sandbox.output + "/records/" + $0) }.reduce(0, +)
            #expect(metrics.value("winnow_open_shard_bytes", ["stream": "records"]) == Double(openRecords))

            // Histograms: one file observation per finished file, one stage observation per
            // document that reached the stage.
            let finished = status.files.done + status.files.duplicate + status.files.failed
            #expect(metrics.value("winnow_file_duration_seconds_count") == Double(finished))
            let stages = Set(metrics.samples("winnow_stage_duration_seconds_count").compactMap { $0.labels["stage"] })
            #expect(stages == ["unicode_nfc", "whitespace", "boilerplate_lines", "empty", "exact_dedup"])
            #expect(metrics.value("winnow_stage_duration_seconds_count", ["stage": "unicode_nfc"]) == 4)

            checkShape(metrics)

            // --json: the same series, each with its family's type and help, the values as numbers.
            let json = try sandbox.ctl(["metrics", "--json"])
            #expect(json.status == 0, "\(json)")
            let jsonSamples = try JSON.parse(Data(json.stdout.utf8))["samples"]?.array ?? []
            #expect(Set(jsonSamples.compactMap { $0["name"]?.string }) == Set(metrics.samples.map(\.name)))
            for sample in jsonSamples {
                guard let name = sample["name"]?.string, case .object(let labelValues)? = sample["labels"] else {
                    Issue.record("a sample without name or labels: \(sample)")
                    continue
                }
                let labels = labelValues.compactMapValues(\.string)
                let family =
                    name.hasSuffix("_bucket") || name.hasSuffix("_sum") || name.hasSuffix("_count")
                    ? String(name[..<name.lastIndex(of: "_")!]) : name
                #expect(sample["type"]?.string == (metrics.types[family] ?? metrics.types[name]), "\(sample)")
                #expect(sample["help"]?.string?.isEmpty == false, "\(sample)")
                #expect(metrics.value(name, labels) != nil, "not in the text scrape: \(sample)")
                if name == "winnow_files_total" || name == "winnow_documents_total"
                    || name == "winnow_dropped_lines_total"
                {
                    #expect(sample["value"]?.double == metrics.value(name, labels), "\(sample)")
                }
            }
            #expect(
                jsonSamples.contains {
                    $0["name"]?.string == "winnow_file_duration_seconds_bucket" && $0["labels"]?["le"]?.string == "+Inf"
                        && $0["type"]?.string == "histogram"
                })
            let documentIDs = (output.records + output.rejected).map(\.id)
            for sample in metrics.samples {
                for value in sample.labels.values {
                    for name in ["article.txt", "batch.jsonl", "copy-of-article.txt", "binary.txt"] {
                        #expect(!value.contains(name), "a file name in a label: \(sample)")
                    }
                    for id in documentIDs {
                        #expect(!value.contains(String(id.prefix(32))), "a document id in a label: \(sample)")
                    }
                    #expect(!value.contains("/"), "a path or URL in a label: \(sample)")
                }
            }

            // After a restart the counters start from the committed totals, as status does.
            daemon = try sandbox.restart(daemon, config: config)
            let again = try scrape(sandbox)
            let restarted = try sandbox.status()
            #expect(again.value("winnow_files_total", ["outcome": "done"]) == Double(restarted.files.done))
            #expect(again.value("winnow_files_total", ["outcome": "failed"]) == Double(restarted.files.failed))
            #expect(
                again.value("winnow_documents_total", ["outcome": "dropped", "reason": "exact_duplicate"]) == 1)
            #expect(again.value("winnow_index_documents") == Double(try indexDocuments(sandbox)))
        }

        @Test("fetches are counted by status class once their outcome is recorded")
        func fetchClasses() throws {
            let world = try Fetch.World()
            defer { world.close() }
            let (sandbox, server) = (world.sandbox, world.server)
            // A page (200), a 404, a 500 answered by a 200 on the retry, and a redirect to file://
            // that libcurl refuses (no answer: an error).
            let paths = ["/page/counted", "/missing", "/flaky/counted", "/redirect-to-file"]
            try sandbox.dropAndWait(
                ["pages.urls": paths.map { server.url($0) }.joined(separator: "\n") + "\n"], daemon: world.daemon)
            try Fetch.waitForFetches(paths.count, sandbox, daemon: world.daemon)
            let metrics = try scrape(sandbox)
            let classes = Dictionary(
                uniqueKeysWithValues: metrics.samples("winnow_fetches_total").map {
                    ($0.labels["class"] ?? "?", Int($0.value))
                })
            #expect(classes == ["2xx": 2, "3xx": 0, "4xx": 1, "5xx": 1, "error": 1], "\(classes)")
            #expect(metrics.value("winnow_fetch_queued_urls") == 0)
            #expect(metrics.value("winnow_fetch_active_transfers") == 0)
            #expect(metrics.value("winnow_fetched_pages_waiting") == 0)
            checkShape(metrics)
        }

        @Test("winnowctl metrics exits 3 when no daemon listens")
        func noDaemon() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let result = try sandbox.ctl(["metrics"], socket: .some(sandbox.root + "/nobody.sock"))
            #expect(result.status == 3, "\(result)")
            #expect(result.stderr.contains("no winnowd is listening"), "\(result)")
            #expect(result.stdout.isEmpty)
        }

        @Test("metrics.listen serves GET /metrics over TCP on that address only, and nothing else")
        func tcpListener() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let port = try freeLoopbackPort()
            let daemon = try sandbox.start(
                config: Sandbox.fastConfig + "\n[metrics]\nlisten = \"127.0.0.1:\(port)\"\n")
            try sandbox.dropAndWait(["note.txt": "A short note for the counters.\n"], daemon: daemon)

            let response = try httpGet(host: "127.0.0.1", port: port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(response)")
            #expect(response.contains("\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), "\(response)")
            let body = String(response[(response.range(of: "\r\n\r\n")?.upperBound ?? response.endIndex)...])
            let metrics = try PrometheusText(parsing: body)
            #expect(metrics.value("winnow_files_total", ["outcome": "done"]) == 1)
            checkShape(metrics)

            // The control API is not served there, only the metrics.
            let status = try httpGet(host: "127.0.0.1", port: port, "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(status.hasPrefix("HTTP/1.1 404 "), "\(status)")
            let pause = try httpGet(
                host: "127.0.0.1", port: port, "POST /v1/pause HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
            #expect(pause.hasPrefix("HTTP/1.1 404 "), "\(pause)")
            #expect(try sandbox.status().state == "running")
            let post = try httpGet(
                host: "127.0.0.1", port: port, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
            #expect(post.hasPrefix("HTTP/1.1 405 "), "\(post)")
            // Bound to 127.0.0.1 alone: another loopback address of the same machine is refused.
            #expect(throws: (any Error).self) {
                _ = try httpGet(host: "127.0.0.2", port: port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            }
        }

        @Test("a metrics.listen address already in use stops the start with a message naming the key")
        func addressInUse() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let (blocker, port) = try listeningLoopbackSocket()
            defer { close(blocker) }
            let daemon = try sandbox.launch(
                config: Sandbox.fastConfig + "\n[metrics]\nlisten = \"127.0.0.1:\(port)\"\n")
            let (status, signaled) = try daemon.waitForExit()
            #expect(!signaled && status != 0, "winnowd exited with \(status)")
            #expect(daemon.log.contains("metrics.listen"), "\(daemon.logTail())")
            #expect(daemon.log.contains("127.0.0.1:\(port)"), "\(daemon.logTail())")
        }

        /// `index.documents` of `winnowctl status --json`.
        private func indexDocuments(_ sandbox: Sandbox) throws -> Int {
            let result = try sandbox.ctl(["status", "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            guard let index = object?["index"] as? [String: Any], let documents = index["documents"] as? Int else {
                throw HarnessError("no index.documents in \(result)")
            }
            return documents
        }

        /// `winnowctl metrics`, parsed; fails unless it exits 0.
        private func scrape(_ sandbox: Sandbox) throws -> PrometheusText {
            let result = try sandbox.ctl(["metrics"])
            guard result.status == 0 else { throw HarnessError("winnowctl metrics failed: \(result)") }
            return try PrometheusText(parsing: result.stdout)
        }

        /// The rules every scrape keeps: names, types, help, and histograms a scraper accepts.
        private func checkShape(_ metrics: PrometheusText) {
            let pattern = /^winnow_[a-z_]+$/
            for sample in metrics.samples {
                #expect(sample.name.wholeMatch(of: pattern) != nil, "metric name \(sample.name)")
                let family = metrics.family(of: sample)
                #expect(metrics.types[family] != nil, "no TYPE line for \(sample)")
                #expect(!(metrics.help[family] ?? "").isEmpty, "no HELP line for \(family)")
            }
            for (name, type) in metrics.types {
                #expect(name.wholeMatch(of: pattern) != nil, "metric name \(name)")
                if type == "counter" { #expect(name.hasSuffix("_total"), "counter \(name)") }
                if type == "histogram" { checkHistogram(name, metrics) }
            }
        }

        private func checkHistogram(_ name: String, _ metrics: PrometheusText) {
            let buckets = metrics.samples(name + "_bucket")
            var series: [[String: String]: [(le: Double, count: Double)]] = [:]
            for bucket in buckets {
                var labels = bucket.labels
                guard let le = labels.removeValue(forKey: "le").flatMap({ $0 == "+Inf" ? .infinity : Double($0) })
                else {
                    Issue.record("a bucket without a numeric le: \(bucket)")
                    continue
                }
                series[labels, default: []].append((le, bucket.value))
            }
            #expect(!series.isEmpty, "histogram \(name) has no buckets")
            for (labels, points) in series {
                let sorted = points.sorted { $0.le < $1.le }
                #expect(sorted.map(\.le) == points.map(\.le), "\(name)\(labels): buckets out of order")
                for (lower, upper) in zip(sorted, sorted.dropFirst()) {
                    #expect(lower.count <= upper.count, "\(name)\(labels): buckets not cumulative")
                }
                #expect(sorted.last?.le == .infinity, "\(name)\(labels): no +Inf bucket")
                let count = metrics.value(name + "_count", labels)
                #expect(count != nil && sorted.last?.count == count, "\(name)\(labels): +Inf bucket is not _count")
                let sum = metrics.value(name + "_sum", labels)
                #expect(sum != nil && sum! >= 0, "\(name)\(labels): _sum \(String(describing: sum))")
            }
        }
    }
}

private func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : -1
}

/// A socket listening on 127.0.0.1 at a port the kernel picked, and that port.
private func listeningLoopbackSocket() throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HarnessError("socket: errno \(errno)") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
            bind(fd, raw, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, raw, &length) == 0
        }
    }
    guard bound else {
        close(fd)
        throw HarnessError("bind/listen on 127.0.0.1:0: errno \(errno)")
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

/// A loopback port that was free a moment ago (bound to port 0, then closed).
private func freeLoopbackPort() throws -> Int {
    let (fd, port) = try listeningLoopbackSocket()
    close(fd)
    return port
}

/// Sends `request` to `host:port` and reads the answer until the server closes the connection.
private func httpGet(host: String, port: Int, _ request: String) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HarnessError("socket: errno \(errno)") }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr(host)
    let connected = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
    guard connected else { throw HarnessError("connect \(host):\(port): errno \(errno)") }
    try writeAll(fd, Array(request.utf8), path: "\(host):\(port)")
    var received: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 && errno == EINTR { continue }
        guard count >= 0 else { throw HarnessError("recv from \(host):\(port): errno \(errno)") }
        if count == 0 { break }
        received += chunk[0..<count]
    }
    return String(decoding: received, as: UTF8.self)
}
