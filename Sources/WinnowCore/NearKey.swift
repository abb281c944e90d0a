/// What the near-duplicate index stores of a kept document: its MinHash signature (for verifying
/// candidates) and its LSH band keys (for finding them).
public struct NearKey: Sendable, Equatable {
    public var signature: [UInt32]
    public var bands: [UInt64]

    public init(signature: [UInt32], bands: [UInt64]) {
        self.signature = signature
        self.bands = bands
    }
}

/// A kept document that shares at least one LSH band with a new one.
public struct NearCandidate: Sendable, Equatable {
    public var documentID: String
    public var signature: [UInt32]

    public init(documentID: String, signature: [UInt32]) {
        self.documentID = documentID
        self.signature = signature
    }
}

/// Read access to the persisted near-duplicate index (implemented by the store).
public protocol NearIndexReading: Sendable {
    /// Kept documents sharing at least one of these band keys.
    func nearCandidates(bands: [UInt64]) throws -> [NearCandidate]
}

/// Read access to the persisted table of repeated lines: for line keys (already qualified by their
/// source), in how many distinct kept documents each was seen.
public protocol LineCountReading: Sendable {
    func documentCounts(lineKeys: [UInt64]) throws -> [UInt64: Int]
}
