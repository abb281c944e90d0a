import Synchronization
import WinnowIO

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps systemd informed, on its own thread: `STATUS=` with live counts every two seconds, and
/// `WATCHDOG=1` at half the watchdog interval, but only while the processing path's heartbeat is
/// recent. If the ingest loop hangs (a stage that never returns, a stuck disk), the pings stop and
/// systemd restarts the service.
final class SystemdReporter: @unchecked Sendable {
    private let notifier: SystemdNotifier
    private let board: StatusBoard
    private let heartbeat: Heartbeat
    private let watchdog: Duration?
    private let wake: WakeSignal
    private let stopped = Atomic<Bool>(false)

    init(notifier: SystemdNotifier, board: StatusBoard, heartbeat: Heartbeat, watchdog: Duration?) throws {
        self.notifier = notifier
        self.board = board
        self.heartbeat = heartbeat
        self.watchdog = watchdog
        wake = try WakeSignal()
    }

    func run() {
        let period = min(.seconds(2), (watchdog ?? .seconds(4)) / 2)
        var nextStatus = ContinuousClock.now
        while !stopped.load(ordering: .relaxed) {
            var assignments: [String] = []
            if let watchdog, heartbeat.age < watchdog / 2 { assignments.append("WATCHDOG=1") }
            if ContinuousClock.now >= nextStatus {
                assignments.append("STATUS=" + Self.statusLine(board.snapshot()))
                nextStatus = ContinuousClock.now + .seconds(2)
            }
            if !assignments.isEmpty { notifier.send(assignments) }
            wake.wait(for: period)
        }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        wake.wake()
    }

    /// "312 files, 9,841 kept, 2,113 dropped, 0 failed, queue 4": what `systemctl status` shows.
    static func statusLine(_ status: StatusBoard.Snapshot) -> String {
        var parts = [
            "\(grouped(status.filesDone)) files", "\(grouped(status.documentsKept)) kept",
            "\(grouped(status.documentsDropped)) dropped", "\(grouped(status.filesFailed)) failed",
            "queue \(grouped(status.filesPending))",
        ]
        if status.fetchQueued + status.fetchActive > 0 {
            parts.append("fetching \(status.fetchActive), \(grouped(status.fetchQueued)) URLs queued")
        }
        if status.displayState != "running" { parts.insert(status.displayState, at: 0) }
        return parts.joined(separator: ", ")
    }

    private static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
