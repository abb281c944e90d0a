import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// winnowctl's conventions: exit statuses, --json, and the commands that need no daemon.
    @Suite("winnowctl")
    struct WinnowctlCommands {
        @Test("exit status 2 for a wrong command line, with the usage on stderr and nothing on stdout")
        func usageErrors() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            for arguments in [
                ["bogus"], ["retry"], ["retry", "--all", "3"], ["failed", "--limit", "many"], ["submit"],
            ] {
                let result = try sandbox.ctl(arguments)
                #expect(result.status == 2, "\(arguments): \(result)")
                #expect(result.stderr.contains("Usage: winnowctl"), "\(arguments): \(result)")
                #expect(result.stdout.isEmpty, "\(arguments): \(result)")
            }
            let help = try sandbox.ctl(["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Exit status: 0 done; 1 the command failed"), "\(help)")
        }

        @Test("version: winnowctl's own always, the daemon's when one runs")
        func version() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let alone = try sandbox.ctl(["version", "--json"])
            #expect(alone.status == 0, "\(alone)")
            let version = try #require(try JSON.parse(Data(alone.stdout.utf8))["winnowctl"]?.string)
            #expect(version.split(separator: ".").count == 3)
            #expect(try JSON.parse(Data(alone.stdout.utf8))["winnowd"] == .null)
            try sandbox.start()
            let both = try sandbox.ctl(["version"])
            #expect(both.stdout == "winnowctl \(version)\nwinnowd    \(version)\n", "\(both)")
            let daemon = try Command.run(Binaries.winnowd, ["--version"], scratch: sandbox.scratch)
            #expect(daemon.stdout == version + "\n")
        }

        @Test("config check: a good file prints what would run (exit 0), a bad one each problem (exit 1)")
        func configCheck() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let shipped = Binaries.packageRoot + "/Deploy/winnow.toml"
            let good = try sandbox.ctl(["config", "check", shipped])
            #expect(good.status == 0, "\(good)")
            #expect(good.stdout.hasPrefix("\(shipped): ok\ninbox:  ./Inbox\n"), "\(good)")
            let json = try JSON.parse(Data(try sandbox.ctl(["config", "check", "--json", shipped]).stdout.utf8))
            #expect(json["ok"] == .bool(true))
            #expect(json["stages"]?.array?.isEmpty == false)

            let typo = try sandbox.writeConfig("[inbox]\nsettle = 3\n", name: "typo.toml")
            let bad = try sandbox.ctl(["config", "check", typo])
            #expect(bad.status == 1, "\(bad)")
            #expect(bad.stderr.contains("unknown key 'inbox.settle'"), "\(bad)")
            #expect(bad.stdout.isEmpty)
            let stage = try sandbox.writeConfig("[pipeline]\nstages = [\"no_such_stage\"]\n", name: "stage.toml")
            let refused = try sandbox.ctl(["config", "check", "--json", stage])
            #expect(refused.status == 1)
            #expect(try JSON.parse(Data(refused.stdout.utf8))["ok"] == .bool(false))
            #expect(refused.stdout.contains("no_such_stage"), "\(refused)")
            let missing = try sandbox.ctl(["config", "check", sandbox.root + "/absent.toml"])
            #expect(missing.status == 1 && missing.stderr.contains("absent.toml"), "\(missing)")
        }

        @Test("submit copies files into the daemon's inbox under a hidden name and renames them whole")
        func submit() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            // 40 MB of JSONL: were the daemon to see it half-copied, documents would be missing.
            var body = ""
            for index in 0..<100_000 {
                body += #"{"text":"Submitted document \#(Words.spell(index)), with enough words to be a line."}"# + "\n"
            }
            let big = try sandbox.stage("big.jsonl", body)
            let small = try sandbox.stage("small.txt", "A small submitted file.")
            let result = try sandbox.ctl(["submit", big, small])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("submitted  \(big) as \(sandbox.inbox)/big.jsonl"), "\(result)")
            try sandbox.waitUntilArchived(["big.jsonl", "small.txt"], daemon: daemon, timeout: .seconds(90))
            let output = try sandbox.readOutput()
            #expect(output.records.count == 100_001)
            #expect(sandbox.names(in: sandbox.inbox).isEmpty, "no temporary file is left behind")

            // Without a daemon, into a named inbox; a name already waiting is not replaced.
            let inbox = sandbox.root + "/other-inbox"
            try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
            let first = try sandbox.ctl(
                ["submit", "--inbox", inbox, small], socket: .some(sandbox.root + "/none.sock"))
            #expect(first.status == 0, "\(first)")
            let again = try sandbox.ctl(["submit", "--json", "--inbox", inbox, small, sandbox.root + "/absent.txt"])
            #expect(again.status == 1, "\(again)")
            let results = try JSON.parse(Data(again.stdout.utf8))["results"]?.array ?? []
            #expect(results.count == 2)
            #expect(results.first?["error"]?.string?.contains("already waiting in the inbox") == true, "\(again)")
            #expect(results.last?["error"]?.string?.contains("absent.txt") == true, "\(again)")
            #expect(sandbox.names(in: inbox) == ["small.txt"])
            let dot = try sandbox.stage(".hidden.txt", "x")
            let hidden = try sandbox.ctl(["submit", "--inbox", inbox, dot])
            #expect(hidden.status == 1 && hidden.stdout.contains("start with a dot"), "\(hidden)")
        }

        @Test(
            "failed lists a file set aside with its reason; retry puts it back once the cause is fixed, and its records come"
        )
        func retryFailedFile() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let tight = Sandbox.fastConfig + "\n[limits]\nmax_decompressed_bytes = 10000\n"
            var daemon = try sandbox.start(config: tight)
            var body = ""
            for index in 0..<400 { body += #"{"text":"Retried document \#(Words.spell(index))."}"# + "\n" }
            let compressed = try sandbox.stageGzipped("many.jsonl", body)
            try sandbox.moveIn(compressed, as: "many.jsonl.gz")
            try sandbox.waitUntil("the file is set aside", daemon: daemon) {
                sandbox.names(in: sandbox.failed).contains("many.jsonl.gz")
            }
            let listed = try JSON.parse(Data(try sandbox.ctl(["failed", "--json"]).stdout.utf8))
            let file = try #require(listed["files"]?.array?.first)
            #expect(file["file"]?.string == "many.jsonl.gz")
            #expect(file["reason"]?.string?.contains("10000") == true, "\(file)")
            let id = try #require(file["id"]?.int)
            let text = try sandbox.ctl(["failed"])
            #expect(text.stdout.contains("f\(id)  "), "\(text)")
            #expect(text.stdout.contains("many.jsonl.gz"), "\(text)")
            let committed = try sandbox.readOutput().records.count

            // The cause fixed: the daemon restarted with the default cap. Retried, the file goes through.
            daemon = try sandbox.restart(daemon, config: Sandbox.fastConfig)
            let retry = try sandbox.ctl(["retry", "f\(id)"])
            #expect(retry.status == 0 && retry.stdout.contains("put back in the inbox: 1 file"), "\(retry)")
            try sandbox.waitUntilArchived(["many.jsonl.gz"], daemon: daemon)
            let records = try sandbox.readOutput().records
            #expect(records.count == 400, "committed before the failure: \(committed)")
            #expect(Set(records.map(\.text)).count == 400)
            #expect(!sandbox.exists(sandbox.failed + "/many.jsonl.gz.error.json"))
            let after = try JSON.parse(Data(try sandbox.ctl(["failed", "--json"]).stdout.utf8))
            #expect(after["files"]?.array?.isEmpty == true, "\(after)")
            let unknown = try sandbox.ctl(["retry", "f\(id)"])
            #expect(unknown.status == 1 && unknown.stdout.contains("no failed file has this id"), "\(unknown)")
        }

        @Test(
            "stats: documents by reason, source, language and hour, removed lines by rule, duplicate clusters largest first"
        )
        func stats() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            let lines = [
                #"{"text":"The first story from the harbour.","url":"https://News.Example:8443/a"}"#,
                #"{"text":"The FIRST story from the harbour!","url":"https://news.example/b"}"#,
                #"{"text":"the first story from the harbour","url":"http://user@news.example/c"}"#,
                #"{"text":"A second story, from the valley.","url":"https://other.example/d"}"#,
                #"{"text":"   ","url":"https://other.example/e"}"#,
                #"{"text":"A second story, from the valley?"}"#,
            ]
            try sandbox.dropAndWait(
                ["feed.jsonl": lines.joined(separator: "\n") + "\n", "note.txt": "A note dropped in the inbox."],
                daemon: daemon)
            let result = try sandbox.ctl(["stats", "--json"])
            #expect(result.status == 0, "\(result)")
            let stats = try JSON.parse(Data(result.stdout.utf8))
            #expect(stats["documents"]?["kept"]?.int == 3)
            #expect(stats["documents"]?["dropped_by_reason"]?["exact_duplicate"]?.int == 3)
            #expect(stats["documents"]?["dropped_by_reason"]?["empty"]?.int == 1)
            let sources = (stats["by_source"]?.array ?? []).map {
                "\($0["source"]?.string ?? "?") \($0["kept"]?.int ?? -1)/\($0["dropped"]?.int ?? -1)"
            }
            #expect(sources == ["news.example 1/2", "inbox 1/1", "other.example 1/1"], "\(sources)")
            let clusters = stats["duplicate_clusters"]?.array ?? []
            #expect(clusters.map { $0["copies"]?.int } == [2, 1], "\(clusters)")
            let hours = stats["by_hour"]?.array ?? []
            #expect(hours.count == 1 && hours.first?["kept"]?.int == 3, "\(hours)")
            #expect(stats["by_language"]?.array?.first?["lang"]?.string == "und")
            let text = try sandbox.ctl(["stats"])
            #expect(
                text.stdout.hasPrefix("documents: 3 kept, 4 dropped; files: 2 done, 0 failed, 0 duplicate\n"), "\(text)"
            )
            #expect(text.stdout.contains("\nnews.example   1     2        67%\n"), "\(text)")
        }

        @Test(
            "show ID prints a stored record found through the ledger, with its rejected copies and where they came from"
        )
        func show() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start(config: Sandbox.batchConfig(documents: 2))
            var lines: [String] = []
            for index in 0..<9 { lines.append(#"{"text":"Filler story \#(Words.spell(index)) for the shard."}"#) }
            lines += [
                #"{"text":"The story everyone copied."}"#, #"{"text":"the story everyone copied"}"#,
                #"{"text":"The story everyone copied!","url":"https://copier.example/x"}"#,
            ]
            try sandbox.dropAndWait(["copies.jsonl": lines.joined(separator: "\n") + "\n"], daemon: daemon)
            let output = try sandbox.readOutput()
            let kept = try #require(output.records.first { $0.text == "The story everyone copied." })
            let result = try sandbox.ctl(["show", "--json", kept.id])
            #expect(result.status == 0, "\(result)")
            let answer = try JSON.parse(Data(result.stdout.utf8))
            #expect(answer["record"]?["id"]?.string == kept.id)
            #expect(answer["record"]?["text"]?.string == kept.text)
            #expect(answer["stream"]?.string == "records")
            // The offset is where the line really is.
            let shard = try #require(answer["shard"]?.string)
            let offset = try #require(answer["offset"]?.int)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: sandbox.output + "/records/" + shard))
            #expect(
                String(decoding: bytes[offset...].prefix(8 + kept.id.count), as: UTF8.self) == #"{"id":"\#(kept.id)""#)
            let copies = answer["copies"]?.array ?? []
            #expect(copies.map { $0["kind"]?.string } == ["exact", "exact"])
            #expect(copies.map { $0["line"]?.int } == [11, 12], "\(copies)")
            #expect(copies.last?["url"]?.string == "https://copier.example/x")
            let text = try sandbox.ctl(["show", kept.id])
            #expect(text.stdout.contains("2 rejected copies:"), "\(text)")
            #expect(text.stdout.contains("copies.jsonl line 11"), "\(text)")

            let copy = try #require(copies.first?["id"]?.string)
            let rejected = try JSON.parse(Data(try sandbox.ctl(["show", "--json", copy]).stdout.utf8))
            #expect(rejected["stream"]?.string == "rejected")
            #expect(rejected["record"]?["metadata"]?["duplicate_of"]?.string == kept.id)
            let missing = try sandbox.ctl(["show", "0123456789abcdef0123456789abcdef-7"])
            #expect(missing.status == 1 && missing.stderr.contains("no record has the id"), "\(missing)")
        }

        @Test("the man pages in Deploy/man describe every command there is (scripts/generate-manuals rewrites them)")
        func manualsAreCurrent() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let help = try sandbox.ctl(["--help"])
            // Command lines start two spaces in; their wrapped descriptions further.
            let section = help.stdout.components(separatedBy: "SUBCOMMANDS:").last ?? ""
            var commands: [String] = []
            for line in section.split(separator: "\n") where line.hasPrefix("  ") && !line.hasPrefix("   ") {
                let word = String(line.split(separator: " ")[0])
                if word != "See" { commands.append(word) }
            }
            #expect(commands.contains("submit") && commands.contains("show"), "\(help)")
            let page = try sandbox.read(Binaries.packageRoot + "/Deploy/man/winnowctl.1")
            for command in commands {
                #expect(
                    page.contains(".It Em \(command)\n"), "winnowctl.1 lacks \(command): run scripts/generate-manuals")
            }
            let daemon = try sandbox.read(Binaries.packageRoot + "/Deploy/man/winnowd.1")
            let flags = try Command.run(Binaries.winnowd, ["--help"], scratch: sandbox.scratch).stdout
            for flag in ["--inbox", "--output", "--state", "--config", "--once"] {
                #expect(flags.contains(flag) && daemon.contains("Fl \(flag.dropFirst())"), "winnowd.1 lacks \(flag)")
            }
            let bash = try sandbox.ctl(["--generate-completion-script", "bash"], socket: .none)
            #expect(bash.status == 0 && bash.stdout.contains("submit"), "\(bash)")
        }

        @Test("watch prints one line per refresh when not on a terminal, and JSON lines with rates under --json")
        func watch() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            try sandbox.dropAndWait(["first.txt": "A first file, done before watching."], daemon: daemon)
            let lines = try sandbox.ctl(["watch", "--count", "3", "--interval", "0.1"])
            #expect(lines.status == 0, "\(lines)")
            let printed = lines.stdout.split(separator: "\n")
            #expect(printed.count == 3, "\(lines)")
            for line in printed {
                #expect(line.contains(" running  files 1 (") && line.contains("MB/s  queue 0 (0.0 MB)"), "\(line)")
            }
            let json = try sandbox.ctl(["watch", "--json", "--count", "2", "--interval", "0.1"])
            let objects = try json.stdout.split(separator: "\n").map { try JSON.parse(Data($0.utf8)) }
            #expect(objects.count == 2)
            #expect(objects.allSatisfy { $0["rates"]?["files_per_second"]?.double == 0 }, "\(json)")
            #expect(objects.first?["files"]?["bytes_done"]?.int == 35, "\(json)")
            #expect(try sandbox.ctl(["watch", "--interval", "0"]).status == 2)
        }
    }
}

