import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// How files get from the inbox to records: renamed in, written in place, dropped twice, in bulk.
    @Suite("Inbox intake")
    struct Intake {
        @Test("a .txt renamed into the inbox is taken at once, becomes one normalized record and is archived")
        func renamedTextFile() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            // A long settle time: a renamed-in file is complete by the inbox protocol and must not wait for it.
            let daemon = try sandbox.start(
                config: """
                    [inbox]
                    settle_ms = 20000
                    """)
            let content = "  The quick   brown fox\tjumps.  \n\n\n\nOver the lazy dog.\n"
            try sandbox.drop("note.txt", content)
            try sandbox.waitUntilArchived(["note.txt"], daemon: daemon, timeout: .seconds(10))

            let output = try sandbox.readOutput()
            #expect(output.tornLines.isEmpty, "\(output.tornLines)")
            #expect(output.rejected.isEmpty)
            try #require(output.records.count == 1, "expected one record, got \(output.records.map(\.text))")
            let record = output.records[0]
            #expect(record.text == "The quick brown fox jumps.\n\nOver the lazy dog.")
            #expect(isRecordID(record.id, index: 0), "id \(record.id)")
            #expect(record.source == "inbox")
            #expect(record.created == nil)
            #expect(!record.added.isEmpty)
            #expect(record.file == "note.txt")
            #expect(record.line == nil)
            #expect(record.metadata["bytes_in"]?.int == content.utf8.count)
            #expect(record.metadata["lines_in"]?.int == 5)
            #expect(record.metadata["content_hash"]?.string?.count == 32)
            #expect(output.recordShards.count == 1)
            #expect(
                output.recordShards.first.map { $0.hasPrefix("records-") && $0.hasSuffix("-000001.jsonl") } == true,
                "\(output.recordShards)")

            #expect(try sandbox.read(sandbox.archive + "/note.txt") == content)
            let status = try sandbox.status()
            #expect(status.files.done == 1)
            #expect(status.documents.kept == 1)
            #expect(status.documents.dropped == 0)
            #expect(status.files.pending == 0)
            #expect(status.files.failed == 0)
            #expect(status.files.duplicate == 0)
            #expect(daemon.log.contains("file done doc.file=note.txt"), "\(daemon.logTail())")
            #expect(daemon.log.contains("kept=1"))
        }

        @Test("a file written slowly in place is taken only after its writer closes it")
        func slowWriterInPlace() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start(
                config: """
                    [inbox]
                    settle_ms = 100
                    rescan_interval_s = 1
                    """)
            let parts = ["First part of the slow file.\n", "Second part, written later.\n", "Third and last part.\n"]
            let path = sandbox.inbox + "/slow.txt"
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            try #require(fd >= 0)
            var open = true
            defer { if open { close(fd) } }

            try writeAll(fd, Array(parts[0].utf8), path: path)
            usleep(400_000)  // a producer pausing for longer than settle_ms
            try writeAll(fd, Array(parts[1].utf8), path: path)
            // The periodic rescan finds the file while it is still open for writing.
            try sandbox.waitUntil("winnowd has noticed slow.txt", daemon: daemon) {
                try sandbox.status().files.pending >= 1
            }
            usleep(400_000)  // unchanged for longer than settle_ms, but still open
            #expect(sandbox.inboxNames == ["slow.txt"], "taken while still open for writing")
            try writeAll(fd, Array(parts[2].utf8), path: path)
            usleep(400_000)
            #expect(sandbox.inboxNames == ["slow.txt"], "taken while still open for writing")
            #expect(try sandbox.readOutput().records.isEmpty)
            close(fd)
            open = false

            try sandbox.waitUntilArchived(["slow.txt"], daemon: daemon)
            let output = try sandbox.readOutput()
            try #require(output.records.count == 1, "expected one record, got \(output.records.map(\.text))")
            #expect(output.records[0].text == parts.joined().trimmingCharacters(in: .newlines))
            #expect(output.rejected.isEmpty)
            #expect(output.tornLines.isEmpty)
        }

        @Test("a file appended to in several short sessions is taken once, after it stays unchanged for settle_ms")
        func appendSessionsWithinSettleTime() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start(
                config: """
                    [inbox]
                    settle_ms = 700
                    rescan_interval_s = 30
                    """)
            // Like `echo part >> file` run from a loop: each append opens, writes and closes the file,
            // and the next comes well within settle_ms.
            let parts = (1...12).map { "Appended part \(Words.spell($0))." }
            let path = sandbox.inbox + "/appended.txt"
            for (number, part) in parts.enumerated() {
                if number > 0 { usleep(100_000) }
                let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
                try #require(fd >= 0)
                try writeAll(fd, Array((part + "\n").utf8), path: path)
                close(fd)
            }
            try sandbox.waitUntil("appended.txt taken and archived", daemon: daemon) {
                sandbox.names(in: sandbox.archive).contains("appended.txt") && sandbox.inboxNames.isEmpty
                    && sandbox.names(in: sandbox.claimed).isEmpty
            }
            let output = try sandbox.readOutput()
            #expect(
                sandbox.names(in: sandbox.archive) == ["appended.txt"],
                "the file was taken before its writer was done: \(output.records.map(\.text))")
            #expect(output.records.map(\.text) == [parts.joined(separator: "\n")])
        }

        @Test("dropping the same content twice produces no new records and counts a duplicate file")
        func sameFileTwice() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            let content = "A report that somebody sends twice.\n"
            try sandbox.drop("report.txt", content)
            try sandbox.waitUntilArchived(["report.txt"], daemon: daemon)
            let first = try sandbox.readOutput()
            #expect(first.records.count == 1)

            try sandbox.drop("report.txt", content)
            try sandbox.waitUntilArchived(["report.txt", "report.txt.1"], daemon: daemon)
            let second = try sandbox.readOutput()
            #expect(second.records.map(\.id) == first.records.map(\.id))
            #expect(second.rejected.isEmpty)
            #expect(second.tornLines.isEmpty)
            #expect(try sandbox.read(sandbox.archive + "/report.txt.1") == content)
            let status = try sandbox.status()
            #expect(status.files.duplicate == 1)
            #expect(status.files.done == 1)
            #expect(status.documents.kept == 1)
            #expect(status.documents.dropped == 0)
            #expect(daemon.log.contains("duplicate"), "\(daemon.logTail())")

            // The ledger outlives the process: after a restart the same bytes are still a duplicate file,
            // and the same text in another file is still an exact duplicate of the first record.
            daemon.send(SIGTERM)
            try daemon.waitForExit()
            let restarted = try sandbox.start()
            try sandbox.drop("copy.txt", content)
            try sandbox.drop("reworded.txt", "A REPORT that somebody sends twice!\n")
            try sandbox.waitUntilArchived(["copy.txt", "reworded.txt"], daemon: restarted)
            let third = try sandbox.readOutput()
            #expect(third.records.map(\.id) == first.records.map(\.id))
            try #require(third.rejected.count == 1, "\(third.rejected.map(\.text))")
            #expect(third.rejected[0].file == "reworded.txt")
            #expect(third.rejected[0].reason == "exact_duplicate")
            #expect(third.rejected[0].duplicateOf == first.records.first?.id)
            let after = try sandbox.status()
            #expect(after.files.duplicate == 2)
            #expect(after.files.done == 2)
            #expect(after.documents.kept == 1)
            #expect(after.documents.droppedByReason == ["exact_duplicate": 1])
        }

        @Test("with inbox.after = \"delete\" processed originals are removed instead of archived")
        func deleteAfterProcessing() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start(config: Sandbox.fastConfig + "\nafter = \"delete\"\n")
            try sandbox.drop("gone.txt", "Removed once committed.\n")
            try sandbox.waitUntil("gone.txt processed", daemon: daemon) { try sandbox.status().files.done == 1 }
            try sandbox.waitUntil("gone.txt removed", daemon: daemon) {
                sandbox.inboxNames.isEmpty && sandbox.names(in: sandbox.claimed).isEmpty
            }
            #expect(sandbox.names(in: sandbox.archive).isEmpty)
            #expect(try sandbox.readOutput().records.map(\.text) == ["Removed once committed."])
        }

        @Test("1,000 small files arriving at once each become exactly one record")
        func thousandFilesAtOnce() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            let count = 1000
            var names: [String] = []
            var texts: [String: String] = [:]
            for number in 0..<count {
                let name = String(format: "note-%04d.txt", number)
                let text = "Note number \(Words.spell(number)) of the bulk delivery."
                names.append(name)
                texts[name] = text
                // Most producers rename finished files in; some write in place.
                if number % 10 < 7 {
                    try sandbox.drop(name, text + "\n")
                } else {
                    try sandbox.writeInPlace(name, text + "\n")
                }
            }
            try sandbox.waitUntilArchived(names, daemon: daemon, timeout: .seconds(90))

            let output = try sandbox.readOutput()
            #expect(output.tornLines.isEmpty, "\(output.tornLines.prefix(5))")
            #expect(output.rejected.isEmpty, "\(output.rejected.prefix(5).map { ($0.file, $0.reason) })")
            #expect(output.records.count == count)
            #expect(Set(output.records.map(\.id)).count == output.records.count, "record ids are not unique")
            let byFile = Dictionary(grouping: output.records, by: { $0.file ?? "" })
            #expect(Set(byFile.keys) == Set(names))
            for (name, records) in byFile where records.count != 1 || records[0].text != texts[name] {
                Issue.record("\(name): \(records.map(\.text))")
            }
            #expect(sandbox.names(in: sandbox.archive).count == count)
            #expect(sandbox.names(in: sandbox.inbox).isEmpty)
            #expect(sandbox.names(in: sandbox.claimed).isEmpty)
            #expect(sandbox.names(in: sandbox.failed).isEmpty)
            let status = try sandbox.status()
            #expect(status.files.done == count)
            #expect(status.documents.kept == count)
        }
    }
}
