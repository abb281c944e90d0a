import GRDB
import WinnowCore

/// The negative filters in front of the index lookups, one per table a document is looked up in.
/// Together they take at most 96 MiB: a filter sized for twice its keys takes 4 bytes per key, so
/// the band and fingerprint filters reach their budget at about 8 million keys (300,000 to 600,000
/// documents), and past that they answer "maybe" more often instead of growing.
final class IndexFilters: Sendable {
    let exact = KeyFilter(maximumBytes: 16 << 20)
    let bands = KeyFilter(maximumBytes: 32 << 20)
    let fingerprints = KeyFilter(maximumBytes: 32 << 20)
    /// The line counts are bounded (about 2 million lines): this never fills.
    let lines = KeyFilter(maximumBytes: 16 << 20)
}

extension WinnowDatabase {
    /// A table with a filter: where its keys are and which of a batch's keys it gains.
    private struct FilteredTable: Sendable {
        var filter: KeyPath<IndexFilters, KeyFilter> & Sendable
        /// The tables whose keys the filter covers (a swept table's main and recent parts).
        var tables: [String] = []
        /// Or the run-backed index whose parts it covers: recent and frozen tables, runs.
        var part: RunPart?
        var column: String
        var key: @Sendable (RawRow) -> UInt64
        var added: @Sendable (CommitBatch) -> [UInt64]
    }

    private static let filteredTables = [
        FilteredTable(
            filter: \.exact, tables: ["exact_key"], column: "key", key: { filterKey($0.hash128(0)) },
            added: { $0.exactKeys.map { filterKey($0.key) } }),
        FilteredTable(
            filter: \.bands, part: .bands, column: RunPart.bands.key, key: { UInt64(bitPattern: $0.int64(0)) },
            added: { $0.nearKeys.flatMap(\.key.bands) }),
        FilteredTable(
            filter: \.fingerprints, part: .fingerprints, column: RunPart.fingerprints.key,
            key: { UInt64(bitPattern: $0.int64(0)) },
            added: { $0.nearKeys.flatMap { $0.key.fingerprints.map { UInt64($0) } } }),
        FilteredTable(
            filter: \.lines, part: .lines, column: RunPart.lines.key, key: { UInt64(bitPattern: $0.int64(0)) },
            added: { $0.lineKeys.flatMap { $0 } }),
    ]

    /// The filter key of an exact key: its two halves folded.
    static func filterKey(_ key: Hash128) -> UInt64 { key.high ^ key.low }

    /// Fills every filter from its table (at open: about a second per ten million rows).
    func rebuildFilters() throws {
        for table in Self.filteredTables { try rebuild(table) }
    }

    /// Adds a committed batch's keys to the filters, rebuilding one that grew past its size.
    func addToFilters(_ batch: CommitBatch) throws {
        for table in Self.filteredTables where !filters[keyPath: table.filter].insert(table.added(batch)) {
            try rebuild(table)
        }
    }

    private func rebuild(_ table: FilteredTable) throws {
        try queue.inDatabase { db in
            let state = table.part.map(runs.part)
            let names = table.tables + (table.part.map { [$0.recent] } ?? []) + (state?.frozen.map(\.table) ?? [])
            let rows = try names.reduce(state?.runs.reduce(0) { $0 + $1.count } ?? 0) {
                $0 + (try Int.fetchOne(db, sql: "SELECT count(*) FROM \($1)") ?? 0)
            }
            try filters[keyPath: table.filter].rebuild(expected: rows) { add in
                for name in names {
                    try RawStatement(db, uncached: "SELECT \(table.column) FROM \(name)").run { add(table.key($0)) }
                }
                for run in state?.runs ?? [] {
                    var reader = run.reader()
                    while let entry = try reader.next() { add(UInt64(bitPattern: entry.key)) }
                }
            }
        }
    }
}
