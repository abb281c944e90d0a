import CSQLite
import GRDB
import WinnowCore

/// A statement GRDB prepared and caches, bound and stepped through SQLite's C API: for the store's
/// hot paths (a lookup per document, an insert per index row), where GRDB's argument arrays and
/// row objects cost more than SQLite itself. Use it only inside the queue's closure that gave the
/// statement; every use starts from a reset statement with no bindings left over.
struct RawStatement {
    private let handle: OpaquePointer
    private let db: Database
    /// The statement an uncached `RawStatement` owns (GRDB finalizes it with this object).
    private let owned: Statement?

    /// The statement for `sql`, prepared once per connection.
    init(_ db: Database, _ sql: String) throws {
        self.db = db
        owned = nil
        handle = try db.cachedStatement(sql: sql).sqliteStatement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// A statement prepared for this use only: for SQL that names a table that will not last
    /// (a frozen index table), which the connection's cache would otherwise keep for good.
    init(_ db: Database, uncached sql: String) throws {
        self.db = db
        let statement = try db.makeStatement(sql: sql)
        owned = statement
        handle = statement.sqliteStatement
    }

    /// `?1,?2,…,?count`: parameters that a statement can use more than once (a lookup in both
    /// parts of a swept table binds its keys once).
    static func numberedPlaceholders(_ count: Int) -> String {
        (1...count).map { "?\($0)" }.joined(separator: ",")
    }

    /// Binds a 64-bit integer to the 1-based parameter `index`.
    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds a blob (copied by SQLite) to the 1-based parameter `index`.
    func bind(_ index: Int32, bytes: UnsafeRawBufferPointer) {
        sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), csqlite_transient())
    }

    /// Binds 32-bit values as a little-endian blob (signatures and samples as stored).
    func bind(_ index: Int32, littleEndian values: [UInt32]) {
        values.map { $0.littleEndian }.withUnsafeBytes { bind(index, bytes: $0) }
    }

    /// Binds a text (copied by SQLite) to the 1-based parameter `index`.
    func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            _ = sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), csqlite_transient())
        }
    }

    /// Binds a double, or NULL, to the 1-based parameter `index`.
    func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Runs the statement to its end, calling `row` for each result row; then resets it.
    func run(_ row: (RawRow) throws -> Void = { _ in }) throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                    sql: String(cString: sqlite3_sql(handle)))
            }
            try row(RawRow(handle: handle))
        }
    }
}

/// The current row of a `RawStatement`, valid only inside its `run` callback.
struct RawRow {
    fileprivate let handle: OpaquePointer

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func double(_ column: Int32) -> Double? { isNull(column) ? nil : sqlite3_column_double(handle, column) }

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// A 16-byte big-endian blob (an exact key as stored).
    func hash128(_ column: Int32) -> Hash128 {
        guard let blob = sqlite3_column_blob(handle, column), sqlite3_column_bytes(handle, column) == 16 else {
            return Hash128(high: 0, low: 0)
        }
        let raw = UnsafeRawBufferPointer(start: blob, count: 16)
        return Hash128(
            high: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    /// `body` applied to a blob column's bytes (empty for NULL), valid only during the call.
    func withBlob<Result>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let blob = sqlite3_column_blob(handle, column)
        return try body(
            UnsafeRawBufferPointer(start: blob, count: blob == nil ? 0 : Int(sqlite3_column_bytes(handle, column))))
    }

    /// A blob of 32-bit little-endian values (signatures and samples as stored).
    func uint32s(_ column: Int32) -> [UInt32] {
        guard let blob = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column)) / 4
        let raw = UnsafeRawBufferPointer(start: blob, count: count * 4)
        return (0..<count).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
    }
}
