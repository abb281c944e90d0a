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
        return try run(document, from: 0, context: context)
    }

    /// Runs `document` through the stages from `first` on, in order.
    private func run(_ document: Document, from first: Int, context: StageContext) throws -> Outcome {
        var document = document
        // One clock reading per stage and document: cheap beside any stage (a vDSO call), and
        // no finer (per line) timing is taken on this path.
        var started = ContinuousClock.now
        for index in first..<stages.count {
            let verdict = stages[index].apply(to: &document, context: context)
            let finished = ContinuousClock.now
            timers[index].record(duration: finished - started)
            started = finished
            if let fault = context.fault { throw fault }
            if case .drop(let reason) = verdict {
                return dropped(document, reason, stage: index, context: context)
            }
        }
        return kept(document, context: context)
    }

    /// A document run ahead through the stages that depend on it alone (`Stage.isStateful` false),
    /// with the stateful ones only prepared: what `settle` needs to finish it in input order.
    struct Draft: Sendable {
        fileprivate var document: Document
        /// The stateless stage that dropped the document, and why.
        fileprivate var drop: (stage: Int, reason: DropReason)?
        /// The stateful stages before the drop (or all of them), each with the document as it came
        /// to the stage (and as the stage prepared it) and the time the preparing took.
        fileprivate var stateful: [(stage: Int, document: Document, prepared: Duration)] = []
    }

    /// Runs the stateless stages on `document` and prepares the stateful ones, assuming each of
    /// them keeps the document as it is. Safe on any thread, for documents in any order.
    func draft(_ document: Document) -> Draft {
        heartbeat?.beat()
        Fault.hangIfAsked(document)
        var draft = Draft(document: document)
        // Stateless stages never touch the context (their verdict is the document's alone).
        let context = StageContext(exactIndex: NoKeptDocuments())
        var started = ContinuousClock.now
        for (index, stage) in stages.enumerated() {
            if stage.isStateful {
                // The word split the quality stages shared is not kept in the snapshots that wait
                // for the document's turn (a draft runs eight groups of 4 MB ahead).
                draft.document.words = nil
                stage.prepare(&draft.document)
                let finished = ContinuousClock.now
                // Timed with the stage's decision in `settle`: one observation per document.
                draft.stateful.append((index, draft.document, finished - started))
                started = finished
                continue
            }
            if case .drop(let reason) = stage.apply(to: &draft.document, context: context) {
                draft.drop = (index, reason)
            }
            let finished = ContinuousClock.now
            timers[index].record(duration: finished - started)
            started = finished
            if draft.drop != nil { break }
        }
        draft.document.words = nil
        return draft
    }

    /// Finishes a draft in input order: the stateful stages decide, with what the documents before
    /// it left in `context`. The outcome is the one `run` gives. Where a stateful stage changes the
    /// text (the repeated-line filter removing lines), or a stateless stage after one changed it,
    /// the draft's later verdicts do not hold: the document goes on from that stage one stage at a
    /// time, as `run` would have taken it there.
    func settle(_ draft: Draft, context: StageContext) throws -> Outcome {
        var document = draft.document
        var started = ContinuousClock.now
        for (position, (index, before, prepared)) in draft.stateful.enumerated() {
            guard document.text == before.text else {
                return try resume(draft, at: position, context: context)
            }
            let verdict = stages[index].apply(to: &document, context: context)
            let finished = ContinuousClock.now
            timers[index].record(duration: finished - started + prepared)
            started = finished
            if let fault = context.fault { throw fault }
            if case .drop(let reason) = verdict { return dropped(document, reason, stage: index, context: context) }
            guard document.text == before.text else {
                return try resume(draft, at: position, context: context)
            }
        }
        if let drop = draft.drop { return dropped(document, drop.reason, stage: drop.stage, context: context) }
        return kept(document, context: context)
    }

    /// Takes the draft's document from its stateful stage at `position` on as `run` would: the
    /// document as it came to that stage, given again what the stateful stages before it added
    /// (they kept it and left its text as it was), then every stage from there in order.
    private func resume(_ draft: Draft, at position: Int, context: StageContext) throws -> Outcome {
        var document = draft.stateful[position].document
        for (index, _, _) in draft.stateful[..<position] {
            _ = stages[index].apply(to: &document, context: context)
            if let fault = context.fault { throw fault }
        }
        return try run(document, from: draft.stateful[position].stage, context: context)
    }

    private func dropped(_ document: Document, _ reason: DropReason, stage: Int, context: StageContext) -> Outcome {
        var document = document
        document.finishLineAccounting()
        context.rememberRejected(document, reason: reason)
        return .dropped(document, reason, stage: stages[stage].name)
    }

    private func kept(_ document: Document, context: StageContext) -> Outcome {
        var document = document
        document.finishLineAccounting()
        context.remember(document)
        return .kept(document)
    }
}
