import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// Exact and near duplicates against everything kept, across restarts.
    @Suite("Near duplicates")
    struct NearDuplicates {
        private static let config =
            Sandbox.fastConfig + """

                [pipeline]
                stages = ["unicode_nfc", "whitespace", "empty", "exact_dedup", "near_dedup"]
                """

        private static let paragraphs = [
            "The city council of Lowbridge approved a new harbour budget on Tuesday, ending months of debate over"
                + " the cost of repairing the old sea wall and dredging the northern channel before the winter storms.",
            "Councillors voted nine to four in favour of the plan, which raises the harbour fee for large vessels"
                + " and sets aside money for a new pilot boat, the mayor said after the meeting in the town hall.",
            "Fishing crews had warned that the silted channel made night departures dangerous, and two boats ran"
                + " aground there last winter, according to the harbour master, who welcomed the decision.",
        ]
        private static let original = paragraphs.joined(separator: "\n\n") + "\n"
        /// A second, unrelated story, put on a page beside the original: long enough that the page's
        /// Jaccard similarity with the original alone is 0.64, well below the threshold (only
        /// containment finds a copy of the original then).
        private static let libraryNews =
            "Lowbridge library will open on Sundays from next month, the head librarian announced on Friday,"
            + " after volunteers offered to staff the reading room and the children's corner. The extra hours are"
            + " paid for by a bequest from a former teacher, who left the library her house and her maps.\n"
        private static let rewrapped =
            "Lowbridge Courier | Local news\n\n"
            + paragraphs.joined(separator: "\n").replacingOccurrences(of: ", ", with: ",\n")
            + "\n\nShare this article\n"
        /// One word changed: about a tenth of the shingles differ (true Jaccard near 0.9).
        private static let edited = original.replacingOccurrences(of: "Tuesday", with: "Monday")
        private static let sameTopic =
            "The harbour master of Lowbridge said on Wednesday that dredging of the northern channel would start in"
            + " March, after the council agreed to fund the work, and that the ferry timetable would not change while"
            + " the sea wall is repaired. Fishing crews said they were relieved but worried about the higher fees.\n"

        @Test("An original is kept; an exact, a re-wrapped and an edited copy are rejected, also after a restart")
        func copiesAcrossRestarts() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            var daemon = try sandbox.start(config: Self.config)
            try sandbox.dropAndWait(["original.txt": Self.original], daemon: daemon)
            try sandbox.dropAndWait(
                ["exact.txt": Self.original + "\n\n", "rewrapped.txt": Self.rewrapped], daemon: daemon)
            daemon = try sandbox.restart(daemon, config: Self.config)
            try sandbox.dropAndWait(["edited.txt": Self.edited, "same-topic.txt": Self.sameTopic], daemon: daemon)

            let output = try sandbox.readOutput()
            #expect(Set(output.records.compactMap(\.file)) == ["original.txt", "same-topic.txt"])
            let kept = try #require(output.records.first { $0.file == "original.txt" })
            let reasons = Dictionary(uniqueKeysWithValues: output.rejected.map { ($0.file ?? "", $0.reason ?? "") })
            #expect(
                reasons == [
                    "exact.txt": "exact_duplicate", "rewrapped.txt": "near_duplicate", "edited.txt": "near_duplicate",
                ])
            #expect(output.rejected.allSatisfy { $0.duplicateOf == kept.id })
            // The kept record's copies are counted in the index, not written into the record.
            let check = try sandbox.ctl(["dupes", "--json", try sandbox.stage("again.txt", Self.edited)])
            #expect(check.stdout.contains(#""copies_so_far":{"exact":1,"near":2}"#), "\(check)")
        }

        @Test("A clean copy of one of the two articles of a kept page is a near duplicate by containment")
        func containedCopy() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let library = Self.libraryNews
            var daemon = try sandbox.start(config: Self.config)
            try sandbox.dropAndWait(["page.txt": Self.original + "\nMore from Lowbridge\n\n" + library], daemon: daemon)
            daemon = try sandbox.restart(daemon, config: Self.config)
            try sandbox.dropAndWait(["harbour.txt": Self.original], daemon: daemon)

            let output = try sandbox.readOutput()
            let page = try #require(output.records.first { $0.file == "page.txt" })
            #expect(output.records.count == 1)
            let copy = try #require(output.rejected.first { $0.file == "harbour.txt" })
            #expect(copy.reason == "near_duplicate" && copy.duplicateOf == page.id)
            let containment = try #require(copy.metadata["containment"]?.double)
            let similarity = try #require(copy.metadata["similarity"]?.double)
            #expect(containment >= 0.8 && similarity < 0.75, "containment \(containment), similarity \(similarity)")
            let check = try sandbox.ctl(["dupes", try sandbox.stage("again.txt", Self.original)])
            #expect(check.stdout.hasPrefix("near_duplicate of \(page.id) (similarity "), "\(check)")
            #expect(check.stdout.contains(", containment "), "\(check)")
        }

        /// Signatures of two versions never match, so an index keeps computing the version it holds:
        /// a state directory from before version 2 (whose index the migration marks as version 1)
        /// goes on finding the copies of what it kept, and a new one records the current version.
        @Test("An index keeps the signature version it was built with; a new one records version 2")
        func signatureVersions() throws {
            var signatures: [Int: String] = [:]
            for version in [1, 2] {
                let sandbox = try Sandbox()
                defer { sandbox.cleanup() }
                var daemon = try sandbox.start(config: Self.config)
                daemon.send(SIGTERM)
                #expect(try daemon.waitForExit().status == 0)
                let settingQuery = "SELECT value FROM index_setting WHERE name = 'near_signature_version'"
                #expect(try Self.sqlite(sandbox, settingQuery) == "2")
                if version == 1 { _ = try Self.sqlite(sandbox, "UPDATE index_setting SET value = 1; " + settingQuery) }

                daemon = try sandbox.start(config: Self.config)
                try sandbox.dropAndWait(["original.txt": Self.original], daemon: daemon)
                daemon = try sandbox.restart(daemon, config: Self.config)
                try sandbox.dropAndWait(["edited.txt": Self.edited, "same-topic.txt": Self.sameTopic], daemon: daemon)
                #expect(
                    daemon.log.contains("keeps the signatures it was built with") == (version == 1),
                    "\(daemon.logTail())")

                let output = try sandbox.readOutput()
                let kept = try #require(output.records.first { $0.file == "original.txt" })
                #expect(Set(output.records.compactMap(\.file)) == ["original.txt", "same-topic.txt"])
                let edited = try #require(output.rejected.first { $0.file == "edited.txt" })
                #expect(edited.reason == "near_duplicate" && edited.duplicateOf == kept.id, "version \(version)")
                #expect(try Self.sqlite(sandbox, settingQuery) == "\(version)")
                signatures[version] = try Self.sqlite(
                    sandbox, "SELECT hex(signature) FROM near_document WHERE document_id = '\(kept.id)'")
            }
            // The version in force is the one recorded: the same text has two different signatures.
            #expect(signatures[1]?.count == 112 * 8 && signatures[2]?.count == 112 * 8)
            #expect(signatures[1] != signatures[2])
        }

        @Test("A state database holding signatures of an unknown version stops winnowd with a clear message")
        func unknownSignatureVersion() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let first = try sandbox.launch(config: Self.config, ["--once"])
            #expect(try first.waitForExit().status == 0, "\(first.logTail())")
            _ = try Self.sqlite(sandbox, "UPDATE index_setting SET value = 9; SELECT 1")
            try sandbox.drop("untouched.txt", Self.original)
            let daemon = try sandbox.launch(config: Self.config, ["--once"])
            let (status, signaled) = try daemon.waitForExit()
            #expect(!signaled && status != 0, "\(daemon.logTail())")
            #expect(daemon.log.contains("near-duplicate signatures of version 9"), "\(daemon.logTail())")
            #expect(sandbox.inboxNames == ["untouched.txt"])
        }

        /// Runs `sql` on the sandbox's state database with Python's sqlite3 (the daemon stopped, or
        /// only reading), and returns what the last statement selected, one row per line.
        private static func sqlite(_ sandbox: Sandbox, _ sql: String) throws -> String {
            try python(
                sandbox,
                """
                *setup, last = [s for s in sys.argv[2].split(';') if s.strip()]
                for statement in setup: db.execute(statement)
                for row in db.execute(last): print('|'.join(str(v) for v in row))
                db.commit()
                """, sql)
        }

        /// Runs the Python `script` with `db` open on the sandbox's state database (and `argument`
        /// as `sys.argv[2]`), and returns what it printed.
        private static func python(_ sandbox: Sandbox, _ script: String, _ argument: String = "") throws -> String {
            let result = try Command.run(
                "/usr/bin/env",
                [
                    "python3", "-c", "import sqlite3, struct, sys\ndb = sqlite3.connect(sys.argv[1])\n" + script,
                    sandbox.state + "/winnow.sqlite", argument,
                ],
                scratch: sandbox.scratch)
            guard result.status == 0 else { throw HarnessError("python3 sqlite3: \(result)") }
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// The band and fingerprint indexes keep their newest rows in memory (logged in SQLite) and
        /// the rest in sorted run files (winnow.sqlite-runs/); until version 15 of the schema the
        /// newest rows were SQLite tables. A crash of such a version can leave a recent table frozen
        /// but not yet written out, and any version a run file written but not yet listed; the next
        /// start must put both right, and find copies through the frozen table and then the run.
        @Test("Index tables a crash left frozen are written out as runs at the next start; copies are found in them")
        func frozenTablesAfterACrash() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let library = Self.libraryNews
            let page = Self.original + "\nMore from Lowbridge\n\n" + library
            var daemon = try sandbox.start(config: Self.config)
            try sandbox.dropAndWait(["page.txt": page], daemon: daemon)
            daemon.send(SIGTERM)
            #expect(try daemon.waitForExit().status == 0)

            // What a crash of an earlier version between a commit that froze its recent tables and
            // their runs leaves: the logged rows moved into such tables.
            let frozen = try Self.python(
                sandbox,
                """
                counts = []
                for part, key in [('band', 'band_key'), ('fingerprint', 'key')]:
                    table = f'near_{part}_frozen_900'
                    db.execute(f'CREATE TABLE {table} ({key} INTEGER NOT NULL, document INTEGER NOT NULL, '
                               f'PRIMARY KEY ({key}, document)) WITHOUT ROWID')
                    logged = db.execute('SELECT rows FROM index_log WHERE part = ?', (part + 's',)).fetchall()
                    rows = [pair for (blob,) in logged for pair in struct.iter_unpack('<qq', blob)]
                    db.executemany(f'INSERT INTO {table} VALUES (?, ?)', rows)
                    db.execute('DELETE FROM index_log WHERE part = ?', (part + 's',))
                    counts.append(len(rows))
                db.commit()
                print('|'.join(map(str, counts)))
                """)
            #expect(frozen.split(separator: "|").allSatisfy { Int($0) ?? 0 > 0 }, "\(frozen)")
            let runs = sandbox.state + "/winnow.sqlite-runs"
            try Data(repeating: 7, count: 48).write(to: URL(fileURLWithPath: runs + "/bands-901.run"))

            daemon = try sandbox.start(config: Self.config)
            try sandbox.dropAndWait(
                ["edited.txt": page.replacingOccurrences(of: "Tuesday", with: "Monday")], daemon: daemon)
            try sandbox.waitUntil("the frozen tables written out as runs", daemon: daemon) {
                try Self.sqlite(sandbox, "SELECT name FROM index_run ORDER BY name")
                    == "bands-900.run\nfingerprints-900.run"
            }
            #expect(try Self.sqlite(sandbox, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%frozen%'") == "0")
            #expect(Set(sandbox.names(in: runs)) == ["bands-900.run", "fingerprints-900.run"])
            // Read back from the runs after a restart, which checks them.
            daemon = try sandbox.restart(daemon, config: Self.config)
            try sandbox.dropAndWait(["harbour.txt": Self.original], daemon: daemon)

            let output = try sandbox.readOutput()
            let kept = try #require(output.records.first { $0.file == "page.txt" })
            #expect(output.records.count == 1)
            let reasons = Dictionary(uniqueKeysWithValues: output.rejected.map { ($0.file ?? "", $0.reason ?? "") })
            #expect(reasons == ["edited.txt": "near_duplicate", "harbour.txt": "near_duplicate"])
            #expect(output.rejected.allSatisfy { $0.duplicateOf == kept.id })
            let containment = try #require(output.rejected.first { $0.file == "harbour.txt" }?.metadata["containment"])
            #expect((containment.double ?? 0) >= 0.8)
        }

        @Test("An exact copy of a rejected near duplicate attaches to the same kept record, after a restart")
        func copiesOfACopy() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            var daemon = try sandbox.start(config: Self.config)
            try sandbox.dropAndWait(["original.txt": Self.original], daemon: daemon)
            try sandbox.dropAndWait(["edited.txt": Self.edited], daemon: daemon)
            // Without near_dedup now: only the exact key of the rejected copy can catch its twin.
            let exactOnly = Self.config.replacingOccurrences(of: ", \"near_dedup\"", with: "")
            daemon = try sandbox.restart(daemon, config: exactOnly)
            try sandbox.dropAndWait(["edited-again.txt": "  " + Self.edited.uppercased() + "\n\n"], daemon: daemon)

            let output = try sandbox.readOutput()
            let kept = try #require(output.records.first { $0.file == "original.txt" })
            let first = try #require(output.rejected.first { $0.file == "edited.txt" })
            let again = try #require(output.rejected.first { $0.file == "edited-again.txt" })
            #expect(output.records.count == 1)
            #expect(again.reason == "near_duplicate" && again.duplicateOf == kept.id)
            #expect(again.metadata["similarity"]?.double == first.metadata["similarity"]?.double)
            let status = try sandbox.ctl(["status", "--json"]).stdout
            #expect(status.contains(#""index":{"documents":1,"#), "\(status)")
        }

        @Test("winnowctl dupes checks a file against the live index without keeping anything; status counts it")
        func dupesAndIndexSize() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start(config: Self.config)
            try sandbox.drop("original.txt", Self.original)
            try sandbox.waitUntilArchived(["original.txt"], daemon: daemon)
            let kept = try #require(try sandbox.readOutput().records.first)

            let edited = try sandbox.stage("edited.txt", Self.edited)
            let check = try sandbox.ctl(["dupes", "--json", edited])
            #expect(check.status == 0, "\(check)")
            #expect(check.stdout.contains(#""verdict":"near_duplicate""#) && check.stdout.contains(kept.id))
            let fresh = try sandbox.stage("fresh.txt", Self.sameTopic)
            #expect(try sandbox.ctl(["dupes", fresh]).stdout == "kept\n")
            // Read-only: checking the same file twice gives the same answer, and nothing was added.
            #expect(try sandbox.ctl(["dupes", fresh]).stdout == "kept\n")
            let status = try sandbox.ctl(["status", "--json"]).stdout
            #expect(status.contains(#""index":{"documents":1,"bytes_on_disk":"#), "\(status)")
            #expect(try sandbox.readOutput().all.count == 1)
        }

        @Test("A footer line shared by three kept documents of one source is removed from the next, after a restart")
        func repeatedLines() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let config = Sandbox.fastConfig + "\n[pipeline]\nstages = [\"whitespace\", \"repeated_lines\", \"empty\"]\n"
            let footer = "Lowbridge Courier is published by the Harbour Press Cooperative."
            var daemon = try sandbox.start(config: config)
            for number in 1...3 {
                try sandbox.drop(
                    "courier-\(number).txt", "Story \(Words.spell(number)) about the harbour.\n\(footer)\n")
                try sandbox.waitUntilArchived(["courier-\(number).txt"], daemon: daemon)
            }
            daemon.send(SIGTERM)
            #expect(try daemon.waitForExit().status == 0)
            daemon = try sandbox.start(config: config)
            try sandbox.drop("courier-4.txt", "Story four about the harbour.\n\(footer)\n")
            try sandbox.waitUntilArchived(["courier-4.txt"], daemon: daemon)
            let records = try sandbox.readOutput().records
            let fourth = try #require(records.first { $0.file == "courier-4.txt" })
            #expect(fourth.text == "Story four about the harbour.")
            #expect(records.filter { $0.text.contains(footer) }.count == 3)
        }
    }
}