extension EndToEnd {
    /// `winnowctl report`: one HTML file of charts that renders in a real browser.
    @Suite("Report")
    struct Report {
        static let chromium = Command.which("chromium")

        /// Distinct colours in a PNG (8-bit RGB or RGBA, as Chromium writes), counted by Python's
        /// zlib: a blank page has one.
        static let colourCount = """
            import struct, sys, zlib
            data = open(sys.argv[1], "rb").read()
            assert data[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
            pos, chunks, width, height, kind = 8, b"", 0, 0, 0
            while pos < len(data):
                size, tag = struct.unpack(">I4s", data[pos:pos + 8])
                body = data[pos + 8:pos + 8 + size]
                if tag == b"IHDR":
                    width, height, depth, kind = struct.unpack(">IIBB", body[:10])
                elif tag == b"IDAT":
                    chunks += body
                pos += 12 + size
            raw, step = zlib.decompress(chunks), {2: 3, 6: 4}[kind]
            stride, colours, previous = width * step, set(), bytearray(width * step)
            for row in range(height):
                start = row * (stride + 1)
                kind_of_filter, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
                for i in range(stride):
                    a = line[i - step] if i >= step else 0
                    b, c = previous[i], previous[i - step] if i >= step else 0
                    if kind_of_filter == 1: line[i] = (line[i] + a) & 255
                    elif kind_of_filter == 2: line[i] = (line[i] + b) & 255
                    elif kind_of_filter == 3: line[i] = (line[i] + (a + b) // 2) & 255
                    elif kind_of_filter == 4:
                        p = a + b - c
                        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                        line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                for i in range(0, stride, step * 7):
                    colours.add(bytes(line[i:i + 3]))
                previous = line
            print(len(colours))
            """

