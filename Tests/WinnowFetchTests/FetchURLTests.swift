import Testing
import WinnowFetch

@Suite struct FetchURLTests {
    @Test(arguments: [
        ("HTTP://Example.COM", "http://example.com/"),
        ("https://example.com:443/a?b=c#frag", "https://example.com/a?b=c"),
        ("http://example.com:8080", "http://example.com:8080/"),
        ("http://example.com?q=1", "http://example.com/?q=1"),
        ("  http://example.com/x y  ", "http://example.com/x%20y"),
        ("http://[::1]:8080/p", "http://[::1]:8080/p"),
        ("http://example.com/caf\u{E9}", "http://example.com/caf%C3%A9"),
    ])
    func normalizes(input: String, expected: String) throws {
        #expect(try FetchURL(input).description == expected)
    }

    @Test(arguments: [
        ("file:///etc/passwd", "the scheme file is not fetched (only http and https)"),
        ("ftp://example.com/", "the scheme ftp is not fetched (only http and https)"),
        ("example.com/page", "not an absolute URL (it must start with http:// or https://)"),
        ("http://user:secret@example.com/", "credentials in a URL are not accepted"),
        ("http://example.com:99999/", "bad port 99999"),
        ("http:///path", "no host"),
        ("", "empty URL"),
    ])
    func refuses(input: String, reason: String) {
        #expect(throws: FetchURL.Refusal(reason)) { try FetchURL(input) }
    }

    @Test func originAndRobots() throws {
        let url = try FetchURL("https://News.example.org:8443/world/story?id=1")
        #expect(url.origin == "https://news.example.org:8443")
        #expect(url.robotsURL == "https://news.example.org:8443/robots.txt")
        #expect(url.target == "/world/story?id=1")
    }
}

@Suite struct TrimmingTests {
    @Test func headerValuesLoseTheirLineEnd() {
        #expect("  2\r\n".trimmingASCIIWhitespace() == "2")
        #expect("\"v1\"\r\n".trimmingASCIIWhitespace() == "\"v1\"")
        #expect(" \t\r\n".trimmingASCIIWhitespace() == "")
    }
}
