import Foundation
import GRDB
import WinnowCore

extension WinnowDatabase: NearIndexReading {
    public func nearCandidates(bands: [UInt64]) throws -> [NearCandidate] {
        guard !bands.isEmpty else { return [] }
        // One statement for all bands (prepared once per band count): most documents match none.
        return try queue.inDatabase { db in
            let placeholders = Array(repeating: "?", count: bands.count).joined(separator: ",")
            let statement = try db.cachedStatement(
                sql: """
                    SELECT d.document_id, d.signature, d.sample, d.shingles FROM near_document d
                    WHERE d.id IN (SELECT b.document FROM near_band b WHERE b.band_key IN (\(placeholders)))
                    """)
            let arguments = StatementArguments(bands.map { Int64(bitPattern: $0) })
            return try Row.fetchAll(statement, arguments: arguments).map(Self.candidate)
        }
    }

    public func containmentCandidates(fingerprints: [UInt32], minimumHits: Int, limit: Int) throws -> [NearCandidate] {
        guard !fingerprints.isEmpty, minimumHits <= fingerprints.count else { return [] }
        return try queue.inDatabase { db in
            let placeholders = Array(repeating: "?", count: fingerprints.count).joined(separator: ",")
            // Statements are cached per fingerprint count: documents of similar length share them.
            let statement = try db.cachedStatement(
                sql: """
                    SELECT d.document_id, d.signature, d.sample, d.shingles FROM (
                        SELECT document, count(*) AS hits FROM near_fingerprint WHERE key IN (\(placeholders))
                        GROUP BY document HAVING hits >= ? ORDER BY hits DESC LIMIT ?
                    ) f JOIN near_document d ON d.id = f.document
                    """)
            var values: [(any DatabaseValueConvertible)?] = fingerprints.map { Int64($0) }
            values.append(minimumHits)
            values.append(limit)
            return try Row.fetchAll(statement, arguments: StatementArguments(values)).map(Self.candidate)
        }
    }

    private static func candidate(_ row: Row) -> NearCandidate {
        let signature: Data = row[1]
        let sample: Data? = row[2]
        return NearCandidate(
            documentID: row[0], signature: Self.signature(signature), sample: sample.map(Self.signature) ?? [],
            shingleCount: row[3])
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

    /// A signature or a shingle sample as stored: 32-bit values, little-endian.
    static func blob(_ signature: [UInt32]) -> Data {
        var data = Data(capacity: signature.count * 4)
        for value in signature { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func signature(_ data: Data) -> [UInt32] {
        data.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map {
                UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))
            }
        }
    }
}
