import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// What the daemon says, and how.
    @Suite("Logging")
    struct Logging {
        @Test("Under systemd (JOURNAL_STREAM names stderr) every line starts with its syslog priority")
        func journalPriorities() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            // The daemon's stderr will be this file: JOURNAL_STREAM names it the way systemd would.
            let logPath = sandbox.root + "/winnowd-1.log"
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            var info = stat()
            try #require(stat(logPath, &info) == 0)
            let daemon = try sandbox.launch(environment: ["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"])
            try sandbox.waitUntil("winnowd answers on its control socket", daemon: daemon) {
                try sandbox.ctl(["status", "--json"]).status == 0
            }
            try sandbox.drop("good.txt", "A document that is processed.\n")
            try sandbox.writeInPlace("binary.txt", "text\u{0}with a NUL byte")
            try sandbox.waitUntilArchived(["good.txt"], daemon: daemon)
            try sandbox.waitUntil("binary.txt is set aside", daemon: daemon) {
                sandbox.exists(sandbox.state + "/failed/binary.txt.error.json")
            }
            daemon.send(SIGTERM)
            #expect(try daemon.waitForExit().status == 0)

            let lines = daemon.log.split(separator: "\n")
            #expect(!lines.isEmpty)
            for line in lines {
                #expect(line.range(of: #"^<[0-7]>"#, options: .regularExpression) != nil, "no priority: \(line)")
            }
            #expect(lines.contains { $0.hasPrefix("<6>file done") && $0.contains("doc.file=good.txt") })
            #expect(lines.contains { $0.hasPrefix("<4>file failed") && $0.contains("doc.file=binary.txt") })
        }

        @Test("Without JOURNAL_STREAM lines carry a timestamp and a level instead")
        func plainLines() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()
            try sandbox.drop("good.txt", "A document that is processed.\n")
            try sandbox.waitUntilArchived(["good.txt"], daemon: daemon)
            daemon.send(SIGTERM)
            #expect(try daemon.waitForExit().status == 0)
            let done = try #require(daemon.log.split(separator: "\n").first { $0.contains("file done") })
            #expect(
                done.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ info file done "#, options: .regularExpression)
                    != nil,
                "\(done)")

            // The start says when it opens the state database and how long that took (a migration
            // after an upgrade can take minutes).
            let lines = daemon.log.split(separator: "\n")
            let opening = try #require(
                lines.firstIndex { $0.hasSuffix("info opening the state database path=\(sandbox.state)/winnow.sqlite") }
            )
            let open = try #require(lines.firstIndex { $0.contains("info state database open ms=") })
            #expect(opening < open, "\(daemon.logTail())")
        }

        @Test("A file the daemon cannot claim stays in the inbox with one warning, and the daemon goes on")
        func unclaimableFile() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            try sandbox.writeInPlace("locked.txt", "An immutable file cannot be renamed, even by root.\n")
            // chattr +i needs root and a file system with attributes; without them there is nothing to test.
            let chattr = Command.which("chattr")
            let locked = try chattr.map {
                try Command.run($0, ["+i", sandbox.inbox + "/locked.txt"], scratch: sandbox.root)
            }
            guard let locked, locked.status == 0 else { return }
            defer { _ = try? Command.run(chattr!, ["-i", sandbox.inbox + "/locked.txt"], scratch: sandbox.root) }
            let daemon = try sandbox.start()
            try sandbox.drop("after.txt", "A normal file dropped after the locked one.\n")
            try sandbox.waitUntil("after.txt is archived", daemon: daemon) {
                sandbox.exists(sandbox.state + "/archive/after.txt")
            }
            try sandbox.waitUntil("the claim failure is logged", daemon: daemon) {
                daemon.log.contains("cannot claim a file")
            }
            #expect(sandbox.exists(sandbox.inbox + "/locked.txt"))
            let status = try sandbox.status()
            #expect(status.lastError?.contains("locked.txt") == true)
            #expect(daemon.log.components(separatedBy: "cannot claim a file").count == 2, "warned more than once")
        }
    }
}
