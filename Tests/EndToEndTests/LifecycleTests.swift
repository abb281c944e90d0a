import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// Starting, stopping and refusing to start.
    @Suite("Lifecycle")
    struct Lifecycle {
        @Test("SIGTERM and SIGINT stop the daemon cleanly with exit status 0", arguments: [SIGTERM, SIGINT])
        func stopsOnSignal(_ signal: Int32) throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            try sandbox.drop("before-stop.txt", "Processed before the daemon is asked to stop.\n")
            try sandbox.waitUntilArchived(["before-stop.txt"], daemon: daemon)

            daemon.send(signal)
            let (status, signaled) = try daemon.waitForExit()
            #expect(
                !signaled && status == 0,
                "winnowd ended with \(signaled ? "signal" : "status") \(status)\n\(daemon.logTail())")
            #expect(daemon.log.contains("winnowd stopped"), "\(daemon.logTail())")
            #expect(daemon.log.contains("files_done=1"), "\(daemon.logTail())")
            #expect(!sandbox.exists(sandbox.socket), "the control socket is removed on a clean stop")
            let output = try sandbox.readOutput()
            #expect(output.records.count == 1)
            #expect(output.tornLines.isEmpty)
        }

        @Test("SIGTERM during a large JSONL stops at a batch boundary; the next start finishes it exactly once")
        func stopsMidFileAndResumes() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let config = Sandbox.batchConfig(documents: 50)
            let count = 6000
            var body = ""
            for number in 0..<count {
                body += #"{"text":"Entry \#(Words.spell(number)) of the long export."}"# + "\n"
            }
            let daemon = try sandbox.start(config: config)
            try sandbox.moveIn(try sandbox.stage("long.jsonl", body), as: "long.jsonl")
            try sandbox.waitUntil("the first batches of long.jsonl are written", daemon: daemon) {
                sandbox.recordBytes > 0
            }
            let during = try sandbox.status()
            if sandbox.names(in: sandbox.claimed).count == 1 {
                // Still claimed after the status was taken: the status was taken mid-file.
                #expect(during.currentFile == "long.jsonl")
                #expect(during.files.processing == 1)
            }
            daemon.send(SIGTERM)
            let (status, signaled) = try daemon.waitForExit()
            #expect(
                !signaled && status == 0,
                "winnowd ended with \(signaled ? "signal" : "status") \(status)\n\(daemon.logTail())")
            #expect(daemon.log.contains("winnowd stopped"))

            let partial = try sandbox.readOutput()
            #expect(partial.tornLines.isEmpty, "\(partial.tornLines)")
            let interrupted = sandbox.names(in: sandbox.claimed).count == 1
            if interrupted {
                #expect(
                    partial.records.count % 50 == 0, "stopped at a batch boundary: \(partial.records.count) records")
                #expect(partial.records.count < count)
                #expect(daemon.log.contains("interrupted"), "\(daemon.logTail())")
            }

            let rerun = try sandbox.launch(config: config, ["--once"])
            let (rerunStatus, _) = try rerun.waitForExit()
            #expect(rerunStatus == 0, "\(rerun.logTail())")
            #expect(sandbox.names(in: sandbox.claimed).isEmpty)
            #expect(sandbox.names(in: sandbox.archive) == ["long.jsonl"])
            let output = try sandbox.readOutput()
            #expect(output.tornLines.isEmpty)
            #expect(output.records.count == count)
            #expect(Set(output.records.compactMap(\.index)) == Set(0..<count), "every line exactly once")
        }

        @Test("--once processes a prepared inbox and exits 0 by itself")
        func onceDrainsAndExits() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            // Paths and socket from the configuration file this time, not from flags.
            let config = """
                [paths]
                inbox = "\(sandbox.inbox)"
                output = "\(sandbox.output)"
                state = "\(sandbox.state)"
                [control]
                socket = "\(sandbox.root)/once.sock"
                [inbox]
                settle_ms = 50
                """
            var names: [String] = []
            for number in 0..<5 {
                let name = "prepared-\(number).txt"
                try sandbox.writeInPlace(name, "Prepared file \(Words.spell(number)).\n")
                names.append(name)
            }
            let lines = (0..<10).map { #"{"id":"p\#($0)","text":"Prepared line \#(Words.spell($0))."}"# }
            try sandbox.writeInPlace("prepared.jsonl", lines.joined(separator: "\n") + "\n")
            names.append("prepared.jsonl")
            try sandbox.writeInPlace(".hidden.txt", "A dotfile is never taken.\n")
            try sandbox.writeInPlace("upload.part", "An unfinished upload is never taken.\n")
            try sandbox.writeInPlace("export.tmp", "A temporary file is never taken.\n")

            let daemon = try sandbox.launch(config: config, paths: false, ["--once"])
            let (status, signaled) = try daemon.waitForExit()
            #expect(!signaled && status == 0, "winnowd --once ended with \(status)\n\(daemon.logTail())")
            #expect(daemon.log.contains("winnowd stopped"))
            #expect(sandbox.names(in: sandbox.archive) == names.sorted())
            #expect(sandbox.names(in: sandbox.inbox) == [".hidden.txt", "export.tmp", "upload.part"])
            #expect(sandbox.names(in: sandbox.claimed).isEmpty)
            let output = try sandbox.readOutput()
            #expect(output.records.count == 15)
            #expect(output.rejected.isEmpty)
            #expect(output.tornLines.isEmpty)
            #expect(!sandbox.exists(sandbox.root + "/once.sock"))
        }

        @Test("ids are stable: the same input processed from scratch twice gets the same ids")
        func stableIDs() throws {
            var runs: [[String]] = []
            for _ in 0..<2 {
                let sandbox = try Sandbox()
                defer { sandbox.cleanup() }
                try sandbox.writeInPlace(
                    "stable.jsonl",
                    (0..<5).map { #"{"text":"Stable line \#(Words.spell($0))."}"# }.joined(separator: "\n"))
                try sandbox.writeInPlace("stable.txt", "A stable text file.\n")
                let daemon = try sandbox.launch(["--once"])
                #expect(try daemon.waitForExit().status == 0, "\(daemon.logTail())")
                runs.append(try sandbox.readOutput().records.map(\.id).sorted())
            }
            #expect(runs[0].count == 6)
            #expect(runs[0] == runs[1])
        }

        /// A damaged state database is found at start (by `PRAGMA quick_check`, run beside the
        /// building of the filters, or by that build itself), and winnowd stops with a message
        /// saying so before it takes any file. The part damaged here is read by neither the
        /// migrations nor the filters, so only the check can find it.
        @Test("a corrupt state database stops winnowd at start with a clear message; the inbox is untouched")
        func corruptStateIsRefused() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let lines = (0..<200).map { #"{"id":"c\#($0)","text":"Ledger line \#(Words.spell($0))."}"# }
            try sandbox.writeInPlace("first.jsonl", lines.joined(separator: "\n") + "\n")
            let first = try sandbox.launch(["--once"])
            #expect(try first.waitForExit().status == 0, "\(first.logTail())")

            // Fill the root page of the record-extent table with 0xFF bytes (after folding the WAL
            // into the file, so that the file holds every page).
            let damage = try Command.run(
                "/usr/bin/env",
                [
                    "python3", "-c",
                    """
                    import sqlite3, sys
                    path = sys.argv[1]
                    db = sqlite3.connect(path)
                    db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
                    size = db.execute('PRAGMA page_size').fetchone()[0]
                    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'record_extent'").fetchone()[0]
                    db.close()
                    with open(path, 'r+b') as f:
                        f.seek((root - 1) * size)
                        f.write(b'\\xff' * size)
                    print('damaged page', root)
                    """,
                    sandbox.state + "/winnow.sqlite",
                ], scratch: sandbox.scratch)
            #expect(damage.status == 0 && damage.stdout.contains("damaged page"), "\(damage)")

            try sandbox.drop("untouched.txt", "Must stay in the inbox.\n")
            let daemon = try sandbox.launch(["--once"])
            let (status, signaled) = try daemon.waitForExit()
            #expect(!signaled && status != 0, "winnowd ran on a damaged state database:\n\(daemon.logTail())")
            #expect(daemon.log.contains("is corrupt"), "\(daemon.logTail())")
            #expect(daemon.log.contains("restore it from a backup"), "\(daemon.logTail())")
            #expect(sandbox.inboxNames == ["untouched.txt"])
            #expect(sandbox.names(in: sandbox.claimed).isEmpty)
        }

        /// A configuration that winnowd must refuse, and the key its message must name.
        struct BadConfig: Sendable, CustomTestStringConvertible {
            var toml: String
            var named: String
            var testDescription: String { named }
        }

        @Test(
            "a configuration error stops winnowd at start with a message naming the key",
            arguments: [
                BadConfig(toml: "[inbox]\nsetle_ms = 50\n", named: "unknown key 'inbox.setle_ms'"),
                BadConfig(toml: "[inbox]\nsettle_ms = \"fast\"\n", named: "inbox.settle_ms"),
                BadConfig(toml: "[inbox]\nsettle_ms = -5\n", named: "inbox.settle_ms"),
                BadConfig(toml: "[batch]\ndocuments = 100\n[inbox]\nafter = \"shred\"\n", named: "inbox.after"),
                BadConfig(toml: "[pipeline]\nstages = [\"no_such_stage\"]\n", named: "pipeline.stages"),
                BadConfig(toml: "[control]\nsocket = 42\n", named: "control.socket"),
                BadConfig(toml: "[metrics]\nlisten = \"localhost:9464\"\n", named: "metrics.listen"),
                BadConfig(toml: "[inbox\nsettle_ms = 1\n", named: "line 1"),
            ])
        func badConfiguration(_ bad: BadConfig) throws {
            let config = bad.toml
            let named = bad.named
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            try sandbox.drop("untouched.txt", "Must stay in the inbox.\n")
            let daemon = try sandbox.launch(config: config)
            let (status, signaled) = try daemon.waitForExit()
            #expect(!signaled && status != 0, "winnowd accepted the configuration:\n\(config)")
            #expect(daemon.log.contains(named), "stderr does not name \(named):\n\(daemon.log)")
            #expect(sandbox.inboxNames == ["untouched.txt"])
            #expect(
                !sandbox.exists(sandbox.output + "/records"), "nothing is written before the configuration is accepted")
        }
    }
}