        @Test(
            "report --out writes one self-contained HTML file whose charts render in headless Chromium",
            .enabled(if: chromium != nil, "needs Debian's chromium"))
        func rendersInABrowser() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            var lines: [String] = []
            for index in 0..<6 {
                let text = "Story \(Words.spell(index)) from the harbour."
                lines.append(#"{"text":"\#(text)","url":"https://site-\#(index % 3).example/\#(index)"}"#)
                lines.append(#"{"text":"\#(text.uppercased())","url":"https://copies.example/\#(index)"}"#)
            }
            lines.append(#"{"text":"  "}"#)
            try sandbox.dropAndWait(["feed.jsonl": lines.joined(separator: "\n") + "\n"], daemon: daemon)
            let page = sandbox.root + "/report.html"
            let result = try sandbox.ctl(["report", "--out", page])
            #expect(result.status == 0 && result.stdout.hasPrefix("wrote \(page)"), "\(result)")
            let html = try sandbox.read(page)
            #expect(html.components(separatedBy: "<svg ").count - 1 == 4, "four charts; no line rules in this pipeline")
            #expect(html.contains("<h2>Lines removed, by rule</h2>\n<p class=\"none\">none yet</p>"))
            #expect(html.components(separatedBy: "<rect ").count - 1 >= 10)
            #expect(html.contains("copies.example (6)") && html.contains("exact: https://copies.example/0"))
            for external in ["<script", "<link", "src=", "url(", "@import"] {
                #expect(!html.contains(external), "the page loads nothing: \(external)")
            }

            let shot = sandbox.root + "/report.png"
            let browser = try Command.run(
                Self.chromium!,
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,1400",
                    "--screenshot=\(shot)", "file://\(page)",
                ], scratch: sandbox.scratch, environment: ["HOME": sandbox.scratch], timeout: .seconds(90))
            #expect(sandbox.exists(shot), "\(browser)")
            let script = try sandbox.writeConfig(Self.colourCount, name: "colours.py")
            let colours = try Command.run("/usr/bin/env", ["python3", script, shot], scratch: sandbox.scratch)
            let count = Int(colours.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            // White, text, green and red bars at the least.
            #expect(count >= 4, "\(colours)")
        }
    }
}

extension EndToEnd {
    /// `winnowd --once` says how far it is: a bar on a terminal, log lines otherwise.
    @Suite("Batch progress")
    struct BatchProgress {
        /// Three JSONL files of 3,000 documents in the inbox.
        static func fill(_ sandbox: Sandbox) throws {
            for file in 0..<3 {
                var body = ""
                for line in 0..<3000 {
                    body += #"{"text":"Batch document \#(Words.spell(file * 3000 + line)) about the harbour."}"# + "\n"
                }
                try sandbox.drop("batch-\(file).jsonl", body)
            }
        }

