import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// What the kernel's inotify limits do to intake: nothing is missed, only rescanned.
    @Suite("inotify limits")
    struct InotifyLimits {
        static let queueLimit = "/proc/sys/fs/inotify/max_queued_events"

        /// Runs `body` with the kernel's inotify queue limit set to `events`, then puts it back. The
        /// limit is taken when a watch is created, so only watches made inside `body` keep it.
        static func withQueueLimit<T>(_ events: Int, _ body: () throws -> T) throws -> T {
            let previous = try String(contentsOfFile: queueLimit, encoding: .utf8)
            try "\(events)\n".write(toFile: queueLimit, atomically: false, encoding: .utf8)
            defer { try? previous.write(toFile: queueLimit, atomically: false, encoding: .utf8) }
            return try body()
        }

        /// Peak resident memory of a process, from /proc.
        static func peakRSSKilobytes(_ pid: Int32) -> Int {
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }

        /// `WINNOW_BURST_FILES` sets a longer run (100,000 for the figures in docs/reliability.md,
        /// best with `WINNOW_BIN_DIR=.build/release`).
        @Test(
            "a burst of files into a watch whose queue holds 8 events: every file ingested once, the overflows rescanned and counted",
            .enabled(if: getuid() == 0, "sets the kernel's inotify queue limit, which needs root"))
        func burstIntoATinyQueue() throws {
            let count = Int(ProcessInfo.processInfo.environment["WINNOW_BURST_FILES"] ?? "") ?? 1000
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            var texts: [String: String] = [:]
            for index in 0..<count {
                texts["burst-\(index).txt"] = "Burst report \(Words.spell(index)) from the harbour office."
            }
            // Half are staged beside the inbox to be renamed in (IN_MOVED_TO), half are written in
            // place (IN_CLOSE_WRITE, then the settle time).
            let names = texts.keys.sorted()
            let renamed = names.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            for name in renamed { try sandbox.stage(name, texts[name]!) }
            let daemon = try Self.withQueueLimit(8) { try sandbox.start() }
            let started = ContinuousClock.now
            for (index, name) in names.enumerated() {
                if index % 2 == 0 {
                    try sandbox.moveIn(sandbox.scratch + "/" + name, as: name)
                } else {
                    try sandbox.writeInPlace(name, texts[name]!)
                }
            }
            let timeout = Duration.seconds(max(60, count / 40))
            try sandbox.waitUntil("\(count) files done", timeout: timeout, daemon: daemon) {
                try sandbox.status().files.done >= count
            }
            let elapsed = ContinuousClock.now - started
            let status = try sandbox.status()
            #expect(status.inotifyOverflows >= 1)
            #expect(status.rescans > status.inotifyOverflows)
            #expect(status.files.done == count && status.files.failed == 0)
            #expect(sandbox.inboxNames.isEmpty && sandbox.names(in: sandbox.claimed).isEmpty)
            #expect(sandbox.names(in: sandbox.archive).count == count)
            let output = try sandbox.readOutput()
            #expect(output.tornLines.isEmpty)
            #expect(output.records.count == count)
            #expect(Dictionary(output.records.map { ($0.file ?? "", $0.text) }, uniquingKeysWith: { $1 }) == texts)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(
                "inotify burst: \(count) files in \((seconds * 10).rounded() / 10) s "
                    + "(\(Int(Double(count) / seconds)) files/s), overflows \(status.inotifyOverflows), "
                    + "rescans \(status.rescans), peak RSS \(Self.peakRSSKilobytes(daemon.pid) / 1024) MiB; "
                    + "lost \(count - Set(output.records.compactMap(\.file)).count), "
                    + "doubled \(output.records.count - Set(output.records.map(\.id)).count), torn \(output.tornLines.count)"
            )
        }

        /// Nil when `unshare` can make a user namespace here, else why not.
        static let namespaceUnavailable: String? = {
            guard let unshare = Command.which("unshare") else { return "needs unshare (util-linux)" }
            let result = try? Command.run(
                unshare, ["-U", "-r", "true"], scratch: FileManager.default.temporaryDirectory.path)
            return result?.status == 0 ? nil : "cannot create a user namespace"
        }()

        @Test(
            "when the kernel refuses an inotify watch, winnowd polls the inbox instead, says so, and ingests",
            .enabled(if: namespaceUnavailable == nil, "needs user namespaces"),
            arguments: ["max_inotify_instances", "max_inotify_watches"])
        func watchRefused(limit: String) throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            // In a user namespace of its own, the daemon's inotify limit is 0, for it alone.
            let wrapper = [
                Command.which("unshare")!, "-U", "-r", "/bin/sh", "-c",
                "echo 0 > /proc/sys/user/\(limit) && exec \"$0\" \"$@\"",
            ]
            let daemon = try sandbox.start(until: ["running"], wrapper: wrapper)
            #expect(try sandbox.status().watch == "polling")
            #expect(daemon.log.contains("inotify watch unavailable, polling the inbox instead"), "\(daemon.logTail())")
            try sandbox.dropAndWait(["polled.txt": "A file found by polling the inbox."], daemon: daemon)
            #expect(try sandbox.readOutput().records.map(\.text) == ["A file found by polling the inbox."])
            #expect(try sandbox.ctl(["status"]).stdout.contains("(polling,"))
        }
    }
}
