import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a finished command printed and how it ended.
struct CommandResult: CustomStringConvertible {
    var status: Int32
    /// True when the command was ended by a signal (`status` is then the signal number).
    var signaled: Bool
    var stdout: String
    var stderr: String

    var description: String {
        "exit \(signaled ? "by signal \(status)" : "status \(status)")\n--- stdout ---\n\(stdout)--- stderr ---\n\(stderr)"
    }
}

/// Runs short commands (winnowctl, gzip, zstd) to completion.
enum Command {
    /// The environment every child gets: ours, minus what would change how winnowd and winnowctl
    /// behave behind a test's back.
    static func environment(adding extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["JOURNAL_STREAM"] = nil
        environment["WINNOW_SOCKET"] = nil
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// Runs `executable` with `arguments`, in `directory`, and waits (at most `timeout`) for it to exit.
    /// Output goes through files in `scratch`, so a chatty command can never block on a full pipe.
    static func run(
        _ executable: String, _ arguments: [String], scratch: String, directory: String? = nil,
        environment extra: [String: String] = [:], stdinFile: String? = nil,
        timeout: Duration = .seconds(30)
    ) throws -> CommandResult {
        let token = UUID().uuidString.prefix(8)
        let outPath = scratch + "/cmd-\(token).out"
        let errPath = scratch + "/cmd-\(token).err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment(adding: extra)
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer {
            try? out.close()
            try? err.close()
        }
        process.standardOutput = out
        process.standardError = err
        if let stdinFile {
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdinFile))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw HarnessError("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return CommandResult(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            stdout: stdout, stderr: stderr)
    }

    /// The full path of `name` on `PATH`, if it is there.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Checks `condition` every `interval` until it holds. `between` runs after each failed check and
/// may throw to give up early (say, the process being waited on died). After `timeout` it fails
/// with `what`, the last error `condition` threw, and what `timedOut` adds.
func poll(
    _ what: String, timeout: Duration, every interval: Duration, between: () throws -> Void = {},
    timedOut: () -> String, _ condition: () throws -> Bool
) throws {
    let deadline = ContinuousClock.now + timeout
    var lastError: (any Error)?
    while true {
        do {
            if try condition() { return }
            lastError = nil
        } catch {
            lastError = error
        }
        try between()
        if ContinuousClock.now > deadline {
            var message = "timed out after \(timeout) waiting for: \(what)"
            if let lastError { message += "\nlast error: \(lastError)" }
            throw HarnessError(message + "\n" + timedOut())
        }
        let pause = interval.components
        usleep(UInt32(pause.seconds * 1_000_000 + pause.attoseconds / 1_000_000_000_000))
    }
}
