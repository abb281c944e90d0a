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
        /// The run-backed index whose parts the filter covers (recent and frozen rows, runs), or
        /// nil for `exact_key`.
        var part: RunPart?
        var added: @Sendable (CommitBatch) -> [UInt64]
    }

    private static let filteredTables = [
        FilteredTable(filter: \.exact, part: nil, added: { $0.exactKeys.map { filterKey($0.key) } }),
        FilteredTable(filter: \.bands, part: .bands, added: { $0.nearKeys.flatMap(\.key.bands) }),
        FilteredTable(
            filter: \.fingerprints, part: .fingerprints,
            added: { $0.nearKeys.flatMap { $0.key.fingerprints.map { UInt64($0) } } }),
        FilteredTable(filter: \.lines, part: .lines, added: { $0.lineKeys.flatMap { $0 } }),
    ]

    /// The filter key of an exact key: its two halves folded.
    static func filterKey(_ key: Hash128) -> UInt64 { key.high ^ key.low }

    /// Fills every filter from its table at open (about a second per ten million rows), opening
    /// the runs `openRuns` listed as it reads them: one read of each run both checks it and fills
    /// the filter.
    func rebuildFilters(opening listed: [RunPart: [String]]) throws {
        for table in Self.filteredTables { try rebuild(table, opening: table.part.map { listed[$0] ?? [] }) }
    }

    /// Adds a committed batch's keys to the filters, rebuilding one that grew past its size.
    func addToFilters(_ batch: CommitBatch) throws {
        for table in Self.filteredTables where !filters[keyPath: table.filter].insert(table.added(batch)) {
            try rebuild(table)
        }
    }

    /// Refills `table`'s filter; with `opening`, from those runs, which it opens and gives to the
    /// part, rather than from the part's open runs.
    private func rebuild(_ table: FilteredTable, opening: [String]? = nil) throws {
        try queue.inDatabase { db in
            guard let part = table.part else {
                let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM exact_key") ?? 0
                try filters[keyPath: table.filter].rebuild(expected: rows) { add in
                    try RawStatement(db, uncached: "SELECT key FROM exact_key").run {
                        add(Self.filterKey($0.hash128(0)))
                    }
                }
                return
            }
            let state = runs.part(part)
            let tables = state.frozen.map(\.table)
            let memory = [state.recent] + state.frozenRecent.map(\.rows)
            var rows =
                try opening == nil
                ? state.runs.reduce(0) { $0 + $1.count }
                : Int.fetchOne(db, sql: "SELECT sum(rows) FROM index_run WHERE part = ?", arguments: [part.name]) ?? 0
            rows += memory.reduce(0) { $0 + $1.count }
            for name in tables { rows += try Int.fetchOne(db, sql: "SELECT count(*) FROM \(name)") ?? 0 }
            var opened: [IndexRun] = []
            try filters[keyPath: table.filter].rebuild(expected: rows) { add in
                for recent in memory { recent.forEachKey { add(UInt64(bitPattern: $0)) } }
                for name in tables {
                    try RawStatement(db, uncached: "SELECT \(part.key) FROM \(name)").run {
                        add(UInt64(bitPattern: $0.int64(0)))
                    }
                }
                if let opening {
                    for name in opening {
                        opened.append(
                            try IndexRun.open(path: runs.directory + "/" + name, name: name) {
                                add(UInt64(bitPattern: $0.key))
                            })
                    }
                } else {
                    for run in state.runs {
                        var reader = run.reader()
                        while let entry = try reader.next() { add(UInt64(bitPattern: entry.key)) }
                    }
                }
            }
            if opening != nil { runs.state.withLock { $0.parts[part, default: RunPartState(part)].runs = opened } }
        }
    }
}
