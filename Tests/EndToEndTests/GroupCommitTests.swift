import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// Small files taken together share one shard fsync and one ledger transaction; each still
    /// has its own ledger row, record ranges and outcome, and a crash before the shared commit
    /// leaves them all to be done again.
    @Suite("Group commit")
    struct GroupCommit {
        /// `count` small files, each with its own words (no exact or near copies among them).
        static func files(_ count: Int, prefix: String) -> [(name: String, body: String)] {
            (0..<count).map { number in
                let words = Words.spell(number + 1000)
                return (
                    String(format: "\(prefix)-%03d.txt", number),
                    "Dispatch \(words) from the \(prefix) desk.\n\nThe \(words) story continues in its "
                        + "second paragraph, which no other file repeats.\n"
                )
            }
        }

        @Test(
            "files dropped together share commits, yet each has its own outcome and findable records; a copy within the group is a duplicate file"
        )
        func smallFilesShareCommits() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            #expect(try sandbox.ctl(["pause"]).status == 0)
            let files = Self.files(40, prefix: "group")
            // Byte-for-byte copies of two files of the same drop, under other names.
            let copies = [("copy-of-003.txt", files[3].body), ("copy-of-017.txt", files[17].body)]
            var names: [String] = []
            for (name, body) in files + copies {
                try sandbox.drop(name, body)
                names.append(name)
            }
            try sandbox.waitUntil("all files seen", daemon: daemon) {
                try sandbox.status().files.pending == names.count
            }
            #expect(try sandbox.ctl(["resume"]).status == 0)
            try sandbox.waitUntilArchived(names, daemon: daemon)
            try sandbox.waitUntil("the ledger counts every file", daemon: daemon) {
                let status = try sandbox.status().files
                return status.done + status.duplicate == names.count
            }

            let status = try sandbox.status()
            #expect(status.files.done == files.count && status.files.duplicate == copies.count, "\(status.files)")
            let output = try sandbox.readOutput()
            #expect(output.tornLines.isEmpty)
            #expect(output.rejected.isEmpty, "a copy of a file is not a rejected document: \(output.rejected.count)")
            #expect(output.records.compactMap(\.file).sorted() == files.map(\.name).sorted())
            #expect(Set(output.records.map(\.id)).count == output.records.count)

            // Fewer commits than files: they were grouped.
            let metrics = try PrometheusText(parsing: try sandbox.ctl(["metrics"]).stdout)
            let commits = try #require(metrics.value("winnow_commits_total"))
            #expect(commits >= 1 && commits < Double(files.count), "\(commits) commits for \(files.count) files")

            // Every record is where its own file's ledger ranges say.
            for record in output.records {
                let answer = try JSON.parse(Data(try sandbox.ctl(["show", "--json", record.id]).stdout.utf8))
                #expect(answer["record"]?["id"]?.string == record.id)
                #expect(answer["record"]?["metadata"]?["file"]?.string == record.file)
            }
        }

        @Test(
            "kill -9 while small files wait for their group's commit: none is archived before it, and after a restart each comes out once"
        )
        func killBeforeGroupCommit() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            // The test-only switch hangs the pipeline on the last file, with the files before it
            // processed and waiting for their group's commit.
            var daemon = try sandbox.launch(environment: ["WINNOW_TEST_HANG_ON": "HANG-HERE"])
            try sandbox.waitUntil("winnowd answers", daemon: daemon) { try sandbox.ctl(["status"]).status == 0 }
            #expect(try sandbox.ctl(["pause"]).status == 0)
            let files = Self.files(30, prefix: "burst") + [("zz-hang.txt", "This document HANG-HERE never finishes.\n")]
            for (name, body) in files { try sandbox.drop(name, body) }
            try sandbox.waitUntil("all files seen", daemon: daemon) {
                try sandbox.status().files.pending == files.count
            }
            #expect(try sandbox.ctl(["resume"]).status == 0)
            try sandbox.waitUntil("winnowd stuck in zz-hang.txt", daemon: daemon) {
                try sandbox.ctl(["status", "--json"]).stdout.contains(#""current_file":"zz-hang.txt""#)
            }
            // Claimed files have no records yet, and archived ones all have theirs.
            let claimed = sandbox.names(in: sandbox.claimed)
            let archived = Set(sandbox.names(in: sandbox.archive))
            let written = Set(try sandbox.readOutput().all.compactMap(\.file))
            #expect(claimed.count >= 2, "the files before zz-hang.txt wait claimed: \(claimed)")
            #expect(claimed.allSatisfy { name in !written.contains { name.hasSuffix("-" + $0) } }, "\(claimed)")
            #expect(written == archived, "archived without records: \(archived.subtracting(written))")
            daemon.send(SIGKILL)
            let (signal, signaled) = try daemon.waitForExit()
            #expect(signaled && signal == SIGKILL)

            daemon = try sandbox.start(until: [])
            try sandbox.waitUntilArchived(files.map(\.name), daemon: daemon, timeout: .seconds(90))
            let output = try sandbox.readOutput()
            #expect(output.tornLines.isEmpty)
            #expect(sandbox.names(in: sandbox.claimed).isEmpty)
            #expect(sandbox.names(in: sandbox.failed).isEmpty)
            let byFile = Dictionary(grouping: output.all, by: { $0.file ?? "" })
            #expect(byFile.keys.sorted() == files.map(\.name).sorted())
            #expect(byFile.values.allSatisfy { $0.count == 1 }, "doubled: \(byFile.filter { $0.value.count > 1 }.keys)")
        }
    }
}
