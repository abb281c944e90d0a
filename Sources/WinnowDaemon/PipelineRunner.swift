import CoreMetrics
import Metrics
import WinnowCore

/// Runs a document through the stages and does the bookkeeping around them, so that a stage only
/// decides: it stops at the first drop, and reports which stage dropped the document.
struct PipelineRunner {
    /// What became of one document.
    enum Outcome {
        case kept(Document)
        case dropped(Document, DropReason, stage: String)
    }

    let stages: [any Stage]
    /// Beaten for every document, so the watchdog sees the pipeline move.
    var heartbeat: Heartbeat?
    /// One timer per stage (`winnow_stage_duration_seconds`); they cost nothing where no metrics
    /// backend was bootstrapped (`winnowctl clean`).
    private let timers: [CoreMetrics.Timer]

    init(stages: [any Stage], heartbeat: Heartbeat? = nil) {
        self.stages = stages
        self.heartbeat = heartbeat
        timers = stages.map {
            CoreMetrics.Timer(label: DaemonMetrics.Name.stageDuration, dimensions: [("stage", $0.name)])
        }
    }

    /// Runs `document` through every stage. A fault of the machine met inside a stage is rethrown.
    func run(_ document: Document, context: StageContext) throws -> Outcome {
        heartbeat?.beat()
        Fault.hangIfAsked(document)
        var document = document
        // One clock reading per stage and document: cheap beside any stage (a vDSO call), and
        // no finer (per line) timing is taken on this path.
        var started = ContinuousClock.now
        for (index, stage) in stages.enumerated() {
            let verdict = stage.apply(to: &document, context: context)
            let finished = ContinuousClock.now
            timers[index].record(duration: finished - started)
            started = finished
            if let fault = context.fault { throw fault }
            if case .drop(let reason) = verdict {
                document.finishLineAccounting()
                context.rememberRejected(document, reason: reason)
                return .dropped(document, reason, stage: stage.name)
            }
        }
        document.finishLineAccounting()
        context.remember(document)
        return .kept(document)
    }
}
