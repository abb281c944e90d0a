import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// A full disk is a state to wait out, not a fault to stop on: nothing is lost or torn.
    @Suite("Disk full", .enabled(if: LoopFileSystem.unavailableReason == nil, "needs root and loop mounts"))
    struct DiskFull {
        static let files = 12
        static let documentsPerFile = 300

        /// JSONL inputs of distinct documents of a few hundred bytes, and every text they hold.
        static func inputs() -> (files: [(name: String, body: String)], texts: Set<String>) {
            var files: [(String, String)] = []
            var texts = Set<String>()
            for file in 0..<Self.files {
                var body = ""
                for line in 0..<Self.documentsPerFile {
                    let text =
                        "Shipping bulletin \(Words.spell(file * Self.documentsPerFile + line)): the harbour "
                        + "master reports that the northern quay stays closed while the cranes are repaired, "
                        + "and that vessels waiting for a berth should keep to the outer anchorage until the "
                        + "morning tide, when the pilots will bring them in one at a time."
                    body += #"{"text":"\#(text)"}"# + "\n"
                    texts.insert(text)
                }
                files.append(("bulletin-\(file).jsonl", body))
            }
            return (files, texts)
        }

        /// A sandbox whose inbox, output and state live on a fresh ext4 volume of `megabytes`,
        /// unmounted and deleted with the sandbox.
        static func sandboxOnVolume(megabytes: Int) throws -> (disk: LoopFileSystem, sandbox: Sandbox) {
            let disk = try LoopFileSystem(megabytes: megabytes)
            do {
                let sandbox = try Sandbox(dataDirectory: "fs") { try disk.mount(at: $0) }
                sandbox.atCleanup { disk.remove() }
                return (disk, sandbox)
            } catch {
                disk.remove()
                throw error
            }
        }

        /// With big batches and some room left the disk fills in a shard append; with one-document
        /// batches and almost no room, in the ledger's commit (SQLite's `SQLITE_FULL`).
        @Test(
            "the output's file system fills: intake stops, the status and the journal say why, and it resumes by itself when space returns, nothing lost or torn",
            arguments: [(batch: 20, leave: 640 << 10), (batch: 1, leave: 16 << 10)])
        func outputFileSystemFills(batch: Int, leave: Int) throws {
            try Binaries.check()
            let (disk, sandbox) = try Self.sandboxOnVolume(megabytes: 32)
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start(config: Sandbox.batchConfig(documents: batch))
            #expect(try sandbox.ctl(["pause"]).status == 0)
            let (files, texts) = Self.inputs()
            for file in files { try sandbox.drop(file.name, file.body) }
            let ballast = try disk.fill(leaving: leave)
            #expect(try sandbox.ctl(["resume"]).status == 0)

            var held: DaemonStatus?
            try sandbox.waitUntil("winnowd reports degraded", timeout: .seconds(60), daemon: daemon) {
                held = try sandbox.status()
                return held?.state == "degraded"
            }
            let reason = held?.degraded["output"] ?? ""
            #expect(
                reason.contains("No space left on device") || reason.contains("database or disk is full"), "\(reason)")
            #expect(reason.contains("intake paused"), "\(reason)")
            // Intake stopped: files wait in the inbox; claimed is only the file in hand (these are
            // over 64 KiB, so none is read ahead).
            #expect(!sandbox.inboxNames.isEmpty)
            #expect(sandbox.names(in: sandbox.claimed).count <= 1)
            #expect(sandbox.names(in: sandbox.failed).isEmpty)
            #expect(try sandbox.readOutput().tornLines.isEmpty)
            let text = try sandbox.ctl(["status"])
            #expect(text.stdout.contains("degraded:  output: no space left"), "\(text)")
            #expect(daemon.log.contains("out of disk space: intake paused"), "\(daemon.logTail())")

            #expect(unlink(ballast) == 0)
            try sandbox.waitUntilArchived(files.map(\.name), daemon: daemon, timeout: .seconds(120))
            try sandbox.waitUntil("winnowd running again", daemon: daemon) { try sandbox.status().state == "running" }
            #expect(try sandbox.status().degraded.isEmpty)
            #expect(daemon.log.contains("space available again, intake resumed"), "\(daemon.logTail())")

            let output = try sandbox.readOutput()
            #expect(output.tornLines.isEmpty)
            #expect(output.rejected.isEmpty, "\(output.rejected.prefix(3).map(\.text))")
            #expect(output.records.count == texts.count)
            #expect(Set(output.records.map(\.text)) == texts)
            #expect(sandbox.names(in: sandbox.failed).isEmpty)
            let check = try Command.run(
                "/usr/bin/env",
                [
                    "python3", "-c",
                    "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])",
                    sandbox.state + "/winnow.sqlite",
                ], scratch: sandbox.scratch)
            #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok", "\(check)")
        }

        /// The daemon's open descriptors on files whose path contains `fragment`.
        static func openFiles(of daemon: DaemonProcess, containing fragment: String) -> [String] {
            let directory = "/proc/\(daemon.pid)/fd"
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return entries.compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + $0)
            }
            .filter { $0.contains(fragment) }
        }

        /// A large input is read ahead of the documents being committed (within a byte budget).
        /// When a commit fails for want of space, what was queued to read the rest of it must let
        /// go of the file: it is retried from its last commit once space returns.
        @Test(
            "the disk fills in the middle of a large input: the input is let go of while intake waits, then finished once"
        )
        func largeInputHeldBack() throws {
            try Binaries.check()
            let (disk, sandbox) = try Self.sandboxOnVolume(megabytes: 80)
            defer { sandbox.cleanup() }
            // Fourteen documents of 2 MB: more of the file is left when the disk fills than the
            // reading ahead may hold.
            let documents = (0..<14).map { number in
                let paragraph = (0..<100).map { "Line \(Words.spell(number * 1000 + $0)) of the long report." }
                    .joined(separator: " ")
                return String(repeating: paragraph + "\n", count: 2_000_000 / paragraph.utf8.count)
            }
            let input =
                documents.map { #"{"text":\#(jsonString($0))}"# }
                .joined(separator: "\n") + "\n"
            let daemon = try sandbox.start(config: Sandbox.batchConfig(documents: 1))
            #expect(try sandbox.ctl(["pause"]).status == 0)
            try sandbox.drop("report.jsonl", input)
            let ballast = try disk.fill(leaving: 9 << 20)
            #expect(try sandbox.ctl(["resume"]).status == 0)
            try sandbox.waitUntil("winnowd reports degraded", timeout: .seconds(60), daemon: daemon) {
                try sandbox.status().state == "degraded"
            }
            #expect(sandbox.names(in: sandbox.claimed).count == 1)
            let kept = try sandbox.status().documents.kept
            #expect(kept < documents.count, "the disk filled only after the whole file")
            try sandbox.waitUntil("no descriptor left on the held-back file", timeout: .seconds(10), daemon: daemon) {
                Self.openFiles(of: daemon, containing: "report.jsonl").isEmpty
            }

            #expect(unlink(ballast) == 0)
            try sandbox.waitUntilArchived(["report.jsonl"], daemon: daemon, timeout: .seconds(120))
            let (whole, detail) = try sandbox.readOutput().recordsAre(documents)
            #expect(whole, "\(detail)")
        }

        /// With room on its volume the WAL is checkpointed every 64 MB, not every 4 MB; when the
        /// room runs short, the next commit copies it back and truncates it, so the WAL never holds
        /// space a nearly full disk needs.
        @Test("the WAL grows past 4 MB while the volume has room, and is truncated once the room runs short")
        func walGivesSpaceBack() throws {
            try Binaries.check()
            let (disk, sandbox) = try Self.sandboxOnVolume(megabytes: 512)
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start(config: Sandbox.batchConfig(documents: 5))
            let (files, texts) = Self.inputs()
            for file in files { try sandbox.drop(file.name, file.body) }
            try sandbox.waitUntilArchived(files.map(\.name), daemon: daemon, timeout: .seconds(120))
            let wal = sandbox.state + "/winnow.sqlite-wal"
            let grown = try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int ?? 0
            #expect(grown > 5 << 20, "WAL \(grown) bytes after \(texts.count) documents in batches of 5")

            _ = try disk.fill(leaving: 64 << 20)
            try sandbox.drop("after.jsonl", #"{"text":"One more bulletin once the volume is nearly full."}"# + "\n")
            try sandbox.waitUntilArchived(files.map(\.name) + ["after.jsonl"], daemon: daemon, timeout: .seconds(60))
            let truncated = try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int ?? 0
            #expect(truncated < 1 << 20, "WAL \(truncated) bytes after a commit with 64 MB free")
            let output = try sandbox.readOutput()
            #expect(output.records.count == texts.count + 1)
            #expect(output.tornLines.isEmpty)
        }
    }
}
