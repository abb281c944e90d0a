import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// Inputs that are too big, gone, or still being written: each is dealt with and intake goes on.
    @Suite("Bad inputs")
    struct BadInputs {
        /// Writes `total` bytes of `pattern` repeated to `path`, a megabyte at a time.
        static func writeRepeated(_ pattern: String, total: Int, to path: String) throws {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw HarnessError("open \(path): errno \(errno)") }
            defer { close(fd) }
            let unit = Array(pattern.utf8)
            let chunk = Array(repeating: unit, count: (1 << 20) / unit.count).flatMap { $0 }
            var written = 0
            while written < total {
                try writeAll(fd, Array(chunk.prefix(total - written)), path: path)
                written += min(chunk.count, total - written)
            }
        }

        @Test(
            "a 200 MB text file, a 100 MB JSONL line and a gzip bomb are streamed against their caps, never held whole, and set aside or rejected while a small file goes through"
        )
        func hugeInputsMeetTheirCaps() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let config =
                Sandbox.fastConfig + "\n[limits]\nmax_decompressed_bytes = 8000000\nmax_document_bytes = 1000000\n"
            let daemon = try sandbox.start(config: config)
            let huge = sandbox.scratch + "/huge.txt"
            try Self.writeRepeated("a line of words that goes on and on\n", total: 200 << 20, to: huge)
            let plain = sandbox.scratch + "/bomb.txt"
            try Self.writeRepeated("word ", total: 300 << 20, to: plain)
            let gzip = try Command.run(
                Command.which("gzip") ?? "/usr/bin/gzip", ["-1", plain], scratch: sandbox.scratch,
                timeout: .seconds(120))
            #expect(gzip.status == 0, "\(gzip)")
            // A 100 MB JSONL line between malformed and good ones.
            let lines = sandbox.scratch + "/long-line.jsonl"
            try Self.writeRepeated("word ", total: 100 << 20, to: lines)
            let body = try FileHandle(forUpdating: URL(fileURLWithPath: lines))
            try body.seekToEnd()
            try body.write(contentsOf: Data("\"}\nnot json\n{\"text\":\"After the long line.\"}\n".utf8))
            try body.seek(toOffset: 0)
            try body.write(contentsOf: Data(#"{"text":"#.utf8) + Data([0x22]))
            try body.close()
            try sandbox.moveIn(huge, as: "huge.txt")
            try sandbox.moveIn(plain + ".gz", as: "bomb.txt.gz")
            try sandbox.moveIn(lines, as: "long-line.jsonl")
            try sandbox.drop("small.txt", "A small file dropped after the big ones.")
            try sandbox.waitUntil("all four files handled", timeout: .seconds(120), daemon: daemon) {
                Set(sandbox.names(in: sandbox.archive)).isSuperset(of: ["huge.txt", "long-line.jsonl", "small.txt"])
                    && sandbox.names(in: sandbox.failed).contains("bomb.txt.gz")
            }
            let output = try sandbox.readOutput()
            #expect(
                Set(output.records.map(\.text)) == ["A small file dropped after the big ones.", "After the long line."])
            #expect(output.rejected.compactMap(\.reason).sorted() == ["malformed_input", "too_large", "too_large"])
            let bomb = try sandbox.read(sandbox.failed + "/bomb.txt.gz.error.json")
            #expect(bomb.contains("8000000"), "\(bomb)")
            // Neither file was read into memory: the peak stays far below either size.
            let peak = InotifyLimits.peakRSSKilobytes(daemon.pid) / 1024
            #expect(peak < 150, "peak RSS \(peak) MiB")
        }

        @Test("a file deleted after its event but before its claim is forgotten without an error")
        func fileDeletedBeforeClaim() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            // A long settle time: the event arrives at once, the claim only a second later.
            let daemon = try sandbox.start(config: "[inbox]\nsettle_ms = 1000\nrescan_interval_s = 60\n")
            try sandbox.writeInPlace("gone.txt", "A file its producer took back.")
            #expect(unlink(sandbox.inbox + "/gone.txt") == 0)
            try sandbox.writeInPlace("stays.txt", "A file that stays.")
            try sandbox.waitUntilArchived(["stays.txt"], daemon: daemon)
            #expect(sandbox.names(in: sandbox.archive) == ["stays.txt"])
            #expect(sandbox.names(in: sandbox.failed).isEmpty)
            let status = try sandbox.status()
            #expect(status.lastError == nil && status.files.failed == 0 && status.files.pending == 0)
            #expect(!daemon.log.contains(" error "), "\(daemon.logTail())")
        }

        /// `WINNOW_APPEND_SECONDS` makes the writer go on longer (minutes, for the long run).
        @Test("a file held open and appended to is not taken until its writer closes it, then whole")
        func fileAppendedForALongTime() throws {
            let seconds = Int(ProcessInfo.processInfo.environment["WINNOW_APPEND_SECONDS"] ?? "") ?? 3
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            let path = sandbox.inbox + "/growing.jsonl"
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw HarnessError("open \(path): errno \(errno)") }
            let lines = seconds * 20
            for index in 0..<lines {
                try writeAll(fd, Array(#"{"text":"Appended line \#(Words.spell(index))."}"#.utf8) + [0x0A], path: path)
                // Pacing the writer: ten settle times of the daemon pass between its first and last line.
                usleep(50_000)
                #expect(sandbox.exists(path), "taken while open, after \(index + 1) of \(lines) lines")
            }
            close(fd)
            try sandbox.waitUntilArchived(["growing.jsonl"], daemon: daemon)
            let records = try sandbox.readOutput().records
            #expect(records.count == lines)
            #expect(Set(records.map(\.text)).count == lines)
            #expect(sandbox.names(in: sandbox.archive) == ["growing.jsonl"])
        }
    }
}

