import Logging
import Synchronization
import WinnowIO

#if canImport(Glibc)
    import Glibc
#endif

/// `winnowd --once` progress, on its own thread: a bar with rate and ETA redrawn on stderr when it
/// is a terminal, else a `progress` log line every `interval`. Bytes are the inputs' own (the
/// compressed size of a compressed file); the file in hand counts up to its last commit.
final class ProgressReporter: @unchecked Sendable {
    private let board: StatusBoard
    private let logger: Logger
    private let interval: Duration
    private let terminal: Bool
    private let wake: WakeSignal
    private let stopped = Atomic<Bool>(false)
    private let started = ContinuousClock.now

    init(board: StatusBoard, logger: Logger, interval: Duration) throws {
        self.board = board
        self.logger = logger
        self.interval = interval
        terminal = isatty(STDERR_FILENO) == 1
        wake = try WakeSignal()
    }

    func run() {
        let period = terminal ? Duration.milliseconds(500) : interval
        while !stopped.load(ordering: .relaxed) {
            wake.wait(for: period)
            if stopped.load(ordering: .relaxed) { break }
            report(final: false)
        }
        if terminal { report(final: true) }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        wake.wake()
    }

    /// Where the run is: bytes done of all known so far, the rate since start, and the ETA.
    struct Figures: Equatable {
        var done: Int
        var total: Int
        var bytesPerSecond: Double
        var filesDone: Int
        var filesPending: Int

        var fraction: Double { total == 0 ? 1 : min(1, Double(done) / Double(total)) }
        var etaSeconds: Int? {
            bytesPerSecond > 0 ? Int((Double(max(0, total - done)) / bytesPerSecond).rounded(.up)) : nil
        }

        init(_ status: StatusBoard.Snapshot, elapsedSeconds: Double) {
            done = status.inputBytes + status.processingBytes
            total = status.inputBytes + status.processingSize + status.bytesPending
            bytesPerSecond = elapsedSeconds > 0 ? Double(done) / elapsedSeconds : 0
            filesDone = status.filesDone + status.filesFailed + status.filesDuplicate
            filesPending = status.filesPending
        }

        /// `[##########..........]  50%  120.3/240.6 MB  3.9 MB/s  ETA 0:31  12 files done, 4 waiting`.
        var bar: String {
            let width = 24
            let filled = Int((fraction * Double(width)).rounded(.down))
            let eta = etaSeconds.map { "ETA \($0 / 60):\($0 % 60 < 10 ? "0" : "")\($0 % 60)" } ?? "ETA -"
            return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
                + "\(Int((fraction * 100).rounded(.down)))%  \(Self.megabytes(done))/\(Self.megabytes(total)) MB  "
                + "\(Self.megabytes(Int(bytesPerSecond))) MB/s  \(eta)  \(filesDone) files done, \(filesPending) waiting"
        }

        static func megabytes(_ bytes: Int) -> String {
            let tenths = (bytes + 50_000) / 100_000
            return "\(tenths / 10).\(tenths % 10)"
        }
    }

    private func report(final: Bool) {
        let figures = Figures(board.snapshot(), elapsedSeconds: (ContinuousClock.now - started).inSeconds)
        if terminal {
            // A terminal that went away is no reason to stop the run.
            try? FileSystem.writeAll(
                STDERR_FILENO, Array(("\r\u{1B}[K" + figures.bar + (final ? "\n" : "")).utf8), path: "stderr")
        } else {
            logger.info(
                "progress",
                metadata: [
                    "percent": "\(Int((figures.fraction * 100).rounded(.down)))",
                    "done_mb": "\(Figures.megabytes(figures.done))", "total_mb": "\(Figures.megabytes(figures.total))",
                    "mb_per_s": "\(Figures.megabytes(Int(figures.bytesPerSecond)))",
                    "eta_s": "\(figures.etaSeconds.map(String.init) ?? "unknown")",
                    "files_done": "\(figures.filesDone)", "files_pending": "\(figures.filesPending)",
                ])
        }
    }
}
