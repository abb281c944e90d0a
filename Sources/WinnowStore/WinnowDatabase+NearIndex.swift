import Foundation
import GRDB
import WinnowCore

extension WinnowDatabase: NearIndexReading {
    public func nearCandidates(bands: [UInt64]) throws -> [NearCandidate] {
        try queue.inDatabase { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT d.id, d.document_id, d.signature FROM near_band b JOIN near_document d ON d.id = b.document
                    WHERE b.band_key = ?
                    """)
            var seen = Set<Int64>()
            var found: [NearCandidate] = []
            for band in bands {
                for row in try Row.fetchAll(statement, arguments: [Int64(bitPattern: band)]) {
                    let id: Int64 = row[0]
                    guard seen.insert(id).inserted else { continue }
                    let data: Data = row[2]
                    found.append(NearCandidate(documentID: row[1], signature: Self.signature(data)))
                }
            }
            return found
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
