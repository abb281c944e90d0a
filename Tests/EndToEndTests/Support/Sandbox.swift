import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A private world for one test: a short temporary root under /tmp (Unix socket paths must stay
/// under 108 bytes) holding the inbox, output and state directories, config files and daemon logs.
/// `cleanup()` kills every daemon the sandbox launched and removes the root; set
/// `WINNOW_KEEP_SANDBOX=1` to keep the roots for inspection.
final class Sandbox {
    let root: String
    let inbox: String
    let output: String
    let state: String
    let scratch: String
    private(set) var daemons: [DaemonProcess] = []

    /// The default configuration: short settle and rescan times so tests do not wait for nothing.
    static let fastConfig = """
        [inbox]
        settle_ms = 50
        rescan_interval_s = 1
        """

    /// The stages these tests run unless a configuration names its own: the normalizers and exact
    /// dedup. The content rules (language, quality) need documents of real length; they have their own
    /// tests, and `ControlTests.defaultPaths` runs the shipped default pipeline.
    static let mechanicalPipeline = """
        [pipeline]
        stages = ["unicode_nfc", "whitespace", "empty", "exact_dedup"]
        """

    /// `fastConfig` with JSONL inputs committed every `documents` lines, plus any `extra` sections.
    static func batchConfig(documents: Int, extra: String = "") -> String {
        fastConfig + "\n[batch]\ndocuments = \(documents)\n" + extra
    }

    /// Things to undo before the root is removed (after the daemons are stopped), last first.
    private var teardown: [() -> Void] = []

    /// With `dataDirectory`, the inbox, output and state live in that subdirectory of the root,
    /// which `prepare` is given first (to mount a file system there, say); logs, configuration
    /// and scratch files stay outside it.
    init(dataDirectory: String? = nil, prepare: (String) throws -> Void = { _ in }) throws {
        var template = Array("/tmp/wn-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw HarnessError("mkdtemp failed: errno \(errno)")
        }
        let root = String(cString: made)
        self.root = root
        let data = dataDirectory.map { root + "/" + $0 } ?? root
        inbox = data + "/in"
        output = data + "/out"
        state = data + "/st"
        scratch = root + "/tmp"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try prepare(data)
        for directory in [inbox, scratch] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    /// Runs `body` at cleanup, after the daemons are stopped and before the root is removed.
    func atCleanup(_ body: @escaping () -> Void) {
        teardown.append(body)
    }

    var socket: String { state + "/control.sock" }
    var claimed: String { state + "/claimed" }
    var archive: String { state + "/archive" }
    var failed: String { state + "/failed" }

    func cleanup() {
        for daemon in daemons { daemon.stop() }
        for body in teardown.reversed() { body() }
        let keep = ProcessInfo.processInfo.environment["WINNOW_KEEP_SANDBOX"] == "1"
        if keep {
            print("sandbox kept: \(root)")
            return
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    // MARK: Files

    /// Writes `name` in the inbox the way producers should: as a dotfile, then renamed into place.
    func drop(_ name: String, _ contents: String) throws {
        try drop(name, Data(contents.utf8))
    }

    func drop(_ name: String, _ contents: Data) throws {
        let hidden = inbox + "/." + name + ".writing"
        try contents.write(to: URL(fileURLWithPath: hidden))
        try rename(hidden, to: inbox + "/" + name)
    }

    /// Writes `name` directly in the inbox (open, write, close), as careless producers do.
    func writeInPlace(_ name: String, _ contents: String) throws {
        let path = inbox + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw HarnessError("open \(path): errno \(errno)") }
        defer { close(fd) }
        try writeAll(fd, Array(contents.utf8), path: path)
    }

    /// Writes a file outside the inbox (for compressing, linking or moving in later).
    @discardableResult
    func stage(_ name: String, _ contents: String) throws -> String {
        let path = scratch + "/" + name
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes `name` outside the inbox and compresses it with gzip; returns the `.gz` file's path.
    func stageGzipped(_ name: String, _ contents: String) throws -> String {
        let plain = try stage(name, contents)
        let gzip = try Command.run(Command.which("gzip") ?? "/usr/bin/gzip", [plain], scratch: scratch)
        guard gzip.status == 0 else { throw HarnessError("gzip \(plain): \(gzip)") }
        return plain + ".gz"
    }

    /// Renames `path` into the inbox as `name`.
    func moveIn(_ path: String, as name: String) throws {
        try rename(path, to: inbox + "/" + name)
    }

    func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw HarnessError("rename \(from) -> \(to): errno \(errno)") }
    }

    /// Sorted names in `directory` (empty if it does not exist).
    func names(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// Names in the inbox the daemon would take (not dotfiles): files at its top and
    /// `folder/name` for the files in its folders.
    var inboxNames: [String] {
        names(in: inbox).filter { !$0.hasPrefix(".") }.flatMap { name -> [String] in
            guard isDirectory(inbox + "/" + name) else { return [name] }
            return names(in: inbox + "/" + name).filter {
                !$0.hasPrefix(".") && !isDirectory(inbox + "/" + name + "/" + $0)
            }
            .map { name + "/" + $0 }
        }
    }

    func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    /// The records and rejected shards as they are now.
    func readOutput() throws -> OutputSnapshot {
        try OutputSnapshot.read(output: output)
    }

    /// Total bytes in `<output>/records`, cheap enough to poll.
    var recordBytes: Int {
        let directory = output + "/records"
        return names(in: directory).reduce(0) { total, name in
            var info = stat()
            return total + (stat(directory + "/" + name, &info) == 0 ? Int(info.st_size) : 0)
        }
    }

    /// Writes a configuration file and returns its path.
    @discardableResult
    func writeConfig(_ text: String, name: String = "winnow.toml") throws -> String {
        let path = root + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    // MARK: Processes

    /// The arguments that point winnowd at this sandbox.
    var pathArguments: [String] { ["--inbox", inbox, "--output", output, "--state", state] }

    /// Launches winnowd with `config` (written to a file) and the sandbox paths, plus `extra` arguments.
    @discardableResult
    func launch(
        config: String? = Sandbox.fastConfig, paths: Bool = true, _ extra: [String] = [],
        environment: [String: String] = [:], wrapper: [String] = []
    ) throws -> DaemonProcess {
        var arguments: [String] = []
        if let config {
            let text = config.contains("[pipeline]") ? config : config + "\n" + Sandbox.mechanicalPipeline + "\n"
            arguments += ["--config", try writeConfig(text, name: "winnow-\(daemons.count + 1).toml")]
        }
        if paths { arguments += pathArguments }
        arguments += extra
        let daemon = try DaemonProcess(
            arguments: arguments, logPath: root + "/winnowd-\(daemons.count + 1).log",
            directory: root, environment: environment, wrapper: wrapper)
        daemons.append(daemon)
        return daemon
    }

    /// Launches winnowd and waits until its control socket answers and it watches the inbox.
    @discardableResult
    func start(config: String? = Sandbox.fastConfig, _ extra: [String] = []) throws -> DaemonProcess {
        try start(config: config, extra, until: ["running", "paused"])
    }

    /// Launches winnowd and waits until its control socket answers with a state in `states`
    /// (any state when `states` is empty).
    @discardableResult
    func start(
        config: String? = Sandbox.fastConfig, _ extra: [String] = [], until states: Set<String>,
        wrapper: [String] = []
    ) throws -> DaemonProcess {
        let daemon = try launch(config: config, extra, wrapper: wrapper)
        let wanted = states.isEmpty ? "answers" : "answers with state \(states.sorted().joined(separator: " or "))"
        try waitUntil("winnowd \(wanted) on its control socket", daemon: daemon) {
            let result = try ctl(["status", "--json"])
            guard result.status == 0 else { return false }
            let status = try JSONDecoder().decode(DaemonStatus.self, from: Data(result.stdout.utf8))
            return states.isEmpty || states.contains(status.state)
        }
        return daemon
    }

    /// Stops `daemon` with SIGTERM (expecting a clean exit) and starts a new one with `config`.
    func restart(_ daemon: DaemonProcess, config: String? = Sandbox.fastConfig) throws -> DaemonProcess {
        daemon.send(SIGTERM)
        let exit = try daemon.waitForExit()
        guard exit.status == 0 else { throw HarnessError("winnowd exited with \(exit.status) on SIGTERM") }
        return try start(config: config)
    }

    /// Drops each file and waits until the daemon has archived them all.
    func dropAndWait(_ files: KeyValuePairs<String, String>, daemon: DaemonProcess) throws {
        for (name, contents) in files { try drop(name, contents) }
        try waitUntilArchived(files.map(\.key), daemon: daemon)
    }

    /// Runs winnowctl with `arguments` (and `--socket` for this sandbox unless `socket` is nil).
    func ctl(_ arguments: [String], socket: String?? = .some(nil), environment: [String: String] = [:]) throws
        -> CommandResult
    {
        var all = arguments
        switch socket {
        case .some(.none): all += ["--socket", self.socket]
        case .some(.some(let path)): all += ["--socket", path]
        case .none: break
        }
        return try Command.run(Binaries.winnowctl, all, scratch: scratch, directory: root, environment: environment)
    }

    /// `winnowctl status --json`, decoded; fails if winnowctl does not answer with exit 0.
    func status() throws -> DaemonStatus {
        let result = try ctl(["status", "--json"])
        guard result.status == 0 else { throw HarnessError("winnowctl status --json failed: \(result)\n\(logTail)") }
        do {
            return try JSONDecoder().decode(DaemonStatus.self, from: Data(result.stdout.utf8))
        } catch {
            throw HarnessError("cannot decode winnowctl status --json output (\(error)):\n\(result.stdout)")
        }
    }

    /// The tail of the most recent daemon's log, for failure messages.
    var logTail: String {
        guard let daemon = daemons.last else { return "(no daemon was started)" }
        return "--- winnowd log tail (\(daemon.logPath)) ---\n\(daemon.logTail())"
    }

    // MARK: Waiting

    /// Polls `condition` every 20 ms until it holds, for at most `timeout`. Fails with `what`, the
    /// daemon log tail and `detail()` if it never does, or at once if `daemon` exits meanwhile.
    func waitUntil(
        _ what: String, timeout: Duration = .seconds(30), daemon: DaemonProcess? = nil,
        detail: () -> String = { "" }, _ condition: () throws -> Bool
    ) throws {
        try poll(
            what, timeout: timeout, every: .milliseconds(20),
            between: {
                guard let daemon, !daemon.isRunning else { return }
                let (status, signaled) = try daemon.waitForExit()
                throw HarnessError(
                    "winnowd exited (\(signaled ? "signal" : "status") \(status)) while waiting for: \(what)\n"
                        + detail() + "\n" + "--- winnowd log tail ---\n\(daemon.logTail())")
            },
            timedOut: {
                var message = detail()
                if !message.isEmpty { message += "\n" }
                message += "inbox: \(names(in: inbox)), claimed: \(names(in: claimed)), failed: \(names(in: failed))"
                return message + "\n" + logTail
            }, condition)
    }

    /// Waits until every name in `names` (`folder/name` for a file from an inbox folder) is in the
    /// archive and the inbox and claimed/ are empty.
    func waitUntilArchived(_ names: [String], daemon: DaemonProcess? = nil, timeout: Duration = .seconds(30)) throws {
        let archived = { names.filter { self.exists(self.archive + "/" + $0) }.count }
        try waitUntil(
            "\(names.count) file(s) archived", timeout: timeout, daemon: daemon,
            detail: { "archived \(archived()) of \(names.count)" }
        ) {
            archived() == names.count && inboxNames.isEmpty && self.names(in: claimed).isEmpty
        }
    }
}

/// Writes all of `bytes` to `fd`.
func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written < 0 {
            if errno == EINTR { continue }
            throw HarnessError("write \(path): errno \(errno)")
        }
        offset += written
    }
}
