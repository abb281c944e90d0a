import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// Folders directly in the inbox: their files are inputs like those at its top, and the folder
    /// names their source in `winnowctl stats`.
    @Suite("Inbox folders")
    struct InboxFolders {
        static func makeFolder(_ path: String) throws {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        @Test("a folder made while the daemon runs is watched: files renamed or written into it become records")
        func folderMadeWhileRunning() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            // A long settle time and no rescan: only the folder's own watch can find the renamed file.
            let daemon = try sandbox.start(
                config: """
                    [inbox]
                    settle_ms = 200
                    rescan_interval_s = 3600
                    """)
            try Self.makeFolder(sandbox.inbox + "/reuters")
            // Renamed in at once, before the daemon can have added the folder's watch: the folder's
            // first scan finds it.
            try sandbox.rename(
                try sandbox.stage("first.txt", "The first wire story of the day."),
                to: sandbox.inbox + "/reuters/first.txt")
            try sandbox.waitUntilArchived(["reuters/first.txt"], daemon: daemon)
            // Now the folder is watched: a file renamed in later and one written in place are seen too.
            try sandbox.rename(
                try sandbox.stage("second.txt", "A second wire story, an hour later."),
                to: sandbox.inbox + "/reuters/second.txt")
            try sandbox.writeInPlace("reuters/third.txt", "A third wire story, written in place.")
            try sandbox.waitUntilArchived(["reuters/second.txt", "reuters/third.txt"], daemon: daemon)
            try sandbox.dropAndWait(["top.txt": "A note dropped at the top of the inbox."], daemon: daemon)

            let records = try sandbox.readOutput().records
            #expect(
                Set(records.compactMap(\.file))
                    == ["reuters/first.txt", "reuters/second.txt", "reuters/third.txt", "top.txt"],
                "\(records.map(\.file))")
            #expect(sandbox.names(in: sandbox.inbox + "/reuters").isEmpty)
            #expect(try sandbox.read(sandbox.archive + "/reuters/first.txt") == "The first wire story of the day.")

            let stats = try JSON.parse(Data(try sandbox.ctl(["stats", "--json"]).stdout.utf8))
            let sources = (stats["by_source"]?.array ?? []).map {
                "\($0["source"]?.string ?? "?") \($0["kept"]?.int ?? -1)"
            }
            #expect(sources == ["inbox/reuters 3", "inbox 1"], "\(sources)")
        }

        @Test("folders present at start are scanned; dotted folders and folders inside folders are left alone")
        func foldersAtStart() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            try Self.makeFolder(sandbox.inbox + "/feeds/nested")
            try Self.makeFolder(sandbox.inbox + "/.staging")
            try Data("A story waiting in a folder before the daemon starts.".utf8).write(
                to: URL(fileURLWithPath: sandbox.inbox + "/feeds/waiting.txt"))
            try Data("Too deep to be taken.".utf8).write(
                to: URL(fileURLWithPath: sandbox.inbox + "/feeds/nested/deep.txt"))
            try Data("Still being prepared.".utf8).write(
                to: URL(fileURLWithPath: sandbox.inbox + "/.staging/draft.txt"))
            let daemon = try sandbox.start()
            try sandbox.waitUntilArchived(["feeds/waiting.txt"], daemon: daemon)
            // A later scan of the inbox takes nothing more.
            try sandbox.dropAndWait(["marker.txt": "A marker file after the folder's file."], daemon: daemon)
            #expect(
                try sandbox.readOutput().records.compactMap(\.file).sorted() == ["feeds/waiting.txt", "marker.txt"])
            #expect(sandbox.exists(sandbox.inbox + "/feeds/nested/deep.txt"))
            #expect(sandbox.exists(sandbox.inbox + "/.staging/draft.txt"))
        }

        @Test("a bad file in a folder is set aside in the same folder of failed/, and retry puts it back there")
        func failedAndRetried() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let tight = Sandbox.fastConfig + "\n[limits]\nmax_decompressed_bytes = 10000\n"
            var daemon = try sandbox.start(config: tight)
            var body = ""
            for index in 0..<300 { body += #"{"text":"Foldered document \#(Words.spell(index))."}"# + "\n" }
            let compressed = try sandbox.stageGzipped("many.jsonl", body)
            try Self.makeFolder(sandbox.inbox + "/bulk")
            try sandbox.rename(compressed, to: sandbox.inbox + "/bulk/many.jsonl.gz")
            try sandbox.waitUntil("the file is set aside", daemon: daemon) {
                sandbox.exists(sandbox.failed + "/bulk/many.jsonl.gz.error.json")
            }
            #expect(sandbox.exists(sandbox.failed + "/bulk/many.jsonl.gz"))
            let listed = try JSON.parse(Data(try sandbox.ctl(["failed", "--json"]).stdout.utf8))
            let file = try #require(listed["files"]?.array?.first)
            #expect(file["file"]?.string == "bulk/many.jsonl.gz", "\(file)")

            // The folder is gone by the time the cause is fixed: retry makes it again.
            try FileManager.default.removeItem(atPath: sandbox.inbox + "/bulk")
            daemon = try sandbox.restart(daemon, config: Sandbox.fastConfig)
            let retry = try sandbox.ctl(["retry", "--all"])
            #expect(retry.status == 0, "\(retry)")
            try sandbox.waitUntilArchived(["bulk/many.jsonl.gz"], daemon: daemon)
            let records = try sandbox.readOutput().records
            #expect(records.count == 300)
            #expect(Set(records.compactMap(\.file)) == ["bulk/many.jsonl.gz"])
            #expect(!sandbox.exists(sandbox.failed + "/bulk/many.jsonl.gz.error.json"))
        }

        @Test("submit --folder copies into that folder of the inbox, making it; a bad folder name is a usage error")
        func submitIntoFolder() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            // A shared inbox: group-writable and setgid. The folder gets the same mode whatever the umask.
            #expect(chmod(sandbox.inbox, 0o2775) == 0)
            let daemon = try sandbox.start()
            let note = try sandbox.stage("note.txt", "A note submitted into a folder of the inbox.")
            let result = try sandbox.ctl(["submit", "--json", "--folder", "wire", note])
            #expect(result.status == 0, "\(result)")
            let answer = try JSON.parse(Data(result.stdout.utf8))
            #expect(answer["folder"]?.string == "wire")
            #expect(answer["results"]?.array?.first?["submitted_as"]?.string == "note.txt", "\(answer)")
            var info = stat()
            #expect(stat(sandbox.inbox + "/wire", &info) == 0)
            #expect(info.st_mode & 0o7777 == 0o2775, "mode \(String(info.st_mode & 0o7777, radix: 8))")
            try sandbox.waitUntilArchived(["wire/note.txt"], daemon: daemon)
            #expect(try sandbox.readOutput().records.map(\.file) == ["wire/note.txt"])
            for bad in ["a/b", ".hidden", "", "feed.part"] {
                let refused = try sandbox.ctl(["submit", "--folder", bad, note])
                #expect(refused.status == 2, "\(bad): \(refused)")
                #expect(refused.stderr.contains("--folder takes one folder name"), "\(refused)")
            }
        }

        @Test("a file from a folder left in claimed/ by a crash keeps its folder/name, even with % and = in it")
        func claimedAcrossRestart() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            try Self.makeFolder(sandbox.claimed)
            // What the claim of inbox/odd=feed/50%off.txt looks like in claimed/.
            let claimName = "0000000000000001000001=odd=feed%2F50%25off.txt"
            try Data("A story claimed from a folder just before a crash.".utf8).write(
                to: URL(fileURLWithPath: sandbox.claimed + "/" + claimName))
            let daemon = try sandbox.start()
            try sandbox.waitUntilArchived(["odd=feed/50%off.txt"], daemon: daemon)
            #expect(try sandbox.readOutput().records.map(\.file) == ["odd=feed/50%off.txt"])
        }
    }
}
