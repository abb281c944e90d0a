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

    /// Runs `document` through every stage. A fault of the machine met inside a stage is rethrown.
    func run(_ document: Document, context: StageContext) throws -> Outcome {
        heartbeat?.beat()
        Fault.hangIfAsked(document)
        var document = document
        for stage in stages {
            let verdict = stage.apply(to: &document, context: context)
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
