import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real systemd, booted as PID 1 of private namespaces by `Tests/Support/systemd-sandbox`, with
/// Winnow installed into it by `Deploy/install.sh`. Whatever the test changes inside (users, /etc,
/// /var, /usr/local) lives in an overlay and vanishes when the machine stops.
final class SystemdMachine {
    static let script = Binaries.packageRoot + "/Tests/Support/systemd-sandbox"

    /// Why the machine cannot be booted here, or nil when it can (root, systemd, util-linux).
    static let unavailableReason: String? = {
        if getuid() != 0 { return "booting systemd in namespaces needs root" }
        if access("/lib/systemd/systemd", X_OK) != 0 { return "systemd is not installed" }
        if Command.which("unshare") == nil || Command.which("nsenter") == nil { return "util-linux is missing" }
        return nil
    }()

    let directory: String

    init() throws {
        try Binaries.check()
        var template = Array("/tmp/winnow-systemd-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw HarnessError("mkdtemp failed: errno \(errno)") }
        directory = String(cString: made)
        let result = try Command.run(Self.script, ["start", directory], scratch: directory, timeout: .seconds(60))
        guard result.status == 0 else { throw HarnessError("the systemd sandbox did not boot: \(result)") }
    }

    /// Stops systemd and everything it runs, and removes the scratch directory.
    func shutdown() {
        _ = try? Command.run(Self.script, ["stop", directory], scratch: directory)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `script` with bash inside the machine, as root.
    @discardableResult
    func shell(_ script: String, timeout: Duration = .seconds(60)) throws -> CommandResult {
        try Command.run(Self.script, ["exec", directory, "bash", "-c", script], scratch: directory, timeout: timeout)
    }

    /// Runs `script` inside and fails unless it exits with status 0; returns its standard output.
    @discardableResult
    func run(_ script: String, timeout: Duration = .seconds(60)) throws -> String {
        let result = try shell(script, timeout: timeout)
        guard result.status == 0, !result.signaled else {
            throw HarnessError("in the systemd sandbox, `\(script)` failed: \(result)\n\(journalTail())")
        }
        return result.stdout
    }

    /// Installs the binaries under test with the shipped installer.
    @discardableResult
    func install() throws -> String {
        try run("'\(Binaries.packageRoot)/Deploy/install.sh' --bin '\(Binaries.directory)'", timeout: .seconds(120))
    }

    /// One property of the winnow unit, as `systemctl show` prints it.
    func property(_ name: String) throws -> String {
        try run("systemctl show --property=\(name) --value winnow.service")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The unit's journal entries, as journald stored them.
    func journal() throws -> [JournalEntry] {
        try run("journalctl --unit=winnow.service --output=json --no-pager").split(separator: "\n").compactMap {
            JournalEntry(json: String($0))
        }
    }

    /// The last journal lines of the unit and of systemd about it, for failure messages.
    func journalTail() -> String {
        let result = try? Command.run(
            Self.script, ["exec", directory, "journalctl", "--unit=winnow.service", "--no-pager", "-n", "40"],
            scratch: directory)
        return "--- journal of winnow.service ---\n" + (result?.stdout ?? "(unreadable)")
    }

    /// Kept records' texts in the output, in order.
    func recordTexts() throws -> [String] {
        try run("cat /var/lib/winnow/output/records/*.jsonl 2>/dev/null || true").split(separator: "\n").compactMap {
            guard let object = try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] else {
                return nil
            }
            return object["text"] as? String
        }
    }

    /// Polls `condition` (every 50 ms) until it holds, or fails after `timeout` with `what`.
    func waitUntil(
        _ what: String, timeout: Duration = .seconds(60), detail: () -> String = { "" },
        _ condition: () throws -> Bool
    ) throws {
        try poll(
            what, timeout: timeout, every: .milliseconds(50), timedOut: { detail() + "\n" + journalTail() }, condition)
    }
}

/// One journal entry of `journalctl --output=json`.
struct JournalEntry {
    var message: String
    var priority: Int
    var pid: Int

    init?(json: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return nil
        }
        // journald stores a message that is not valid UTF-8 as an array of bytes.
        if let text = object["MESSAGE"] as? String {
            message = text
        } else if let bytes = object["MESSAGE"] as? [Int] {
            message = String(decoding: bytes.map { UInt8(truncatingIfNeeded: $0) }, as: UTF8.self)
        } else {
            return nil
        }
        priority = Int(object["PRIORITY"] as? String ?? "") ?? -1
        pid = Int(object["_PID"] as? String ?? "") ?? -1
    }
}
