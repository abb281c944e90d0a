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
                    SELECT DISTINCT d.document_id, d.signature FROM near_band b JOIN near_document d ON d.id = b.document
                    WHERE b.band_key IN (\(placeholders))
                    """)
            let arguments = StatementArguments(bands.map { Int64(bitPattern: $0) })
            return try Row.fetchAll(statement, arguments: arguments).map { row in
                let data: Data = row[1]
                return NearCandidate(documentID: row[0], signature: Self.signature(data))
            }
        }
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

    /// A signature as stored: 32-bit values, little-endian.
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