        @Test("not on a terminal: progress log lines with percent, MB, rate and ETA every --progress-interval")
        func logLines() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            try Self.fill(sandbox)
            let run = try Command.run(
                Binaries.winnowd, sandbox.pathArguments + ["--once", "--progress-interval", "0.1"],
                scratch: sandbox.scratch, timeout: .seconds(120))
            #expect(run.status == 0, "\(run)")
            let lines = run.stderr.split(separator: "\n").filter { $0.contains(" progress ") }
            #expect(!lines.isEmpty, "\(run.stderr)")
            for line in lines {
                for key in ["percent=", "done_mb=", "total_mb=", "mb_per_s=", "eta_s=", "files_done="] {
                    #expect(line.contains(key), "\(line)")
                }
            }
            #expect(try sandbox.readOutput().records.count == 9000)
        }

        @Test(
            "on a terminal: a bar redrawn in place, ending at 100% with every file done",
            .enabled(if: Command.which("script") != nil, "needs script (util-linux) for a pseudo-terminal"))
        func bar() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            try Self.fill(sandbox)
            let command = ([Binaries.winnowd] + sandbox.pathArguments + ["--once", "--log-level", "error"])
                .map { "'\($0)'" }.joined(separator: " ")
            let run = try Command.run(
                Command.which("script")!, ["-qec", command, "/dev/null"], scratch: sandbox.scratch,
                timeout: .seconds(120))
            #expect(run.status == 0, "\(run)")
            let frames = run.stdout.components(separatedBy: "\r\u{1B}[K").filter { !$0.isEmpty }
            #expect(!frames.isEmpty, "\(run)")
            let last = frames.last ?? ""
            #expect(last.hasPrefix("[########################] 100%  "), "\(last)")
            #expect(last.contains(" MB/s  ETA ") && last.contains("3 files done, 0 waiting"), "\(last)")
        }
    }
}

