import ArgumentParser
import Foundation
import WinnowCore

#if canImport(Glibc)
    import Glibc
#endif

extension Winnowctl {
    /// `winnowctl watch`: the status, refreshed, with rates.
    struct Watch: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow the daemon live: files/s, documents/s, MB/s, the queue, and the file in hand.",
            discussion: """
                Asks for the status every --interval seconds and shows the rates since the last refresh. On \
                a terminal the screen is redrawn; otherwise one line is printed per refresh, for logs. Stops \
                after --count refreshes, or on Ctrl-C. With --json, prints each status with its rates as one \
                JSON line.
                """)
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions
        @Option(help: "Seconds between refreshes.") var interval = 1.0
        @Option(help: "Stop after this many refreshes (default: never).") var count: Int?

        func validate() throws {
            guard interval >= 0.05 else { throw ValidationError("--interval must be at least 0.05 seconds") }
            if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        }

        func run() throws {
            let terminal = isatty(STDOUT_FILENO) == 1 && !output.json
            var previous: (at: ContinuousClock.Instant, totals: Totals)?
            var shown = 0
            while count.map({ shown < $0 }) ?? true {
                if shown > 0 { Thread.sleep(forTimeInterval: interval) }
                let status = try send("GET", "/v1/status")
                let now = ContinuousClock.now
                let totals = Totals(status)
                var rates = Totals()
                if let previous {
                    rates = totals.minus(previous.totals).per((now - previous.at).inSeconds)
                }
                previous = (now, totals)
                shown += 1
                if output.json {
                    var object = status.objectValue ?? JSONObject()
                    object["rates"] = .object([
                        "files_per_second": .double(rates.files), "documents_per_second": .double(rates.documents),
                        "megabytes_per_second": .double(rates.bytes / 1_000_000),
                    ])
                    Self.emit(String(decoding: object.jsonBytes, as: UTF8.self))
                } else if terminal {
                    Self.emit("\u{1B}[H\u{1B}[2J" + StatusText.render(status) + "\n" + Self.line(status, rates))
                } else {
                    Self.emit(Self.line(status, rates))
                }
            }
        }

        /// Writes a line at once (not through stdio's buffer, which a pipe would hold back).
        static func emit(_ text: String) {
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
        }

        /// Files, documents and bytes finished so far (or per second).
        struct Totals {
            var files = 0.0
            var documents = 0.0
            var bytes = 0.0

            init() {}

            init(_ status: JSONValue) {
                let object = status.objectValue ?? JSONObject()
                let files = object["files"]?.objectValue ?? JSONObject()
                let documents = object["documents"]?.objectValue ?? JSONObject()
                func value(_ from: JSONObject, _ key: String) -> Double { Double(from[key]?.intValue ?? 0) }
                self.files = value(files, "done") + value(files, "failed") + value(files, "duplicate")
                self.documents = value(documents, "kept") + value(documents, "dropped")
                let current = object["current"]?.objectValue ?? JSONObject()
                self.bytes = value(files, "bytes_done") + value(current, "bytes_done")
            }

            func minus(_ other: Totals) -> Totals {
                var result = Totals()
                result.files = max(0, files - other.files)
                result.documents = max(0, documents - other.documents)
                result.bytes = max(0, bytes - other.bytes)
                return result
            }

            func per(_ seconds: Double) -> Totals {
                guard seconds > 0 else { return Totals() }
                var result = Totals()
                result.files = files / seconds
                result.documents = documents / seconds
                result.bytes = bytes / seconds
                return result
            }
        }

        /// "18:04:05 running  files 12 (3.0/s)  documents 840 (210/s)  2.1 MB/s  queue 4 (12.0 MB)  working: x 1.0/4.0 MB".
        static func line(_ status: JSONValue, _ rates: Totals) -> String {
            let object = status.objectValue ?? JSONObject()
            let totals = Totals(status)
            let files = object["files"]?.objectValue ?? JSONObject()
            var now = time(nil)
            var parts = tm()
            localtime_r(&now, &parts)
            let clock = String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
            var line =
                "\(clock) \(object["state"]?.stringValue ?? "?")  files \(Int(totals.files)) (\(Self.rate(rates.files))/s)  "
                + "documents \(Int(totals.documents)) (\(Self.rate(rates.documents))/s)  "
                + "\(Self.megabytes(rates.bytes)) MB/s  queue \(files["pending"]?.intValue ?? 0) "
                + "(\(Self.megabytes(Double(files["pending_bytes"]?.intValue ?? 0))) MB)"
            if let current = object["current"]?.objectValue {
                line +=
                    "  working: \(current["name"]?.stringValue ?? "?") "
                    + "\(Self.megabytes(Double(current["bytes_done"]?.intValue ?? 0)))/"
                    + "\(Self.megabytes(Double(current["bytes_total"]?.intValue ?? 0))) MB"
            }
            return line
        }

        static func rate(_ value: Double) -> String {
            value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value)
        }

        static func megabytes(_ bytes: Double) -> String { String(format: "%.1f", bytes / 1_000_000) }
    }
}
