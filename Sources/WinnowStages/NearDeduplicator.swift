import WinnowCore
import WinnowText

/// Drops a document whose word 5-gram shingles mostly match those of a document already kept, in this
/// input or any earlier one (reason `near_duplicate`, with `duplicate_of` and `similarity`): MinHash
/// signatures, LSH bands to find candidates, and every candidate verified by its estimated Jaccard
/// similarity; the best match wins, so copies attach to a kept document, never to another copy.
/// Documents too short for a meaningful signature are left to the exact deduplicator.
public struct NearDeduplicator: ConfigurableStage {
    /// Settings of `[stages.near_dedup]`.
    public struct Configuration: StageConfiguration {
        /// LSH bands and rows per band: 14 × 8 = 112 hash functions, FineWeb's setting. A pair at
        /// Jaccard 0.8 shares a band with probability 1 − (1 − 0.8⁸)¹⁴ ≈ 0.92; at 0.9, ≈ 0.9996.
        public var bands = 14
        public var rows = 8
        /// The estimated Jaccard similarity from which a candidate is a duplicate. The aim is to catch
        /// pairs whose true similarity is 0.8 or more; 112 functions estimate it with a standard error
        /// of about 0.04 there, so the estimate is compared with 0.75 (measured on planted copies:
        /// recall at true J ≥ 0.8 0.92 with 0.8, 0.99 with 0.75, no pair under 0.5 flagged either way).
        public var threshold = 0.75
        /// Words per shingle (FineWeb and datatrove: 5).
        public var shingleWords = 5
        /// Shorter documents use the exact key only (their few shingles make estimates noisy).
        public var minWords = 50

        public init() {}
    }

    public let name = "near_dedup"
    private let configuration: Configuration
    private let hasher: MinHasher

    public init(configuration: Configuration) {
        self.configuration = configuration
        hasher = MinHasher(count: configuration.bands * configuration.rows, shingleSize: configuration.shingleWords)
    }

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        let words = MinHasher.wordHashes(document.cachedDedupForm())
        guard words.count >= configuration.minWords else { return .keep }
        let signature = hasher.signature(of: hasher.shingles(words))
        let bands = MinHasher.bandKeys(signature, bands: configuration.bands, rows: configuration.rows)
        var best: (id: String, similarity: Double)?
        for candidate in context.nearCandidates(bands: bands) {
            let similarity = MinHasher.similarity(signature, candidate.signature)
            if similarity >= configuration.threshold && similarity > (best?.similarity ?? 0) {
                best = (candidate.documentID, similarity)
            }
        }
        if let best {
            let details: JSONObject = [
                "duplicate_of": .string(best.id), "similarity": .double((best.similarity * 1000).rounded() / 1000),
            ]
            return .drop(DropReason("near_duplicate", details: details))
        }
        document.nearKey = NearKey(signature: signature, bands: bands)
        return .keep
    }
}