extension EndToEnd {
    /// Every `--json` output against its schema in docs/schemas (the contract for scripts).
    @Suite("JSON outputs")
    struct JSONOutputs {
        static func schema(_ name: String) throws -> JSON {
            try JSON.parse(Data(contentsOf: URL(fileURLWithPath: Binaries.packageRoot + "/docs/schemas/\(name).json")))
        }

        @Test("each command's --json output conforms to docs/schemas/<command>.json")
        func conform() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            try sandbox.drop("bin.txt", Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 64)))
            let feed = #"{"text":"A story.","url":"https://a.example/1"}"# + "\n" + #"{"text":"a story"}"# + "\n"
            try sandbox.dropAndWait(["feed.jsonl": feed], daemon: daemon)
            let kept = try #require(try sandbox.readOutput().records.first?.id)
            let note = try sandbox.stage("note.txt", "A submitted note.")
            let config = Binaries.packageRoot + "/Deploy/winnow.toml"
            let cases: [(schema: String, arguments: [String])] = [
                ("status", ["status"]), ("version", ["version"]), ("failed", ["failed"]), ("stats", ["stats"]),
                ("show", ["show", kept]), ("watch", ["watch", "--count", "1"]), ("submit", ["submit", note]),
                ("enqueue", ["enqueue", "file:///etc/passwd"]), ("config-check", ["config", "check", config]),
                ("report", ["report", "--out", sandbox.root + "/report.html"]), ("pause", ["pause"]),
                ("resume", ["resume"]), ("retry", ["retry", "--all"]),
                ("dupes", ["dupes", try sandbox.stage("copy.jsonl", feed)]), ("metrics", ["metrics"]),
                ("submit", ["submit", "--folder", "wire", try sandbox.stage("wired.txt", "A wired note.")]),
            ]
            for (name, arguments) in cases {
                let result = try sandbox.ctl(arguments + ["--json"])
                let value = try JSON.parse(Data(result.stdout.utf8))
                let problems = JSONSchema.problems(value, against: try Self.schema(name))
                #expect(problems.isEmpty, "\(arguments): \(problems)\n\(result.stdout)")
            }
            // The validator itself rejects what does not conform.
            let wrong = try JSON.parse(Data(#"{"winnowctl": 1, "extra": true}"#.utf8))
            #expect(JSONSchema.problems(wrong, against: try Self.schema("version")).count == 3)
        }
    }
}

