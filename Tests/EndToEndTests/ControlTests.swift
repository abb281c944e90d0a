import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// winnowctl against a live daemon, against no daemon, and two daemons on one state directory.
    @Suite("Control")
    struct Control {
        @Test("status --json reports the documented fields; pause keeps files in the inbox until resume")
        func statusPauseResume() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.start()

            let status = try sandbox.status()
            #expect(status.state == "running")
            #expect(status.pid == Int(daemon.pid))
            #expect(status.inbox.hasSuffix("/in"))
            #expect(status.watch == "inotify")
            #expect(status.currentFile == nil)
            #expect(status.uptimeSeconds >= 0)
            #expect(!status.started.isEmpty)
            #expect(status.rescans >= 1)
            #expect(status.lastError == nil)
            #expect(status.files.pending == 0 && status.files.processing == 0 && status.files.done == 0)
            #expect(status.files.failed == 0 && status.files.duplicate == 0)
            #expect(
                status.documents.kept == 0 && status.documents.dropped == 0 && status.documents.droppedByReason.isEmpty)

            let text = try sandbox.ctl(["status"])
            #expect(text.status == 0, "\(text)")
            #expect(text.stdout.contains("running"), "\(text)")
            #expect(text.stdout.contains("pid \(daemon.pid)"), "\(text)")

            // The socket can also come from WINNOW_SOCKET.
            let fromEnvironment = try sandbox.ctl(
                ["status", "--json"], socket: .none, environment: ["WINNOW_SOCKET": sandbox.socket])
            #expect(fromEnvironment.status == 0, "\(fromEnvironment)")
            #expect(fromEnvironment.stdout.contains("\"pid\":\(daemon.pid)"), "\(fromEnvironment)")

            let pause = try sandbox.ctl(["pause"])
            #expect(pause.status == 0, "\(pause)")
            #expect(try sandbox.status().state == "paused")

            try sandbox.drop("held.txt", "A file dropped while the daemon is paused.\n")
            try sandbox.waitUntil("the paused daemon has noticed held.txt", daemon: daemon) {
                try sandbox.status().files.pending >= 1
            }
            // Let a whole rescan period pass: the file must still not be taken.
            let rescans = try sandbox.status().rescans
            try sandbox.waitUntil("one more rescan while paused", daemon: daemon) {
                try sandbox.status().rescans > rescans
            }
            #expect(sandbox.inboxNames == ["held.txt"])
            #expect(sandbox.names(in: sandbox.archive).isEmpty)
            #expect(try sandbox.readOutput().records.isEmpty)
            let paused = try sandbox.status()
            #expect(paused.state == "paused")
            #expect(paused.files.done == 0)

            let resume = try sandbox.ctl(["resume"])
            #expect(resume.status == 0, "\(resume)")
            try sandbox.waitUntilArchived(["held.txt"], daemon: daemon)
            let resumed = try sandbox.status()
            #expect(resumed.state == "running")
            #expect(resumed.files.done == 1)
            #expect(resumed.files.pending == 0)
            #expect(resumed.documents.kept == 1)
            #expect(try sandbox.readOutput().records.map(\.text) == ["A file dropped while the daemon is paused."])
        }

        @Test("with no flags winnowd uses ./Inbox, ./Output and ./.winnow, and winnowctl finds its socket there")
        func defaultPaths() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let daemon = try sandbox.launch(config: nil, paths: false)
            let socket = sandbox.root + "/.winnow/control.sock"
            try sandbox.waitUntil("winnowd answers on ./.winnow/control.sock", daemon: daemon) {
                try sandbox.ctl(["status", "--json"], socket: .some(socket)).status == 0
            }
            // No --socket and no WINNOW_SOCKET: found as ./.winnow/control.sock from the working directory.
            let status = try sandbox.ctl(["status", "--json"], socket: .none)
            #expect(status.status == 0, "\(status)")
            #expect(status.stdout.contains("\"pid\":\(daemon.pid)"), "\(status)")
            let inbox = sandbox.root + "/Inbox"
            // No configuration: the default pipeline, quality rules included, keeps a real article.
            let article = """
                The harbour authority said on Monday that the old ferry terminal will close for repairs at the end \
                of the month. Passengers are asked to use the new pier on the east side of the bay, where extra \
                shuttle buses will run every fifteen minutes. The work is expected to take about six weeks, and \
                the authority has promised to publish a detailed timetable before the closure begins.
                """
            try Data((article + "\n").utf8).write(to: URL(fileURLWithPath: inbox + "/.default.txt"))
            try sandbox.rename(inbox + "/.default.txt", to: inbox + "/default.txt")
            try sandbox.waitUntil("default.txt archived in ./.winnow/archive", daemon: daemon) {
                sandbox.names(in: sandbox.root + "/.winnow/archive") == ["default.txt"]
            }
            let output = try OutputSnapshot.read(output: sandbox.root + "/Output")
            #expect(output.records.map(\.text) == [article])
            #expect(output.records.first?.metadata["lang"] == .string("en"))
        }

        @Test("winnowctl exits 3 with a clear message when no daemon listens")
        func noDaemonListening() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let missing = sandbox.root + "/nobody.sock"
            for command in [["status", "--json"], ["status"], ["pause"], ["resume"]] {
                let result = try sandbox.ctl(command, socket: .some(missing))
                #expect(result.status == 3, "\(command): \(result)")
                #expect(!result.signaled)
                #expect(result.stderr.contains("no winnowd is listening"), "\(command): \(result)")
                #expect(result.stderr.contains(missing), "the message names the socket tried: \(result)")
                #expect(result.stdout.isEmpty, "\(result)")
            }

            // A socket file left behind by a daemon that was killed: nobody listens on it either.
            let daemon = try sandbox.start()
            daemon.send(SIGKILL)
            try daemon.waitForExit()
            #expect(sandbox.exists(sandbox.socket), "a killed daemon cannot remove its socket")
            let stale = try sandbox.ctl(["status", "--json"])
            #expect(stale.status == 3, "\(stale)")
            #expect(stale.stderr.contains("no winnowd is listening"), "\(stale)")
        }

        @Test("a second winnowd on the same state directory refuses to start")
        func secondDaemonOnSameState() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let first = try sandbox.start()
            let second = try sandbox.launch()
            let (status, signaled) = try second.waitForExit()
            #expect(!signaled && status != 0, "the second daemon exited with \(status)")
            #expect(second.log.contains("another winnowd (pid \(first.pid))"), "\(second.logTail())")
            // The first daemon is unaffected, its control socket included.
            #expect(first.isRunning)
            #expect(try sandbox.status().pid == Int(first.pid))
            try sandbox.drop("still.txt", "The first daemon still works.\n")
            try sandbox.waitUntilArchived(["still.txt"], daemon: first)
        }
    }
}
