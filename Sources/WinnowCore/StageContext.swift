/// What the exact-dedup index holds for a normal form: the kept record with that text, or, for the
/// text of a rejected near duplicate, the kept record that copy was attached to and how similar it
/// was. A later exact copy of a near duplicate then attaches to the same record as its twin, even
/// when the index has meanwhile grown a closer match: copies of one text never split between two
/// kept records.
public struct ExactMatch: Sendable, Equatable {
    public var documentID: String
    /// `nil` when the kept record itself has this normal form.
    public var similarity: Double?
    public var containment: Double?

    public init(documentID: String, similarity: Double? = nil, containment: Double? = nil) {
        self.documentID = documentID
        self.similarity = similarity
        self.containment = containment
    }

    /// The twin entry for a document rejected for `reason`, if it is a near duplicate.
    public init?(nearDuplicate reason: DropReason) {
        guard reason.code == "near_duplicate", let kept = reason.details["duplicate_of"]?.stringValue,
            case .double(let similarity)? = reason.details["similarity"]
        else { return nil }
        var containment: Double?
        if case .double(let value)? = reason.details["containment"] { containment = value }
        self.init(documentID: kept, similarity: similarity, containment: containment)
    }

    /// Why a document with this normal form is dropped.
    public var reason: DropReason {
        guard let similarity else { return .exactDuplicate(of: documentID) }
        var details: JSONObject = ["duplicate_of": .string(documentID), "similarity": .double(similarity)]
        if let containment { details["containment"] = .double(containment) }
        return DropReason("near_duplicate", details: details)
    }
}

/// Read access to the persisted exact-dedup index (implemented by the store, faked in tests).
public protocol ExactIndexReading: Sendable {
    /// The id of the kept document with this key, if any.
    func keptDocument(forExactKey key: Hash128) throws -> String?
    /// What the index holds for this key: a kept record, or a near duplicate's attachment.
    func exactMatch(forKey key: Hash128) throws -> ExactMatch?
}

extension ExactIndexReading {
    public func exactMatch(forKey key: Hash128) throws -> ExactMatch? {
        try keptDocument(forExactKey: key).map { ExactMatch(documentID: $0) }
    }
}

/// Per-input state shared by the stages while one input is processed: what earlier inputs kept (the
/// persisted index) and what this input has kept so far but not yet committed.
public final class StageContext {
    private let exactIndex: any ExactIndexReading
    private let nearIndex: (any NearIndexReading)?
    private var pendingExact: [Hash128: ExactMatch] = [:]
    private var pendingNear: [NearCandidate] = []
    private var pendingBands = PostingLists<UInt64>()
    private var pendingFingerprints = PostingLists<UInt32>()
    private let lineCounts: (any LineCountReading)?
    private var pendingLines: [UInt64: Int] = [:]
    /// A fault of the machine met by a stage (the database could not be read); the runner rethrows it.
    public private(set) var fault: (any Error)?

    public init(
        exactIndex: any ExactIndexReading, nearIndex: (any NearIndexReading)? = nil,
        lineCounts: (any LineCountReading)? = nil
    ) {
        self.exactIndex = exactIndex
        self.nearIndex = nearIndex
        self.lineCounts = lineCounts
    }

    /// In how many kept documents (committed or in this input's batch) each line key was seen.
    public func documentCounts(lineKeys: [UInt64]) -> [UInt64: Int] {
        var counts: [UInt64: Int] = [:]
        do {
            counts = try lineCounts?.documentCounts(lineKeys: lineKeys) ?? [:]
        } catch {
            fault = error
        }
        for key in lineKeys { if let pending = pendingLines[key] { counts[key, default: 0] += pending } }
        return counts
    }

    /// Kept documents (this input's uncommitted ones and the index's) sharing a band with `bands`.
    public func nearCandidates(bands: [UInt64]) -> [NearCandidate] {
        var found: [NearCandidate] = []
        var seen = Set<Int>()
        for band in bands {
            pendingBands.forEach(band) { index in
                if seen.insert(index).inserted { found.append(pendingNear[index]) }
            }
        }
        do {
            found += try nearIndex?.nearCandidates(bands: bands) ?? []
        } catch {
            fault = error
        }
        return found
    }

    /// Kept documents (this input's uncommitted ones and the index's) holding at least `minimumHits` of
    /// these fingerprints: the documents that may contain the new one.
    public func containmentCandidates(fingerprints: [UInt32], minimumHits: Int, limit: Int) -> [NearCandidate] {
        var hits: [Int: Int] = [:]
        for fingerprint in fingerprints {
            pendingFingerprints.forEach(fingerprint) { hits[$0, default: 0] += 1 }
        }
        // Most hits first, then in input order: the same candidates in every run (a dictionary's
        // order changes from one process to the next).
        var found = hits.filter { $0.value >= minimumHits }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .prefix(limit).map { pendingNear[$0.key] }
        do {
            found +=
                try nearIndex?.containmentCandidates(
                    fingerprints: fingerprints, minimumHits: minimumHits, limit: limit) ?? []
        } catch {
            fault = error
        }
        return found
    }

    /// What this input's uncommitted batch or the index holds for this exact key.
    public func exactMatch(forKey key: Hash128) -> ExactMatch? {
        if let match = pendingExact[key] { return match }
        do {
            return try exactIndex.exactMatch(forKey: key)
        } catch {
            fault = error
            return nil
        }
    }

    /// Registers a kept document's dedup keys so later documents of the same input see it.
    public func remember(_ document: Document) {
        if let key = document.exactKey { pendingExact[key] = ExactMatch(documentID: document.id) }
        for key in document.lineKeys ?? [] { pendingLines[key, default: 0] += 1 }
        if let near = document.nearKey {
            pendingNear.append(
                NearCandidate(
                    documentID: document.id, signature: near.signature, sample: near.sample,
                    shingleCount: near.shingleCount))
            for band in near.bands { pendingBands.add(band, pendingNear.count - 1) }
            for fingerprint in near.fingerprints { pendingFingerprints.add(fingerprint, pendingNear.count - 1) }
        }
    }

    /// Registers the normal form of a document rejected as a near duplicate, so that its exact copies
    /// later in the same input attach to the same kept record.
    public func rememberRejected(_ document: Document, reason: DropReason) {
        guard let key = document.exactKey, pendingExact[key] == nil, let match = ExactMatch(nearDuplicate: reason)
        else { return }
        pendingExact[key] = match
    }

    /// Forgets uncommitted keys (after a commit they are in the index; after a rollback they never existed).
    public func clearPending() {
        pendingExact.removeAll(keepingCapacity: true)
        pendingNear.removeAll(keepingCapacity: true)
        pendingBands.removeAll()
        pendingFingerprints.removeAll()
        pendingLines.removeAll(keepingCapacity: true)
    }
}