extension EndToEnd {
    /// Help texts are part of the interface: each is compared in full with Tests/Support/help/.
    @Suite("Help texts")
    struct HelpTexts {
        static let directory = Binaries.packageRoot + "/Tests/Support/help"
        static let commands = [
            "", "status", "watch", "pause", "resume", "submit", "enqueue", "failed", "retry", "reload", "stats",
            "report", "metrics", "show", "dupes", "clean", "config", "config check", "version",
        ]

        /// `WINNOW_UPDATE_HELP=1` rewrites the expected texts from the binary (then review the diff).
        @Test("winnowctl help <command> prints exactly the reviewed text, for every command")
        func helpInFull() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let update = ProcessInfo.processInfo.environment["WINNOW_UPDATE_HELP"] == "1"
            for command in Self.commands {
                let arguments = ["help"] + command.split(separator: " ").map(String.init)
                let result = try sandbox.ctl(arguments, socket: .none, environment: ["COLUMNS": "80"])
                #expect(result.status == 0, "\(arguments): \(result)")
                let file =
                    Self.directory + "/"
                    + (command.isEmpty ? "winnowctl" : command.replacingOccurrences(of: " ", with: "-")) + ".txt"
                if update {
                    try FileManager.default.createDirectory(atPath: Self.directory, withIntermediateDirectories: true)
                    try Data(result.stdout.utf8).write(to: URL(fileURLWithPath: file))
                }
                let expected = try sandbox.read(file)
                #expect(result.stdout == expected, "winnowctl \(arguments.joined(separator: " ")) differs from \(file)")
            }
            let daemon = try Command.run(
                Binaries.winnowd, ["--help"], scratch: sandbox.scratch, environment: ["COLUMNS": "80"])
            if update { try Data(daemon.stdout.utf8).write(to: URL(fileURLWithPath: Self.directory + "/winnowd.txt")) }
            #expect(daemon.stdout == (try sandbox.read(Self.directory + "/winnowd.txt")))
        }
    }
}
