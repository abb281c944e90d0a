import GRDB

extension WinnowDatabase {
    /// Schema migrations. A migration is never edited once shipped: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_ledger_shards_exact_counters") { db in
            try db.execute(
                sql: """
                    CREATE TABLE input (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL,              -- the file name as dropped
                        claim_name TEXT NOT NULL,        -- its name in claimed/
                        content_hash TEXT NOT NULL,      -- XXH3-128 of the raw bytes
                        size INTEGER NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('processing', 'done', 'duplicate', 'failed')),
                        units_done INTEGER NOT NULL DEFAULT 0,  -- documents (JSONL lines) committed: the resume point
                        kept INTEGER NOT NULL DEFAULT 0,
                        dropped INTEGER NOT NULL DEFAULT 0,
                        duplicate_of INTEGER REFERENCES input(id),
                        error TEXT,
                        claimed_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX input_by_hash ON input(content_hash);
                    CREATE INDEX input_by_state ON input(state);
                    CREATE TABLE shard (
                        name TEXT PRIMARY KEY,
                        stream TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        committed_bytes INTEGER NOT NULL,
                        sealed INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE exact_key (
                        version INTEGER NOT NULL,
                        key BLOB NOT NULL,
                        document_id TEXT NOT NULL,
                        PRIMARY KEY (version, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE counter (
                        name TEXT PRIMARY KEY,
                        value INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2_near_duplicate_index") { db in
            try db.execute(
                sql: """
                    CREATE TABLE near_document (
                        id INTEGER PRIMARY KEY,
                        document_id TEXT NOT NULL,
                        signature BLOB NOT NULL          -- MinHash minimums, 32-bit little-endian
                    );
                    CREATE TABLE near_band (
                        band_key INTEGER NOT NULL,       -- XXH3-64 of a band's rows, as a signed integer
                        document INTEGER NOT NULL REFERENCES near_document(id),
                        PRIMARY KEY (band_key, document)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v3_repeated_lines") { db in
            try db.execute(
                sql: """
                    CREATE TABLE repeated_line (
                        key INTEGER PRIMARY KEY,         -- XXH3-64 of source and lowercased line, signed
                        documents INTEGER NOT NULL       -- distinct kept documents the line was seen in
                    );
                    """)
        }
        migrator.registerMigration("v4_duplicate_counts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE duplicate_count (
                        document_id TEXT PRIMARY KEY,    -- a kept record
                        exact INTEGER NOT NULL DEFAULT 0,
                        near INTEGER NOT NULL DEFAULT 0
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v5_containment") { db in
            try db.execute(
                sql: """
                    ALTER TABLE near_document ADD COLUMN sample BLOB;  -- sampled shingles, 32-bit little-endian, sorted
                    ALTER TABLE near_document ADD COLUMN shingles INTEGER NOT NULL DEFAULT 0;  -- the document's count
                    -- The normal form of a rejected near duplicate, attached to its kept record: NULL for kept ones.
                    ALTER TABLE exact_key ADD COLUMN similarity REAL;
                    ALTER TABLE exact_key ADD COLUMN containment REAL;
                    CREATE TABLE near_fingerprint (
                        key INTEGER NOT NULL,            -- an indexed sampled shingle (32 bits)
                        document INTEGER NOT NULL REFERENCES near_document(id),
                        PRIMARY KEY (key, document)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v6_fetch_queue") { db in
            try db.execute(
                sql: """
                    CREATE TABLE fetch_queue (
                        id INTEGER PRIMARY KEY,
                        url TEXT NOT NULL UNIQUE,        -- normalized (FetchURL)
                        origin TEXT NOT NULL,            -- scheme://host[:port]
                        state TEXT NOT NULL,             -- queued, fetching, done, failed
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at REAL NOT NULL,   -- Unix seconds
                        last_status INTEGER,
                        last_error TEXT,
                        reason TEXT,                     -- failure code: http_404, blocked_address, robots_denied…
                        etag TEXT,
                        last_modified TEXT,
                        final_url TEXT,
                        record_id TEXT,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX fetch_queue_due ON fetch_queue (state, next_attempt_at);
                    CREATE TABLE robots (
                        origin TEXT PRIMARY KEY,
                        fetched_at REAL NOT NULL,
                        status INTEGER NOT NULL,
                        body TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v7_resume_attempts") { db in
            // A claimed file found at start was being processed when the daemon last ended. Each
            // such start is counted here with the commit point it resumed from, so a file that
            // crashes or hangs the daemon at the same place again and again can be set aside.
            try db.execute(
                sql: """
                    CREATE TABLE resume_attempt (
                        claim_name TEXT PRIMARY KEY,
                        units_done INTEGER NOT NULL,     -- the commit point of the last resume
                        starts INTEGER NOT NULL          -- resumes from that same point
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v8_failed_path") { db in
            // Where a failed input was set aside (failed/NAME or a free variant of it), so that
            // `winnowctl retry` can put that very file back; NULL once it is put back.
            try db.execute(sql: "ALTER TABLE input ADD COLUMN failed_path TEXT")
        }
        migrator.registerMigration("v9_record_lookup") { db in
            // `winnowctl show ID`: the shard ranges each commit of an input wrote (a record id
            // begins with its input's content hash), and each rejected copy of a kept record.
            try db.execute(
                sql: """
                    CREATE TABLE record_extent (
                        input_id INTEGER NOT NULL REFERENCES input(id),
                        shard TEXT NOT NULL,
                        start INTEGER NOT NULL,          -- byte offsets: [start, end)
                        end INTEGER NOT NULL
                    );
                    CREATE INDEX record_extent_by_input ON record_extent(input_id);
                    CREATE TABLE duplicate_copy (
                        kept_id TEXT NOT NULL,
                        copy_id TEXT NOT NULL,
                        near INTEGER NOT NULL
                    );
                    CREATE INDEX duplicate_copy_by_kept ON duplicate_copy(kept_id);
                    """)
        }
        migrator.registerMigration("v10_recent_index_keys") { db in
            // New band, fingerprint and line-count rows go to small recent tables and reach the main ones in
            // key order, one slice of the key space per commit (the sweep, since replaced by sorted
            // runs: v11, v12 and WinnowDatabase+Runs.swift).
            try db.execute(
                sql: """
                    CREATE TABLE near_band_recent (
                        band_key INTEGER NOT NULL,
                        document INTEGER NOT NULL REFERENCES near_document(id),
                        PRIMARY KEY (band_key, document)
                    ) WITHOUT ROWID;
                    CREATE TABLE near_fingerprint_recent (
                        key INTEGER NOT NULL,
                        document INTEGER NOT NULL REFERENCES near_document(id),
                        PRIMARY KEY (key, document)
                    ) WITHOUT ROWID;
                    CREATE TABLE repeated_line_recent (
                        key INTEGER PRIMARY KEY,
                        documents INTEGER NOT NULL       -- added since the line was last moved
                    );
                    CREATE TABLE sweep (
                        name TEXT PRIMARY KEY,           -- the recent table
                        position INTEGER NOT NULL,       -- where the next slice starts, 64 bits, signed
                        owed INTEGER NOT NULL            -- rows added since the last slice was moved
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v11_index_runs") { db in
            // The band and fingerprint indexes become log-structured (WinnowDatabase+Runs.swift):
            // their main tables are frozen, to be written out as sorted runs when the database is
            // opened, and the sweep no longer moves rows into them.
            try db.execute(
                sql: """
                    ALTER TABLE near_band RENAME TO near_band_frozen_0;
                    ALTER TABLE near_fingerprint RENAME TO near_fingerprint_frozen_0;
                    DELETE FROM sweep WHERE name IN ('near_band_recent', 'near_fingerprint_recent');
                    CREATE TABLE index_run (
                        name TEXT PRIMARY KEY,           -- the file in winnow.sqlite-runs/
                        part TEXT NOT NULL,              -- bands or fingerprints
                        rows INTEGER NOT NULL,
                        checksum INTEGER NOT NULL        -- of the rows, as the file's header has it
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v12_line_count_runs") { db in
            // The line counts become log-structured too: their main table is frozen, to be written
            // out as a run when the database is opened, and nothing is swept any more.
            try db.execute(
                sql: """
                    ALTER TABLE repeated_line RENAME TO repeated_line_frozen_0;
                    DELETE FROM sweep;
                    """)
        }
        migrator.registerMigration("v13_index_settings") { db in
            // What the dedup indexes hold must be computed the same way for as long as they are used.
            // Signatures written before this table existed are version 1.
            try db.execute(
                sql: """
                    CREATE TABLE index_setting (
                        name TEXT PRIMARY KEY,
                        value INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    INSERT INTO index_setting (name, value)
                        SELECT 'near_signature_version', 1 WHERE EXISTS (SELECT 1 FROM near_document);
                    """)
        }
        migrator.registerMigration("v14_recent_index_without_foreign_keys") { db in
            // The band and fingerprint recent tables lose their foreign key, which SQLite checked on
            // every row a commit adds (RunPart.createSQL); their rows are copied over as they are.
            for part in [RunPart.bands, RunPart.fingerprints] {
                let rebuilt = part.recent + "_rebuilt"
                try db.execute(sql: part.createSQL(rebuilt))
                try db.execute(
                    sql: """
                        INSERT INTO \(rebuilt) (\(part.key), document) SELECT \(part.key), document FROM \(part.recent);
                        DROP TABLE \(part.recent);
                        ALTER TABLE \(rebuilt) RENAME TO \(part.recent);
                        """)
            }
        }
        migrator.registerMigration("v15_recent_index_log") { db in
            // The recent band, fingerprint and line-count rows are held in memory, and each commit
            // logs the rows it adds as one blob per index (WinnowDatabase+Runs.swift): the recent
            // tables' rows become each index's first blob.
            try db.execute(
                sql: """
                    CREATE TABLE index_log (
                        id INTEGER PRIMARY KEY,
                        part TEXT NOT NULL,              -- bands, fingerprints or lines
                        generation INTEGER NOT NULL,     -- blobs written out as one run share it
                        rows BLOB NOT NULL               -- (key, value) pairs, 64-bit little-endian
                    );
                    """)
            for part in RunPart.all {
                var entries: [IndexEntry] = []
                try forEachRow(of: part, in: part.recent, db: db) { entries.append($0) }
                if !entries.isEmpty { try appendToLog(entries, of: part, generation: 0, in: db) }
                try db.execute(sql: "DROP TABLE \(part.recent)")
            }
        }
        return migrator
    }
}
