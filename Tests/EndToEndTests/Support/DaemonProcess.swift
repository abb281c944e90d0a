import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One `winnowd` launched by a test, its stdout and stderr going to its own log file.
final class DaemonProcess {
    let process: Process
    let logPath: String
    let arguments: [String]

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// `wrapper`, when given, is a command that runs winnowd: it gets winnowd's path and then
    /// `arguments` appended (say, `unshare` setting limits first).
    init(
        arguments: [String], logPath: String, directory: String, environment: [String: String] = [:],
        wrapper: [String] = []
    ) throws {
        try Binaries.check()
        self.arguments = arguments
        self.logPath = logPath
        // Kept if it exists: a test may have named this very file (its inode) in JOURNAL_STREAM.
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? log.close() }
        process = Process()
        process.executableURL = URL(fileURLWithPath: wrapper.first ?? Binaries.winnowd)
        process.arguments = wrapper.isEmpty ? arguments : wrapper.dropFirst() + [Binaries.winnowd] + arguments
        process.environment = Command.environment(adding: environment)
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    /// Everything the daemon has logged so far.
    var log: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// The last `count` lines of the log, for failure messages.
    func logTail(_ count: Int = 40) -> String {
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.suffix(count).joined(separator: "\n")
    }

    /// Sends `signal` (SIGTERM, SIGINT, SIGKILL, …).
    func send(_ signal: Int32) {
        if process.isRunning { kill(pid, signal) }
    }

    /// Waits for the daemon to exit by itself (or after a signal) and returns how it ended.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(30)) throws -> (status: Int32, signaled: Bool) {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                throw HarnessError(
                    "winnowd (pid \(pid)) still running after \(timeout)\n--- log tail ---\n\(logTail())")
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }

    /// Kills the daemon if it still runs and reaps it.
    func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }
}
