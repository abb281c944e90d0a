/// What a stage decided about a document.
public enum Verdict: Sendable, Equatable {
    /// The document goes on to the next stage.
    case keep
    /// The document stops here and goes to the rejected stream with this reason.
    case drop(DropReason)
}
