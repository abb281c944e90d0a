import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// URLs fetched with libcurl from a real HTTP server on loopback, through the whole daemon.
    @Suite("Fetch")
    struct Fetch {
        /// Loopback allowed (the test server lives there), no per-host delay, quick retries, a 2 s
        /// low-speed window and a 1 MiB body cap, so every behaviour shows within seconds.
        static func config(allowLoopback: Bool = true, extra: String = "") -> String {
            Sandbox.fastConfig + """

                [pipeline]
                stages = ["html_extract", "unicode_nfc", "whitespace", "empty", "exact_dedup"]

                [fetch]
                per_host_delay_ms = 0
                backoff_base_ms = 100
                low_speed_bytes = 100
                low_speed_time_s = 2
                max_body_bytes = 1048576
                \(allowLoopback ? #"allow_networks = ["127.0.0.0/8", "::1/128"]"# : "")
                \(extra)
                """
        }

        /// A sandbox, the test HTTP server on `hosts` loopback addresses, and a daemon running `config`.
        struct World {
            let sandbox: Sandbox
            let server: TestHTTPServer
            let daemon: DaemonProcess

            init(hosts: Int = 1, config: String = Fetch.config()) throws {
                sandbox = try Sandbox()
                server = try TestHTTPServer(logPath: sandbox.root + "/http.log", hosts: hosts)
                daemon = try sandbox.start(config: config)
            }

            func close() {
                server.stop()
                sandbox.cleanup()
            }
        }

        /// The queue's counts from `winnowctl status --json`.
        static func fetchCounts(_ sandbox: Sandbox) throws -> [String: Int] {
            let result = try sandbox.ctl(["status", "--json"])
            guard result.status == 0,
                let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                let fetch = object["fetch"] as? [String: Int]
            else { throw HarnessError("no fetch counts in \(result)") }
            return fetch
        }

        /// Waits until `count` URLs have ended (done or failed) and none is queued or in flight.
        static func waitForFetches(_ count: Int, _ sandbox: Sandbox, daemon: DaemonProcess) throws {
            var last: [String: Int] = [:]
            try sandbox.waitUntil(
                "\(count) fetches ended", timeout: .seconds(60), daemon: daemon, detail: { "\(last)" }
            ) {
                last = try fetchCounts(sandbox)
                return last["queued"] == 0 && last["active"] == 0
                    && (last["done"] ?? 0) + (last["failed"] ?? 0) == count
            }
        }

        /// `winnowctl failed --json`: reason by URL.
        static func failures(_ sandbox: Sandbox) throws -> [String: (reason: String, error: String)] {
            let result = try sandbox.ctl(["failed", "--json"])
            guard result.status == 0,
                let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                let items = object["failed"] as? [[String: Any]]
            else { throw HarnessError("winnowctl failed --json: \(result)") }
            var byURL: [String: (reason: String, error: String)] = [:]
            for item in items {
                byURL[item["url"] as? String ?? ""] = (item["reason"] as? String ?? "", item["error"] as? String ?? "")
            }
            return byURL
        }

        @Test("A .urls list: pages, redirects, retries, Retry-After, caps, gzip, charsets and robots.txt")
        func behaviours() throws {
            let world = try World(hosts: 3)
            defer { world.close() }
            let (sandbox, server) = (world.sandbox, world.server)
            let daemon = world.daemon
            let paths = [
                "/page/alpha", "/redirect/3", "/redirect-to-file", "/loop", "/missing", "/flaky/one", "/busy/one",
                "/drip", "/big?mb=3", "/big-chunked?mb=3", "/gzip/beta", "/private/secret", "/binary.png",
            ]
            var list = "# one per line; comments and blank lines are skipped\n\n"
            for (number, path) in paths.enumerated() { list += server.url(path, host: 1 + number % 2) + "\n" }
            list += server.url("/cp1252", host: 3) + "\nnot a url\nftp://example.com/file\n"
            try sandbox.dropAndWait(["links.urls": list], daemon: daemon)
            try Self.waitForFetches(paths.count + 1, sandbox, daemon: daemon)

            let output = try sandbox.readOutput()
            let byURL = Dictionary(output.records.map { ($0.metadata["url"]?.string ?? "", $0) }) { first, _ in first }
            // A page becomes a record with where and how it was fetched.
            let page = try #require(byURL[server.url("/page/alpha")], "\(sandbox.logTail)")
            #expect(page.source == "url")
            #expect(page.metadata["http_status"]?.int == 200)
            #expect(page.metadata["content_type"]?.string == "text/html; charset=utf-8")
            #expect(page.metadata["final_url"]?.string == server.url("/page/alpha"))
            #expect(page.metadata["fetched_at"]?.string?.hasSuffix("Z") == true)
            #expect(!page.text.contains("Home | World | Sport"), "navigation extracted away: \(page.text)")
            // Redirects are followed to the end; 500 then 200 is retried into a record; so is a 429,
            // not sooner than its Retry-After.
            #expect(
                byURL[server.url("/redirect/3", host: 2)]?.metadata["final_url"]?.string
                    == server.url("/page/redirect-target", host: 2))
            #expect(try server.requests(for: "/flaky/one").count == 2)
            #expect(byURL[server.url("/flaky/one", host: 2)] != nil)
            let busy = try server.requests(for: "/busy/one")
            #expect(busy.count == 2)
            if busy.count == 2 {
                #expect(busy[1].time - busy[0].time >= 2.0, "retried after \(busy[1].time - busy[0].time) s")
            }
            #expect(byURL[server.url("/busy/one", host: 1)] != nil)
            // A gzip body arrives decoded; a windows-1252 page declared only in the header decodes.
            #expect(try server.requests(for: "/gzip/beta").first?.header("Accept-Encoding")?.contains("gzip") == true)
            #expect(byURL[server.url("/gzip/beta", host: 1)]?.text.isEmpty == false)
            let legacy = try #require(byURL[server.url("/cp1252", host: 3)])
            #expect(legacy.text.contains("café") && legacy.text.contains("naïve"), "\(legacy.text)")
            #expect(legacy.metadata["charset"]?.string == "windows-1252")

            let failed = try Self.failures(sandbox)
            #expect(failed[server.url("/redirect-to-file", host: 1)]?.reason == "refused_protocol")
            #expect(failed[server.url("/loop", host: 2)]?.reason == "too_many_redirects")
            #expect(failed[server.url("/missing", host: 1)]?.reason == "http_404")
            #expect(try server.requests(for: "/missing").count == 1, "a 404 is not retried")
            #expect(failed[server.url("/drip", host: 2)]?.reason == "too_slow")
            #expect(failed[server.url("/big?mb=3", host: 1)]?.reason == "too_large")
            #expect(failed[server.url("/big-chunked?mb=3", host: 2)]?.reason == "too_large")
            #expect(failed[server.url("/private/secret", host: 2)]?.reason == "robots_denied")
            #expect(try server.requests(for: "/private/secret").isEmpty, "robots.txt obeyed")
            #expect(failed[server.url("/binary.png", host: 1)]?.reason == "unsupported_content_type")
            // Nothing of a refused body was written; the list's bad lines are reported by number.
            #expect(
                !output.all.contains {
                    $0.text.contains("xxxxxxxxxx") || $0.metadata["url"]?.string?.contains("/big") == true
                })
            let bad = output.rejected.filter { $0.file == "links.urls" }.compactMap(\.line).sorted()
            #expect(bad == [paths.count + 4, paths.count + 5])
            #expect(output.tornLines.isEmpty)
        }

        @Test("A URL queued again is asked with If-None-Match; a 304 makes no new record")
        func conditionalRefetch() throws {
            let world = try World()
            defer { world.close() }
            let (sandbox, server) = (world.sandbox, world.server)
            let daemon = world.daemon
            let url = server.url("/etag/story")
            let first = try sandbox.ctl(["enqueue", url])
            #expect(first.status == 0 && first.stdout.hasPrefix("queued"), "\(first)")
            try Self.waitForFetches(1, sandbox, daemon: daemon)
            #expect(try sandbox.readOutput().records.count == 1)

            let again = try sandbox.ctl(["enqueue", url + "#fragment"])
            #expect(again.stdout.hasPrefix("refetch "), "\(again)")
            try sandbox.waitUntil("the second request", daemon: daemon) {
                try server.requests(for: "/etag/story").count == 2
            }
            try sandbox.waitUntil("the 304 counted", daemon: daemon) {
                try Self.fetchCounts(sandbox)["not_modified"] == 1
            }
            let requests = try server.requests(for: "/etag/story")
            #expect(requests[1].header("If-None-Match") == "\"v1\"")
            #expect(requests[1].header("If-Modified-Since") == "Tue, 01 Dec 2026 10:00:00 GMT")
            #expect(try sandbox.readOutput().all.count == 1)
            let status = try sandbox.ctl(["status"]).stdout
            #expect(
                status.contains(
                    "fetch:     0 queued, 0 in flight, 1 done, 0 failed (since start: 1 pages, 0 retries, 1 not modified)"
                ), "\(status)")
        }

        @Test("Without an allow-list loopback is refused as blocked_address and the server sees nothing")
        func blockedAddresses() throws {
            let world = try World(config: Self.config(allowLoopback: false))
            defer { world.close() }
            let (sandbox, server) = (world.sandbox, world.server)
            let daemon = world.daemon
            let v4 = server.url("/page/private-v4")
            let v6 = "http://[::1]:\(server.port)/page/private-v6"
            #expect(try sandbox.ctl(["enqueue", v4, v6]).status == 0)
            try Self.waitForFetches(2, sandbox, daemon: daemon)
            let failed = try Self.failures(sandbox)
            #expect(
                failed[v4]?.reason == "blocked_address" && failed[v4]?.error.contains("127.0.0.1 (loopback)") == true)
            #expect(failed[v6]?.reason == "blocked_address" && failed[v6]?.error.contains("::1 (loopback)") == true)
            #expect(try server.requests().isEmpty, "no request reached the server, not even for robots.txt")
            #expect(try sandbox.readOutput().all.isEmpty)
        }

        @Test("A redirect to an address outside the allow-list is refused before any request reaches it")
        func redirectToARefusedAddress() throws {
            let only127 = Self.config(allowLoopback: false, extra: #"allow_networks = ["127.0.0.0/8"]"#)
            let world = try World(config: only127)
            defer { world.close() }
            let (sandbox, server) = (world.sandbox, world.server)
            let target = "http://[::1]:\(server.port)/page/behind-the-redirect"
            let url = server.url("/redirect-absolute?to=" + target)
            #expect(try sandbox.ctl(["enqueue", url]).status == 0)
            try Self.waitForFetches(1, sandbox, daemon: world.daemon)
            #expect(try Self.failures(sandbox)[url]?.reason == "blocked_address")
            #expect(try server.requests().allSatisfy { $0.local_address != "::1" }, "nothing reached ::1")
            #expect(try server.requests(for: "/redirect-absolute?to=" + target).count == 1)
        }

        @Test("Requests to one origin keep the per-host delay and carry the configured User-Agent")
        func politeness() throws {
            let polite = Self.config(
                extra: "per_host_delay_ms = 300\nuser_agent = \"winnow-test/2.0 (+ops@example.org)\""
            )
            .replacingOccurrences(of: "per_host_delay_ms = 0\n", with: "")
            let world = try World(config: polite)
            defer { world.close() }
            let (sandbox, server) = (world.sandbox, world.server)
            let urls = (1...4).map { server.url("/page/polite-\($0)") }
            #expect(try sandbox.ctl(["enqueue"] + urls).status == 0)
            try Self.waitForFetches(4, sandbox, daemon: world.daemon)
            let requests = try server.requests()
            #expect(requests.count == 5, "robots.txt and four pages: \(requests.map(\.path))")
            #expect(requests.first?.path == "/robots.txt")
            for (earlier, later) in zip(requests, requests.dropFirst()) {
                #expect(
                    later.time - earlier.time >= 0.29,
                    "\(earlier.path) then \(later.path) after \(later.time - earlier.time) s")
            }
            #expect(requests.allSatisfy { $0.header("User-Agent") == "winnow-test/2.0 (+ops@example.org)" })
        }

        @Test("winnowctl enqueue refuses bad URLs with a reason; failed URLs are listed and retried")
        func enqueueFailedRetry() throws {
            let world = try World(config: Self.config(extra: "max_attempts = 1"))
            defer { world.close() }
            let (sandbox, server) = (world.sandbox, world.server)
            let daemon = world.daemon
            let missing = server.url("/missing")
            let result = try sandbox.ctl(["enqueue", missing, "file:///etc/passwd", missing])
            #expect(result.status == 1, "a refused URL makes the exit status 1: \(result)")
            #expect(result.stdout.contains("refused  file:///etc/passwd: the scheme file is not fetched"), "\(result)")
            #expect(result.stdout.contains("already queued \(missing)"), "\(result)")
            try Self.waitForFetches(1, sandbox, daemon: daemon)
            let listed = try sandbox.ctl(["failed"])
            #expect(listed.stdout.hasPrefix("no failed files\n\nID  REASON    TRIES  URL"), "\(listed)")
            #expect(listed.stdout.contains("u1  http_404  1      \(missing)"), "\(listed)")
            let retried = try sandbox.ctl(["retry", "--all"])
            #expect(retried.stdout == "queued again: 1\n", "\(retried)")
            try sandbox.waitUntil("the retry", daemon: daemon) { try server.requests(for: "/missing").count == 2 }
            try Self.waitForFetches(1, sandbox, daemon: daemon)
            #expect(try sandbox.ctl(["retry"]).status == 2, "neither IDs nor --all is a usage error")
        }

        @Test("A daemon killed during fetches and restarted commits every queued URL exactly once")
        func killDuringFetches() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let server = try TestHTTPServer(logPath: sandbox.root + "/http.log", hosts: 4)
            defer { server.stop() }
            let urls = (0..<40).map { server.url("/slow/0.2/story-\($0)", host: 1 + $0 % 4) }
            var daemon = try sandbox.start(config: Self.config())
            try sandbox.dropAndWait(["slow.urls": urls.joined(separator: "\n") + "\n"], daemon: daemon)
            try sandbox.waitUntil("some pages committed", daemon: daemon) {
                try sandbox.readOutput().records.count >= 10
            }
            daemon.send(SIGKILL)
            try daemon.waitForExit()
            daemon = try sandbox.start(config: Self.config())
            try Self.waitForFetches(urls.count, sandbox, daemon: daemon)
            let output = try sandbox.readOutput()
            let fetched = output.records.compactMap { $0.metadata["url"]?.string }
            #expect(fetched.sorted() == urls.sorted(), "every URL once")
            #expect(Set(output.records.map(\.id)).count == output.records.count)
            #expect(output.tornLines.isEmpty)
        }
    }
}