extension EndToEnd {
    /// Far more input than memory should hold, dropped at once.
    @Suite("Overload")
    struct Overload {
        /// `WINNOW_OVERLOAD_MB` sets a bigger drop (1024 for the figures in docs/reliability.md, best
        /// with `WINNOW_BIN_DIR=.build/release`).
        @Test(
            "input dropped all at once waits in the inbox, one file in hand at a time, memory stays bounded, and every document comes out once"
        )
        func bigDropAtOnce() throws {
            let megabytes = Int(ProcessInfo.processInfo.environment["WINNOW_OVERLOAD_MB"] ?? "") ?? 24
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            // Files of 1 MB: about 2,000 documents of 500 bytes each.
            let perFile = 2000
            var names: [String] = []
            for file in 0..<megabytes {
                var body = ""
                body.reserveCapacity(1 << 20)
                for line in 0..<perFile {
                    let number = Words.spell(file * perFile + line)
                    body +=
                        #"{"text":"Overload dispatch \#(number). "#
                        + String(repeating: "The quay was busy all night and the cranes never stopped. ", count: 7)
                        + "\"}\n"
                }
                let name = "load-\(file).jsonl"
                try sandbox.stage(name, body)
                names.append(name)
            }
            let daemon = try sandbox.start()
            let started = ContinuousClock.now
            for name in names { try sandbox.moveIn(sandbox.scratch + "/" + name, as: name) }
            var mostClaimed = 0
            var mostWaiting = 0
            try sandbox.waitUntil(
                "\(names.count) files done", timeout: .seconds(max(120, megabytes * 2)), daemon: daemon
            ) {
                mostClaimed = max(mostClaimed, sandbox.names(in: sandbox.claimed).count)
                let status = try sandbox.status()
                mostWaiting = max(mostWaiting, status.files.pending)
                return status.files.done >= names.count
            }
            let elapsed = ContinuousClock.now - started
            let peak = InotifyLimits.peakRSSKilobytes(daemon.pid) / 1024
            let output = try sandbox.readOutput()
            let documents = output.records.count + output.rejected.count
            let distinct = Set(output.all.map(\.id)).count
            #expect(output.tornLines.isEmpty)
            #expect(documents == names.count * perFile)
            #expect(distinct == documents)
            #expect(mostClaimed <= 1)
            #expect(mostWaiting > 1)
            // The bound by design: one input in hand, committed in batches of at most 1,000
            // documents or 8 MB, a 64 MB SQLite page cache, and the runtime.
            #expect(peak < 400, "peak RSS \(peak) MiB")
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(
                "overload: \(megabytes) MB in \(names.count) files, \(documents) documents in "
                    + "\((seconds * 10).rounded() / 10) s (\(Int(Double(megabytes) / seconds)) MB/s); most waiting "
                    + "\(mostWaiting), most claimed \(mostClaimed), peak RSS \(peak) MiB; lost "
                    + "\(names.count * perFile - distinct), doubled \(documents - distinct), torn \(output.tornLines.count)"
            )
        }
    }
}
