import Foundation
import GRDB
import WinnowCore

extension WinnowDatabase: NearIndexReading {
    public func nearCandidates(bands: [UInt64]) throws -> [NearCandidate] {
        guard bands.contains(where: filters.bands.mayContain) else { return [] }
        // One statement for all bands (prepared once per band count): most documents match none.
        return try queue.inDatabase { db in
            let placeholders = RawStatement.numberedPlaceholders(bands.count)
            let statement = try RawStatement(
                db,
                """
                SELECT d.document_id, d.signature, d.sample, d.shingles FROM near_document d
                WHERE d.id IN (
                    SELECT document FROM near_band WHERE band_key IN (\(placeholders))
                    UNION ALL SELECT document FROM near_band_recent WHERE band_key IN (\(placeholders)))
                """)
            for (index, band) in bands.enumerated() { statement.bind(Int32(index + 1), Int64(bitPattern: band)) }
            var found: [NearCandidate] = []
            try statement.run { found.append(Self.candidate($0)) }
            return found
        }
    }

    public func containmentCandidates(fingerprints: [UInt32], minimumHits: Int, limit: Int) throws -> [NearCandidate] {
        guard !fingerprints.isEmpty,
            minimumHits <= filters.fingerprints.countMaybe(fingerprints.lazy.map { UInt64($0) })
        else { return [] }
        return try queue.inDatabase { db in
            let placeholders = RawStatement.numberedPlaceholders(fingerprints.count)
            let count = fingerprints.count
            // Statements are cached per fingerprint count: documents of similar length share them.
            // A (key, document) row is in one of the two parts, so the union counts each hit once.
            let statement = try RawStatement(
                db,
                """
                SELECT d.document_id, d.signature, d.sample, d.shingles FROM (
                    SELECT document, count(*) AS hits FROM (
                        SELECT document FROM near_fingerprint WHERE key IN (\(placeholders))
                        UNION ALL SELECT document FROM near_fingerprint_recent WHERE key IN (\(placeholders)))
                    GROUP BY document HAVING hits >= ?\(count + 1) ORDER BY hits DESC, document LIMIT ?\(count + 2)
                ) f JOIN near_document d ON d.id = f.document
                """)
            for (index, fingerprint) in fingerprints.enumerated() {
                statement.bind(Int32(index + 1), Int64(fingerprint))
            }
            statement.bind(Int32(fingerprints.count + 1), Int64(minimumHits))
            statement.bind(Int32(fingerprints.count + 2), Int64(limit))
            var found: [NearCandidate] = []
            try statement.run { found.append(Self.candidate($0)) }
            return found
        }
    }

    private static func candidate(_ row: RawRow) -> NearCandidate {
        NearCandidate(
            documentID: row.string(0), signature: row.uint32s(1), sample: row.uint32s(2),
            shingleCount: Int(row.int64(3)))
    }

    /// How many exact and near copies of a kept record have been rejected so far.
    public func duplicateCounts(of documentID: String) throws -> (exact: Int, near: Int) {
        try queue.read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT exact, near FROM duplicate_count WHERE document_id = ?", arguments: [documentID])
            return (row?["exact"] ?? 0, row?["near"] ?? 0)
        }
    }

    /// How many documents the near-duplicate index holds.
    public func nearIndexSize() throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM near_document") ?? 0 }
    }
}
