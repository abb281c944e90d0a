import WinnowCore

/// Reproducible pseudo-random index keys for the store's tests.
struct KeySource {
    var state: UInt64

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }

    /// A document's near-duplicate keys: 14 bands and 12 fingerprints, none shared with another's.
    mutating func nearKey() -> NearKey {
        NearKey(
            signature: (0..<112).map { _ in UInt32(truncatingIfNeeded: next()) },
            bands: (0..<14).map { _ in next() }, sample: [1, 2, 3],
            fingerprints: (0..<12).map { _ in UInt32(truncatingIfNeeded: next()) }, shingleCount: 40)
    }
}
