import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// `kill -9` at arbitrary points must never lose, repeat or tear a document.
    @Suite("Crash recovery")
    struct CrashRecovery {
        /// One line of the big input and what it must become.
        enum Line {
            case kept(String)
            case dropped(String, reason: String)
            case blank
        }

        /// A JSONL of `count` lines: mostly distinct documents, some malformed lines, some exact
        /// duplicates of the line before, some blank lines.
        static func bigInput(count: Int) -> (body: String, lines: [Line]) {
            var body = ""
            var lines: [Line] = []
            var keptKeys = Set<String>()
            var previousText = ""
            for index in 0..<count {
                if index % 1500 == 1499 {
                    body += "\n"
                    lines.append(.blank)
                } else if index % 997 == 500 {
                    body += #"{"id":"b\#(index)","text":"an unterminated string"# + "\n"
                    lines.append(.dropped("", reason: "malformed_input"))
                } else {
                    let text =
                        index % 1009 == 700
                        ? previousText.uppercased() : "Export entry \(Words.spell(index)) about the harbour."
                    body += #"{"id":"b\#(index)","text":"\#(text)"}"# + "\n"
                    let key = text.lowercased()
                    if keptKeys.insert(key).inserted {
                        lines.append(.kept(text))
                    } else {
                        lines.append(.dropped(text, reason: "exact_duplicate"))
                    }
                    previousText = text
                }
            }
            return (body, lines)
        }

        /// Runs one of the scripts in scripts/torture/ against the binaries under test and checks the
        /// figures every storm prints: every input and every document accounted for exactly once.
        static func storm(_ script: String, _ arguments: [String], timeout: Duration) throws -> CommandResult {
            try Binaries.check()
            let result = try Command.run(
                "/usr/bin/env",
                ["python3", Binaries.packageRoot + "/scripts/torture/" + script, "--bin", Binaries.directory]
                    + arguments,
                scratch: FileManager.default.temporaryDirectory.path, timeout: timeout)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("lost 0, doubled 0, torn 0, unexpected 0"), "\(result)")
            #expect(result.stdout.contains("unaccounted 0, twice 0"), "\(result)")
            #expect(result.stdout.contains("integrity_check ok"), "\(result)")
            return result
        }

        @Test("kill storm: 300 mixed inputs, winnowd killed 8 times at random moments; nothing lost, doubled or torn")
        func killStorm() throws {
            _ = try Self.storm(
                "kill_storm.py", ["--files", "300", "--kills", "8", "--seed", "3"], timeout: .seconds(300))
        }

        @Test(
            "power loss: 150 mixed inputs on an ext4 image whose power is cut 5 times; nothing lost, doubled or torn",
            .disabled(if: LoopFileSystem.unavailableReason != nil, "needs root and a loop-mounted ext4 image"))
        func powerLoss() throws {
            let result = try Self.storm(
                "power_loss.py", ["--files", "150", "--cuts", "5", "--seed", "3", "--image-mb", "256"],
                timeout: .seconds(100))
            #expect(result.stdout.contains("-> works"), "the cut drops unsynced writes: \(result)")
            #expect(result.stdout.contains("shards shorter than committed 0"), "\(result)")
            #expect(result.stdout.contains("e2fsck clean"), "\(result)")
        }

        @Test("a file that ends the daemon three times in a row at the same place is set aside; the daemon goes on")
        func fileThatKeepsEndingTheDaemon() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            // The test-only switch makes the pipeline hang on this document, as a real bug might.
            let hang = ["WINNOW_TEST_HANG_ON": "HANG-HERE"]
            try sandbox.drop("bad.txt", "This document HANG-HERE never finishes.\n")
            for round in 1...3 {
                let daemon = try sandbox.launch(environment: hang)
                try sandbox.waitUntil("round \(round): winnowd stuck in bad.txt", daemon: daemon) {
                    let result = try sandbox.ctl(["status", "--json"])
                    return result.status == 0 && result.stdout.contains(#""current_file":"bad.txt""#)
                }
                daemon.send(SIGKILL)
                _ = try daemon.waitForExit()
                #expect(sandbox.names(in: sandbox.claimed).count == 1)
            }
            let daemon = try sandbox.launch(environment: hang)
            try sandbox.waitUntil("bad.txt set aside", daemon: daemon) {
                sandbox.names(in: sandbox.failed).contains("bad.txt.error.json")
            }
            let reason = try String(contentsOfFile: sandbox.failed + "/bad.txt.error.json", encoding: .utf8)
            #expect(reason.contains("winnowd ended 3 times in a row while processing this file"), "\(reason)")
            try sandbox.dropAndWait(["good.txt": "A healthy document after the bad one.\n"], daemon: daemon)
            #expect(try sandbox.readOutput().records.map(\.text) == ["A healthy document after the bad one."])
            #expect(sandbox.names(in: sandbox.claimed).isEmpty)
        }

        @Test("kill -9 mid-batch, three times: after restarts every document is written exactly once")
        func killNineMidBatch() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let config = Sandbox.batchConfig(documents: 100, extra: "[output]\nshard_max_bytes = 1000000\n")
            let count = 20_000
            let (body, lines) = Self.bigInput(count: count)
            let bigPath = try sandbox.stage("big.jsonl", body)
            let smallNames = (0..<50).map { String(format: "small-%02d.txt", $0) }

            var daemon = try sandbox.start(config: config)
            try sandbox.moveIn(bigPath, as: "big.jsonl")
            for (number, name) in smallNames.enumerated() {
                try sandbox.drop(name, "Small file \(Words.spell(number)) beside the big export.\n")
            }

            // Estimate the size of the finished big file's records from the first batch.
            try sandbox.waitUntil("the first batch of big.jsonl is committed", daemon: daemon) {
                sandbox.recordBytes > 0
            }
            let firstBytes = sandbox.recordBytes
            let first = try sandbox.readOutput()
            let averageLine = max(1, firstBytes / max(1, first.records.count))
            let keptCount = lines.filter { if case .kept = $0 { true } else { false } }.count
            let expectedBytes = averageLine * keptCount

            var killsMidFile = 0
            for fraction in [0.2, 0.5, 0.8] {
                let threshold = Int(Double(expectedBytes) * fraction)
                try sandbox.waitUntil(
                    "records reach \(Int(fraction * 100))% of big.jsonl", timeout: .seconds(60), daemon: daemon,
                    detail: { "record bytes \(sandbox.recordBytes) of about \(expectedBytes)" }
                ) {
                    sandbox.recordBytes >= threshold || sandbox.names(in: sandbox.archive).contains("big.jsonl")
                }
                daemon.send(SIGKILL)
                let (signal, signaled) = try daemon.waitForExit()
                #expect(signaled && signal == SIGKILL)
                if sandbox.names(in: sandbox.claimed).contains(where: { $0.hasSuffix("-big.jsonl") }) {
                    killsMidFile += 1
                }
                // Not waiting for "running": the restarted daemon first finishes what it had claimed.
                daemon = try sandbox.start(config: config, until: [])
            }
            #expect(killsMidFile >= 1, "no kill landed while big.jsonl was in progress")

            try sandbox.waitUntilArchived(["big.jsonl"] + smallNames, daemon: daemon, timeout: .seconds(90))
            let output = try sandbox.readOutput()
            #expect(output.tornLines.isEmpty, "torn lines: \(output.tornLines.prefix(5))")
            #expect(sandbox.names(in: sandbox.claimed).isEmpty)
            #expect(sandbox.names(in: sandbox.failed).isEmpty)
            #expect(
                sandbox.names(in: sandbox.archive).count == smallNames.count + 1,
                "\(sandbox.names(in: sandbox.archive))")
            #expect(output.recordShards.count > 1, "records rotated over several shards")
            #expect(sandbox.daemons.contains { $0.log.contains("resuming a claimed file") } || killsMidFile == 0)

            let all = output.all
            let ids = Dictionary(grouping: all, by: \.id)
            let repeated = ids.filter { $0.value.count > 1 }
            #expect(
                repeated.isEmpty,
                "\(repeated.count) ids written more than once, e.g. \(repeated.keys.sorted().prefix(5))")

            // The big file: every non-blank line once, with the right outcome.
            let big = all.filter { $0.file == "big.jsonl" }
            #expect(Set(big.map(\.sourceHash)).count == 1)
            var byIndex: [Int: OutputRecord] = [:]
            for record in big {
                guard let index = record.index else {
                    Issue.record("unparseable id \(record.id)")
                    continue
                }
                byIndex[index] = record
            }
            var missing: [Int] = []
            var wrong: [String] = []
            for (index, line) in lines.enumerated() {
                let record = byIndex.removeValue(forKey: index)
                switch line {
                case .blank:
                    if record != nil { wrong.append("line \(index + 1) is blank but has a record") }
                case .kept(let text):
                    guard let record else {
                        missing.append(index)
                        continue
                    }
                    if record.reason != nil || record.text != text {
                        wrong.append("line \(index + 1): \(record.reason ?? "kept") \(record.text)")
                    }
                case .dropped(_, let reason):
                    guard let record else {
                        missing.append(index)
                        continue
                    }
                    if record.reason != reason {
                        wrong.append("line \(index + 1): \(record.reason ?? "kept"), expected \(reason)")
                    }
                }
                if let record, record.line != index + 1 {
                    wrong.append("line \(index + 1): metadata.line \(record.line ?? -1)")
                }
            }
            #expect(
                missing.isEmpty,
                "\(missing.count) lines of big.jsonl missing, e.g. \(missing.prefix(10).map { $0 + 1 })")
            #expect(wrong.isEmpty, "\(wrong.count) wrong, e.g. \(wrong.prefix(5))")
            #expect(byIndex.isEmpty, "records for lines that do not exist: \(byIndex.keys.sorted().prefix(5))")

            // The small files: one record each.
            let small = Dictionary(grouping: all.filter { $0.file?.hasPrefix("small-") == true }, by: { $0.file ?? "" })
            #expect(Set(small.keys) == Set(smallNames))
            #expect(small.values.allSatisfy { $0.count == 1 && $0[0].reason == nil })

            // The persisted counters agree with the output.
            let status = try sandbox.status()
            #expect(status.documents.kept == output.records.count)
            #expect(status.documents.dropped == output.rejected.count)
            #expect(status.files.done == smallNames.count + 1)
            #expect(status.files.failed == 0)
        }

        @Test("while a restarted daemon resumes a claimed file, status says running and names the file")
        func statusWhileResuming() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let config = Sandbox.batchConfig(documents: 50)
            let count = 8000
            let body =
                (0..<count).map { #"{"text":"Resumed entry \#(Words.spell($0))."}"# }.joined(separator: "\n") + "\n"
            let crashed = try sandbox.start(config: config)
            try sandbox.moveIn(try sandbox.stage("resume.jsonl", body), as: "resume.jsonl")
            try sandbox.waitUntil("the first batch of resume.jsonl is committed", daemon: crashed) {
                sandbox.recordBytes > 0
            }
            crashed.send(SIGKILL)
            try crashed.waitForExit()
            try #require(sandbox.names(in: sandbox.claimed).count == 1, "resume.jsonl finished before the kill")

            let daemon = try sandbox.start(config: config, until: [])
            let status = try sandbox.status()
            if sandbox.names(in: sandbox.claimed).count == 1 {
                // Still claimed after the status was taken: the daemon was resuming it.
                #expect(status.state == "running", "documented states are running and paused")
                #expect(status.currentFile == "resume.jsonl")
                #expect(status.files.processing == 1)
            }
            try sandbox.waitUntilArchived(["resume.jsonl"], daemon: daemon)
            let output = try sandbox.readOutput()
            #expect(output.tornLines.isEmpty)
            #expect(output.records.count == count)
            #expect(Set(output.records.compactMap(\.index)) == Set(0..<count))
            #expect(try sandbox.status().state == "running")
        }
    }
}
