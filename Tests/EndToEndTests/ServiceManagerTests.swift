import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A datagram socket standing in for systemd's notification socket: what the daemon tells the
/// service manager, message by message.
final class NotifySocket {
    let path: String
    private let descriptor: Int32
    private(set) var messages: [(time: ContinuousClock.Instant, text: String)] = []

    init(path: String) throws {
        self.path = path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard descriptor >= 0, bound == 0 else { throw HarnessError("cannot bind \(path): errno \(errno)") }
    }

    deinit { close(descriptor) }

    /// Reads what has arrived; returns every message so far.
    @discardableResult
    func read() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            messages.append((ContinuousClock.now, String(decoding: buffer.prefix(count), as: UTF8.self)))
        }
        return messages.map(\.text)
    }

    /// Assignments (`KEY=VALUE`) of every message so far, in order.
    var assignments: [String] { read().flatMap { $0.split(separator: "\n").map(String.init) } }
}

extension EndToEnd {
    /// The service-manager side of the daemon without systemd: sd_notify messages on a socket of
    /// the test's own, and configuration reloads.
    @Suite("Service manager")
    struct ServiceManager {
        @Test("READY=1 once watching, STATUS= with live counts, STOPPING=1 on SIGTERM")
        func notifications() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let notify = try NotifySocket(path: sandbox.root + "/notify.sock")
            let daemon = try sandbox.launch(environment: ["NOTIFY_SOCKET": notify.path])
            try sandbox.waitUntil("READY=1", daemon: daemon) { notify.assignments.contains("READY=1") }
            // Ready means the control socket answers and the inbox is watched.
            #expect(try sandbox.ctl(["status"]).status == 0)
            try sandbox.dropAndWait(["one.txt": "One document.\n"], daemon: daemon)
            try sandbox.waitUntil("a STATUS line with the counts", daemon: daemon, detail: { "\(notify.assignments)" })
            {
                notify.assignments.contains("STATUS=1 files, 1 kept, 0 dropped, 0 failed, queue 0")
            }
            daemon.send(SIGTERM)
            #expect(try daemon.waitForExit().status == 0)
            #expect(notify.assignments.contains("STOPPING=1"))
        }

        @Test("WATCHDOG=1 pings come from the processing path: they stop while a document hangs")
        func watchdogFollowsThePipeline() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let notify = try NotifySocket(path: sandbox.root + "/notify.sock")
            let daemon = try sandbox.launch(
                environment: [
                    "NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "400000", "WINNOW_TEST_HANG_ON": "HANG-HERE",
                ])
            try sandbox.waitUntil("three watchdog pings", daemon: daemon) {
                notify.assignments.filter { $0 == "WATCHDOG=1" }.count >= 3
            }
            try sandbox.drop("stuck.txt", "This document says HANG-HERE and the pipeline stops.\n")
            try sandbox.waitUntil("the file in hand", daemon: daemon) {
                try sandbox.status().currentFile == "stuck.txt"
            }
            let hung = ContinuousClock.now
            // The document may take a moment to reach the stage that hangs (the first one loads its
            // tables); from then on the pings must stop: two seconds observed, the last one silent.
            try sandbox.waitUntil("two seconds of observation", daemon: daemon) {
                notify.read()
                return ContinuousClock.now - hung > .seconds(2)
            }
            let late = notify.messages.filter { $0.time > hung + .seconds(1) && $0.text.contains("WATCHDOG=1") }
            #expect(
                late.isEmpty,
                "pings after the pipeline hung: \(notify.messages.map { ($0.time - hung, $0.text.prefix(12)) })")
            #expect(try sandbox.ctl(["status"]).status == 0, "the process itself is alive")
        }

        @Test("reload (winnowctl and SIGHUP) puts a new pipeline in force; a broken file is refused")
        func reload() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let collapsing = Sandbox.fastConfig + "\n[pipeline]\nstages = [\"whitespace\", \"empty\"]\n"
            let keeping = Sandbox.fastConfig + "\n[pipeline]\nstages = [\"empty\"]\n"
            let daemon = try sandbox.start(config: collapsing)
            let file = sandbox.root + "/winnow-1.toml"
            try sandbox.dropAndWait(["a.txt": "Spaces   here.\n"], daemon: daemon)

            _ = try sandbox.writeConfig(keeping, name: "winnow-1.toml")
            let reloaded = try sandbox.ctl(["reload"])
            #expect(reloaded.status == 0 && reloaded.stdout.hasPrefix("reloaded: the pipeline changed"), "\(reloaded)")
            try sandbox.dropAndWait(["b.txt": "Spaces   there.\n"], daemon: daemon)

            _ = try sandbox.writeConfig("[pipeline]\nstages = [\"no_such_stage\"]\n", name: "winnow-1.toml")
            let refused = try sandbox.ctl(["reload"])
            #expect(
                refused.status == 1 && refused.stderr.contains("refused") && refused.stderr.contains("no_such_stage"),
                "\(refused)")
            kill(daemon.pid, SIGHUP)
            try sandbox.waitUntil("the refusal logged twice", daemon: daemon) {
                daemon.log.components(separatedBy: "configuration reload refused").count == 3
            }
            try sandbox.dropAndWait(["c.txt": "Spaces   still.\n"], daemon: daemon)

            _ = try sandbox.writeConfig(collapsing, name: "winnow-1.toml")
            kill(daemon.pid, SIGHUP)
            try sandbox.waitUntil("the SIGHUP reload", daemon: daemon) {
                daemon.log.components(separatedBy: "configuration reloaded").count == 3
            }
            try sandbox.dropAndWait(["d.txt": "Spaces   again.\n"], daemon: daemon)
            let texts = Dictionary(
                uniqueKeysWithValues: try sandbox.readOutput().records.map { ($0.file ?? "", $0.text) })
            #expect(
                texts == [
                    "a.txt": "Spaces here.", "b.txt": "Spaces   there.\n", "c.txt": "Spaces   still.\n",
                    "d.txt": "Spaces again.",
                ])
            #expect(FileManager.default.fileExists(atPath: file))
        }
    }
}
