import WinnowCore
import WinnowText

/// Drops a document whose word 5-gram shingles mostly match those of a document already kept, in this
/// input or any earlier one (reason `near_duplicate`, with `duplicate_of` and `similarity`): MinHash
/// signatures, LSH bands to find candidates, and every candidate verified by its estimated Jaccard
/// similarity; the best match wins, so copies attach to a kept document, never to another copy.
/// A document mostly contained in a longer kept one (a clean copy of one of the two articles a kept
/// page carries) has a low Jaccard similarity with it, so it is also checked for containment: a
/// consistent sample of its shingles, looked up through an index of sampled fingerprints, and the
/// share of the sample found in a candidate's sample (`containment`, reported in the reason).
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
        /// The share of a new document's shingles found in one kept document from which it is a near
        /// duplicate of it, whatever their Jaccard similarity; above 1 turns the check off.
        public var containment = 0.8
        /// One shingle in `sample_rate` is sampled to measure containment, one in four times as many
        /// is indexed to find the documents to measure it against. Lower is more precise and larger.
        public var sampleRate = 4

        public init() {}
    }

    public let name = "near_dedup"
    private let configuration: Configuration
    private let hasher: MinHasher

    public init(configuration: Configuration) {
        self.init(configuration: configuration, signatureVersion: .current)
    }

    /// A stage for an index whose signatures are of `signatureVersion`.
    public init(configuration: Configuration, signatureVersion: MinHasher.Version) {
        self.configuration = configuration
        hasher = MinHasher(
            count: configuration.bands * configuration.rows, shingleSize: configuration.shingleWords,
            version: signatureVersion)
    }

    public var isStateful: Bool { true }

    public func prepare(_ document: inout Document) {
        document.nearSketch = sketch(of: &document)
    }

    /// The signature, band keys and shingle sample of the document's text; `nil` when it has fewer
    /// than `minWords` words.
    private func sketch(of document: inout Document) -> NearKey? {
        let words = hasher.wordHashes(document.cachedDedupForm())
        guard words.count >= configuration.minWords else { return nil }
        let shingles = hasher.shingles(words)
        let signature = hasher.signature(of: shingles)
        let sample = MinHasher.containmentSample(shingles, rate: configuration.sampleRate)
        return NearKey(
            signature: signature,
            bands: MinHasher.bandKeys(signature, bands: configuration.bands, rows: configuration.rows),
            sample: sample.values, fingerprints: sample.indexed, shingleCount: shingles.count)
    }

    public func apply(to document: inout Document, context: StageContext) -> Verdict {
        guard let key = document.nearSketch ?? sketch(of: &document) else { return .keep }
        var best: (id: String, similarity: Double)?
        for candidate in context.nearCandidates(bands: key.bands) {
            let similarity = MinHasher.similarity(key.signature, candidate.signature)
            if similarity >= configuration.threshold && similarity > (best?.similarity ?? 0) {
                best = (candidate.documentID, similarity)
            }
        }
        if let best {
            return .drop(DropReason("near_duplicate", details: Self.details(best.id, similarity: best.similarity)))
        }
        if let contained = container(of: key, context: context) {
            let similarity = MinHasher.similarity(key.signature, contained.candidate.signature)
            var details = Self.details(contained.candidate.documentID, similarity: similarity)
            details["containment"] = .double(Self.rounded(contained.containment))
            return .drop(DropReason("near_duplicate", details: details))
        }
        document.nearKey = key
        return .keep
    }

    /// The kept document holding the largest share (at least `containment`) of the sampled shingles.
    /// A sample of a short document is small (a dozen values for 50 words), so the share is checked
    /// against a second, independent measure: the containment the signatures imply, |A ∩ B| / |A| =
    /// J (|A| + |B|) / ((1 + J) |A|), precise when the two are of similar length, where a copy with a
    /// tenth of its words edited (true containment 0.6) could otherwise pass on sampling luck. It
    /// must reach `containment` − 0.1: looser, because for a container ten times longer a small
    /// error in J is a large one in the implied containment.
    private func container(of key: NearKey, context: StageContext) -> (candidate: NearCandidate, containment: Double)? {
        let sample = (values: key.sample, indexed: key.fingerprints)
        let signature = key.signature
        let shingleCount = key.shingleCount
        guard configuration.containment <= 1, !sample.indexed.isEmpty else { return nil }
        // A document holding a share c of the new one holds about c of its fingerprints: asking for
        // half of them finds the containers at 0.8 and leaves out documents sharing a phrase or two.
        let minimumHits = (sample.indexed.count + 1) / 2
        var best: (candidate: NearCandidate, containment: Double)?
        let candidates = context.containmentCandidates(
            fingerprints: sample.indexed, minimumHits: minimumHits, limit: 8)
        for candidate in candidates where !candidate.sample.isEmpty {
            let containment = MinHasher.containment(of: sample.values, in: candidate.sample)
            guard containment >= configuration.containment && containment > (best?.containment ?? 0) else { continue }
            let jaccard = MinHasher.similarity(signature, candidate.signature)
            let implied =
                jaccard * Double(shingleCount + candidate.shingleCount) / ((1 + jaccard) * Double(shingleCount))
            if candidate.shingleCount > 0 && implied < configuration.containment - 0.1 { continue }
            best = (candidate, containment)
        }
        return best
    }

    private static func details(_ keptID: String, similarity: Double) -> JSONObject {
        ["duplicate_of": .string(keptID), "similarity": .double(rounded(similarity))]
    }

    private static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}
