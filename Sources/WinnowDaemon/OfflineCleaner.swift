import WinnowCore
import WinnowIO
import WinnowStages
import WinnowText

/// Runs the daemon's stages on one file with no daemon and no state (`winnowctl clean`): the same
/// readers, the same stages in the same order, so the text it gives is the text the daemon would
/// write. Exact duplicates are only detected within the file.
public struct OfflineCleaner {
    /// One document of the file and what became of it.
    public struct Outcome: Sendable {
        /// The document after the stages (its text is what a record would hold).
        public var document: Document
        /// Why it was dropped; `nil` when it would be kept.
        public var reason: DropReason?
        /// The record the daemon would write (to `records/`, or `rejected/` when dropped).
        public var record: Record
    }

    private let configuration: Configuration
    private let runner: PipelineRunner
    private let exactIndex: any ExactIndexReading
    private let nearIndex: (any NearIndexReading)?
    private let lineCounts: (any LineCountReading)?

    /// Builds the pipeline from `configuration` (`pipeline.stages` and `[stages.*]`). With indexes, the
    /// dedup stages also look at what they hold (read-only: nothing is ever added to them here), as
    /// indexes of `versions`.
    public init(
        configuration: Configuration, versions: IndexVersions = IndexVersions(),
        exactIndex: any ExactIndexReading = NoKeptDocuments(), nearIndex: (any NearIndexReading)? = nil,
        lineCounts: (any LineCountReading)? = nil
    ) throws {
        self.lineCounts = lineCounts
        self.configuration = configuration
        self.exactIndex = exactIndex
        self.nearIndex = nearIndex
        runner = PipelineRunner(
            stages: try StageCatalog.stages(
                named: configuration.stages, settings: configuration.stageSettings, versions: versions))
    }

    /// Cleans every document of the file at `path`. With `explain`, each outcome's document carries
    /// the removed lines in `droppedLineLog`. Throws when the file cannot be read.
    public func clean(path: String, name: String? = nil, explain: Bool = false) throws -> [Outcome] {
        let source = try FileByteSource(path: path)
        let hash = try InputOpener.hash(source)
        try source.rewind()
        let name = name ?? String(path.split(separator: "/").last ?? Substring(path))
        let reader = try InputOpener.reader(for: source, name: name, contentHash: hash, configuration: configuration)
        let context = StageContext(exactIndex: exactIndex, nearIndex: nearIndex, lineCounts: lineCounts)
        let added = Timestamp.now()
        var outcomes: [Outcome] = []
        while let unit = try reader.next() {
            switch unit {
            case .document(var document, _):
                if explain { document.droppedLineLog = [] }
                switch try runner.run(document, context: context) {
                case .kept(let kept):
                    outcomes.append(Outcome(document: kept, reason: nil, record: Record(document: kept, added: added)))
                case .dropped(let dropped, let reason, _):
                    let record = Record(rejected: dropped, reason: reason, added: added)
                    outcomes.append(Outcome(document: dropped, reason: reason, record: record))
                }
            case .refused(let document, let reason, _):
                let record = Record(rejected: document, reason: reason, added: added)
                outcomes.append(Outcome(document: document, reason: reason, record: record))
            case .url:
                // A URL list has no text to clean: its pages are cleaned once fetched.
                continue
            }
        }
        return outcomes
    }
}

/// An exact index with nothing in it: offline, only duplicates within the file are found.
public struct NoKeptDocuments: ExactIndexReading {
    public init() {}

    public func keptDocument(forExactKey key: Hash128) throws -> String? { nil }
}
