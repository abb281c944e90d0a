import Foundation
import GRDB
import WinnowCore

extension WinnowDatabase: NearIndexReading {
    public func nearCandidates(bands: [UInt64]) throws -> [NearCandidate] {
        // Most documents match none: only the keys that may be there are looked up.
        let keys = Set(bands.filter(filters.bands.mayContain)).map { Int64(bitPattern: $0) }
        guard !keys.isEmpty else { return [] }
        return try queue.inDatabase { db in
            let documents = Set(try rows(.bands, keys: keys, in: db).map(\.value)).sorted()
            return try Self.nearDocuments(documents, in: db)
        }
    }

    public func containmentCandidates(fingerprints: [UInt32], minimumHits: Int, limit: Int) throws -> [NearCandidate] {
        let maybe = fingerprints.filter { filters.fingerprints.mayContain(UInt64($0)) }
        guard !fingerprints.isEmpty, minimumHits <= maybe.count else { return [] }
        let keys = Set(maybe).map { Int64($0) }
        return try queue.inDatabase { db in
            // A (key, document) row is in one part only, so each hit is counted once.
            var hits: [Int64: Int] = [:]
            for row in try rows(.fingerprints, keys: keys, in: db) { hits[row.value, default: 0] += 1 }
            let best = hits.filter { $0.value >= minimumHits }
                .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(limit).map(\.key)
            return try Self.nearDocuments(best, in: db)
        }
    }

    /// The `near_document` rows with these ids, in this order.
    private static func nearDocuments(_ ids: [Int64], in db: Database) throws -> [NearCandidate] {
        let statement = try RawStatement(
            db, "SELECT document_id, signature, sample, shingles FROM near_document WHERE id = ?")
        var found: [NearCandidate] = []
        for id in ids {
            statement.bind(1, id)
            try statement.run { found.append(Self.candidate($0)) }
        }
        return found
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

    /// The version of the MinHash signatures the near-duplicate index holds (`MinHasher.Version`), or
    /// `nil` while none is recorded: a database from before versions were recorded holds version 1.
    public func nearSignatureVersion() throws -> Int? {
        try queue.read(Self.nearSignatureVersion)
    }

    /// The version recorded for the near-duplicate index's signatures, recording `version` first when
    /// there is none yet (a new index).
    public func adoptNearSignatureVersion(_ version: Int) throws -> Int {
        try queue.write { db in
            if let stored = try Self.nearSignatureVersion(db) { return stored }
            try db.execute(
                sql: "INSERT INTO index_setting (name, value) VALUES ('near_signature_version', ?)",
                arguments: [version])
            return version
        }
    }

    private static func nearSignatureVersion(_ db: Database) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT value FROM index_setting WHERE name = 'near_signature_version'")
    }
}
