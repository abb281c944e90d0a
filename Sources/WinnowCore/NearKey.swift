/// What the near-duplicate index stores of a kept document: its MinHash signature (for verifying
/// candidates) and its LSH band keys (for finding them); a consistent sample of its shingles (for
/// measuring containment) and the indexed part of that sample, its fingerprints (for finding
/// documents that contain a new one).
public struct NearKey: Sendable, Equatable {
    public var signature: [UInt32]
    public var bands: [UInt64]
    /// Sorted, distinct sampled shingle values (`MinHasher.containmentSample`).
    public var sample: [UInt32]
    /// The sampled values that are indexed (a subset of `sample`).
    public var fingerprints: [UInt32]
    /// How many shingles the document has.
    public var shingleCount: Int

    public init(
        signature: [UInt32], bands: [UInt64], sample: [UInt32] = [], fingerprints: [UInt32] = [],
        shingleCount: Int = 0
    ) {
        self.signature = signature
        self.bands = bands
        self.sample = sample
        self.fingerprints = fingerprints
        self.shingleCount = shingleCount
    }
}

/// A kept document that may be a near duplicate of a new one: it shares an LSH band with it, or
/// enough fingerprints to contain it.
public struct NearCandidate: Sendable, Equatable {
    public var documentID: String
    public var signature: [UInt32]
    /// The kept document's shingle sample (empty for documents indexed before samples were kept).
    public var sample: [UInt32]
    /// How many shingles the kept document has (0 when not known).
    public var shingleCount: Int

    public init(documentID: String, signature: [UInt32], sample: [UInt32] = [], shingleCount: Int = 0) {
        self.documentID = documentID
        self.signature = signature
        self.sample = sample
        self.shingleCount = shingleCount
    }
}

/// Read access to the persisted near-duplicate index (implemented by the store).
public protocol NearIndexReading: Sendable {
    /// Kept documents sharing at least one of these band keys.
    func nearCandidates(bands: [UInt64]) throws -> [NearCandidate]
    /// Kept documents holding at least `minimumHits` of these fingerprints, most hits first, at most `limit`.
    func containmentCandidates(fingerprints: [UInt32], minimumHits: Int, limit: Int) throws -> [NearCandidate]
}

/// Read access to the persisted table of repeated lines: for line keys (already qualified by their
/// source), in how many distinct kept documents each was seen.
public protocol LineCountReading: Sendable {
    func documentCounts(lineKeys: [UInt64]) throws -> [UInt64: Int]
}
