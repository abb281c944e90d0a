import Foundation
import GRDB
import Synchronization

/// How often the WAL is copied back into the database file. A checkpoint copies every page the WAL
/// holds, and pages that every commit rewrites (those of the recent index tables until schema
/// version 15; the ledger's, the exact keys' and the log's now) are copied back each time: at
/// SQLite's default (every 1,000 pages, 4 MB of WAL) a large index was checkpointed after almost
/// every commit; at 16,384 pages (64 MB) most pages are copied once for many commits, and a
/// document cost 20-25% less with a million indexed (docs/performance.md). The WAL
/// then needs that much disk before it is reused, so the long interval is used only while the
/// database's file system has `roomForLongInterval` free; short of that, SQLite's default, and the
/// WAL is checkpointed and truncated at once, so that a nearly full disk is not filled by the WAL
/// and the daemon resumes as soon as a little space returns. Durability does not depend on it: the
/// WAL is synced at every commit.
extension WinnowDatabase {
    static let longCheckpointInterval = 16_384
    static let shortCheckpointInterval = 1_000
    static let roomForLongInterval: UInt64 = 256 << 20

    /// Sets the interval the free space calls for, if it is not the one set already (checked before
    /// each commit: one `statvfs`).
    func adjustCheckpointInterval() throws {
        let pages =
            Self.freeBytes(on: queue.path) >= Self.roomForLongInterval
            ? Self.longCheckpointInterval : Self.shortCheckpointInterval
        guard checkpointPages.replace(with: pages) else { return }
        try queue.inDatabase { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)")
            // Space ran short while the WAL may hold up to 64 MB: copy it back now and give its
            // space back to the file system.
            if pages == Self.shortCheckpointInterval {
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
    }

    /// The bytes an unprivileged process may still write on the file system holding the file at
    /// `path` (0 if that cannot be told).
    static func freeBytes(on path: String) -> UInt64 {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return 0 }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }
}

/// The WAL checkpoint interval last set on the connection, in pages (0: not set yet).
final class CheckpointPages: Sendable {
    private let pages = Mutex(0)

    /// Records `value`; true if it differs from the one recorded before.
    func replace(with value: Int) -> Bool {
        pages.withLock { current in
            defer { current = value }
            return current != value
        }
    }
}
