import WinnowIO

#if canImport(Glibc)
    import Glibc
#endif

/// One row of a run-backed index: a hash key and its value, the `near_document` row it belongs to
/// (bands, fingerprints) or a line's count of documents (line counts). Rows are ordered by key,
/// then value, as signed integers (the order of SQLite's primary key).
struct IndexEntry: Comparable, Hashable, Sendable {
    var key: Int64
    var document: Int64

    static func < (a: IndexEntry, b: IndexEntry) -> Bool {
        a.key != b.key ? a.key < b.key : a.document < b.document
    }
}

extension [IndexEntry] {
    /// Sorts the entries by key, then document, as `sort()` does. Keys are hashes, spread evenly and
    /// seldom equal: a least-significant-digit radix sort on the key (six passes of 11 bits, the
    /// signed order kept by flipping the top bit) takes a fixed few steps per entry where a
    /// comparison sort takes one comparison per level of its merge; the few runs of one key are
    /// then put in order of document. Short arrays take the comparison sort.
    mutating func sortByKey() {
        guard count > 64 else { return sort() }
        let digitBits = 11
        let buckets = 1 << digitBits
        let passes = (64 + digitBits - 1) / digitBits
        var histogram = [Int](repeating: 0, count: buckets * passes)
        @inline(__always)
        func digit(_ entry: IndexEntry, _ pass: Int) -> Int {
            Int(truncatingIfNeeded: (UInt64(bitPattern: entry.key) ^ (1 << 63)) >> UInt64(pass * digitBits))
                & (buckets - 1)
        }
        var scratch = self
        withUnsafeMutableBufferPointer { entries in
            scratch.withUnsafeMutableBufferPointer { other in
                histogram.withUnsafeMutableBufferPointer { histogram in
                    for entry in entries {
                        for pass in 0..<passes { histogram[pass * buckets + digit(entry, pass)] += 1 }
                    }
                    var source = entries
                    var target = other
                    for pass in 0..<passes {
                        let base = pass * buckets
                        // A digit every entry shares moves nothing.
                        if histogram[base + digit(source[0], pass)] == source.count { continue }
                        var offset = 0
                        for bucket in base..<(base + buckets) {
                            let size = histogram[bucket]
                            histogram[bucket] = offset
                            offset += size
                        }
                        for entry in source {
                            let bucket = base + digit(entry, pass)
                            target[histogram[bucket]] = entry
                            histogram[bucket] += 1
                        }
                        swap(&source, &target)
                    }
                    if source.baseAddress != entries.baseAddress {
                        for index in entries.indices { entries[index] = source[index] }
                    }
                    // Entries of one key are adjacent now: order each run of them by document.
                    var start = 0
                    while start < entries.count {
                        var end = start + 1
                        while end < entries.count && entries[end].key == entries[start].key { end += 1 }
                        if end - start > 1 {
                            var run = UnsafeMutableBufferPointer(rebasing: entries[start..<end])
                            run.sort { $0.document < $1.document }
                        }
                        start = end
                    }
                }
            }
        }
    }
}

/// A damaged or missing run file: the state is not what the database says it holds.
public struct IndexRunError: Error, CustomStringConvertible {
    public var path: String
    public var detail: String
    public var description: String { "index run \(path): \(detail)" }
}

/// An immutable file of sorted index rows (a "sorted run"), written once and never changed: a
/// 32-byte header (magic, row count, checksum of the rows) and the rows, 16 bytes each (key and
/// document, little-endian). Rows are looked up by key through a sparse index kept in memory (the
/// first key of every block of 256 rows: 4 KiB, one page), which costs one `pread` per key.
///
/// The band, fingerprint and line-count rows reach runs from the recent tables (WinnowDatabase+Runs.swift),
/// and runs are merged into larger ones in the background: adding rows never rewrites the pages of
/// a large B-tree, so a commit costs the same at a million documents as at ten thousand.
final class IndexRun: Sendable {
    static let magic: UInt64 = 0x3130_4E55_524E_4E57  // "WNNRUN01"
    static let headerSize = 32
    static let entrySize = 16
    static let blockEntries = 256

    let path: String
    let name: String
    let count: Int
    let checksum: UInt64
    private let fd: Int32
    /// The first key of every block of `blockEntries` rows.
    private let blockKeys: [Int64]

    private init(path: String, name: String, fd: Int32, count: Int, checksum: UInt64, blockKeys: [Int64]) {
        self.path = path
        self.name = name
        self.fd = fd
        self.count = count
        self.checksum = checksum
        self.blockKeys = blockKeys
    }

    deinit { close(fd) }

    /// Opens a run that `IndexRunWriter` finished, reading every row once: to check the header's
    /// count and checksum, to build the sparse index, and to give each row to `each` (the negative
    /// filters are built in the same pass).
    static func open(path: String, name: String, each: (IndexEntry) -> Void = { _ in }) throws -> IndexRun {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw IndexRunError(path: path, detail: "cannot open: \(String(cString: strerror(errno)))")
        }
        do {
            var header = [UInt8](repeating: 0, count: headerSize)
            try readFully(fd, into: &header, at: 0, path: path)
            let fields = header.withUnsafeBytes { raw in
                (0..<4).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
            }
            guard fields[0] == magic else { throw IndexRunError(path: path, detail: "not an index run") }
            let count = Int(fields[1])
            var status = stat()
            guard fstat(fd, &status) == 0, Int(status.st_size) == headerSize + count * entrySize else {
                throw IndexRunError(path: path, detail: "size does not match its \(count) rows")
            }
            var reader = IndexRunReader(fd: fd, path: path, count: count)
            var checksum = RunChecksum()
            var blockKeys: [Int64] = []
            blockKeys.reserveCapacity((count + blockEntries - 1) / blockEntries)
            var index = 0
            var previous: IndexEntry?
            while let entry = try reader.next() {
                if index % blockEntries == 0 { blockKeys.append(entry.key) }
                if let previous, !(previous < entry) {
                    throw IndexRunError(path: path, detail: "rows out of order at row \(index)")
                }
                checksum.add(entry)
                each(entry)
                previous = entry
                index += 1
            }
            guard checksum.value == fields[2] else {
                throw IndexRunError(path: path, detail: "checksum mismatch: the file is damaged")
            }
            return IndexRun(path: path, name: name, fd: fd, count: count, checksum: fields[2], blockKeys: blockKeys)
        } catch {
            close(fd)
            throw error
        }
    }

    /// A run just written, with the sparse index its writer built: no second read.
    fileprivate static func written(
        path: String, name: String, count: Int, checksum: UInt64, blockKeys: [Int64]
    ) throws -> IndexRun {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw IndexRunError(path: path, detail: "cannot open: \(String(cString: strerror(errno)))")
        }
        return IndexRun(path: path, name: name, fd: fd, count: count, checksum: checksum, blockKeys: blockKeys)
    }

    /// Calls `found` with the document of every row whose key is `key`. `buffer` is scratch space
    /// for one block, kept by the caller across lookups.
    func documents(forKey key: Int64, buffer: inout [UInt8], _ found: (Int64) -> Void) throws {
        guard count > 0 else { return }
        // The last block starting before `key` may end with it; rows with `key` may run on
        // through the following blocks.
        var low = 0
        var high = blockKeys.count
        while low < high {
            let middle = (low + high) / 2
            if blockKeys[middle] < key { low = middle + 1 } else { high = middle }
        }
        var block = max(0, low - 1)
        if buffer.count < Self.blockEntries * Self.entrySize {
            buffer = [UInt8](repeating: 0, count: Self.blockEntries * Self.entrySize)
        }
        while block < blockKeys.count && blockKeys[block] <= key {
            let first = block * Self.blockEntries
            let rows = min(Self.blockEntries, count - first)
            try Self.readFully(
                fd, into: &buffer, count: rows * Self.entrySize, at: Self.headerSize + first * Self.entrySize,
                path: path)
            let past = buffer.withUnsafeBytes { raw in
                // The first row with a key not below `key`, by bisection; then its run of equal keys.
                var low = 0
                var high = rows
                while low < high {
                    let middle = (low + high) / 2
                    if Self.key(raw, middle) < key { low = middle + 1 } else { high = middle }
                }
                while low < rows && Self.key(raw, low) == key {
                    found(Self.entry(raw, low).document)
                    low += 1
                }
                return low < rows
            }
            if past { return }
            block += 1
        }
    }

    /// Every row in order, `IndexRunReader`'s way (for merges).
    func reader() -> IndexRunReader { IndexRunReader(fd: fd, path: path, count: count) }

    static func key(_ raw: UnsafeRawBufferPointer, _ row: Int) -> Int64 {
        Int64(littleEndian: raw.loadUnaligned(fromByteOffset: row * entrySize, as: Int64.self))
    }

    static func entry(_ raw: UnsafeRawBufferPointer, _ row: Int) -> IndexEntry {
        IndexEntry(
            key: key(raw, row),
            document: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: row * entrySize + 8, as: Int64.self)))
    }

    /// `pread` of `count` bytes (all of `buffer` by default) at `offset`, to the end or an error.
    static func readFully(_ fd: Int32, into buffer: inout [UInt8], count: Int? = nil, at offset: Int, path: String)
        throws
    {
        let wanted = count ?? buffer.count
        var done = 0
        try buffer.withUnsafeMutableBytes { raw in
            while done < wanted {
                let got = pread(fd, raw.baseAddress! + done, wanted - done, off_t(offset + done))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else {
                    throw IndexRunError(
                        path: path,
                        detail: got == 0 ? "ends early" : "read: \(String(cString: strerror(errno)))")
                }
                done += got
            }
        }
    }
}

/// The rows of a run in order, read 64 KiB at a time.
struct IndexRunReader {
    private let fd: Int32
    private let path: String
    private let count: Int
    private var buffer = [UInt8](repeating: 0, count: 4096 * IndexRun.entrySize)
    private var buffered = 0
    private var position = 0
    private var read = 0

    init(fd: Int32, path: String, count: Int) {
        self.fd = fd
        self.path = path
        self.count = count
    }

    mutating func next() throws -> IndexEntry? {
        if position == buffered {
            guard read < count else { return nil }
            let rows = min(4096, count - read)
            try IndexRun.readFully(
                fd, into: &buffer, count: rows * IndexRun.entrySize,
                at: IndexRun.headerSize + read * IndexRun.entrySize, path: path)
            read += rows
            buffered = rows
            position = 0
        }
        defer { position += 1 }
        return buffer.withUnsafeBytes { IndexRun.entry($0, position) }
    }
}

/// The checksum of a run's rows: a multiply-xor hash of each row folded into the last, so a
/// changed, missing or reordered row changes it.
struct RunChecksum {
    private(set) var value: UInt64 = 0x243F_6A88_85A3_08D3

    mutating func add(_ entry: IndexEntry) {
        var z = value ^ UInt64(bitPattern: entry.key) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 29) ^ UInt64(bitPattern: entry.document)) &* 0xBF58_476D_1CE4_E5B9
        value = z ^ (z >> 32)
    }
}

/// Writes a new run: rows in order (checked), 64 KiB at a time, to `NAME.tmp`; `finish` writes
/// the header, syncs the file, renames it to `NAME` and syncs the directory, so that a run file
/// under its own name is always complete. A crash before that leaves a `.tmp` file, which the next
/// open of the database removes.
struct IndexRunWriter {
    let directory: String
    let name: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var count = 0
    private var checksum = RunChecksum()
    private var blockKeys: [Int64] = []
    private var last: IndexEntry?
    private var isOpen = true

    var temporaryPath: String { directory + "/" + name + ".tmp" }
    var isEmpty: Bool { count == 0 }

    init(directory: String, name: String) throws {
        self.directory = directory
        self.name = name
        let path = directory + "/" + name + ".tmp"
        fd = try syscall("open", path: path) { Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        buffer.reserveCapacity(4096 * IndexRun.entrySize)
        buffer += [UInt8](repeating: 0, count: IndexRun.headerSize)
    }

    mutating func append(_ entry: IndexEntry) throws {
        if let last, !(last < entry) {
            throw IndexRunError(path: temporaryPath, detail: "rows given out of order at row \(count)")
        }
        if count % IndexRun.blockEntries == 0 { blockKeys.append(entry.key) }
        checksum.add(entry)
        withUnsafeBytes(of: entry.key.littleEndian) { buffer += $0 }
        withUnsafeBytes(of: entry.document.littleEndian) { buffer += $0 }
        count += 1
        last = entry
        if buffer.count >= 4096 * IndexRun.entrySize { try flush() }
    }

    private mutating func flush() throws {
        try FileSystem.writeAll(fd, buffer, path: temporaryPath)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Makes the run durable under its name and opens it for lookups.
    mutating func finish() throws -> IndexRun {
        try flush()
        var header: [UInt8] = []
        for field in [IndexRun.magic, UInt64(count), checksum.value, 0] {
            withUnsafeBytes(of: field.littleEndian) { header += $0 }
        }
        let path = temporaryPath
        let written = header.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard written == header.count else {
            throw SystemError(call: "pwrite", path: path, errno: written < 0 ? errno : EIO)
        }
        try syscall("fsync", path: path) { fsync(fd) }
        closeFile()
        try FileSystem.rename(path, to: directory + "/" + name)
        try FileSystem.syncDirectory(directory)
        return try IndexRun.written(
            path: directory + "/" + name, name: name, count: count, checksum: checksum.value, blockKeys: blockKeys)
    }

    private mutating func closeFile() {
        if isOpen { close(fd) }
        isOpen = false
    }

    /// Gives up: closes and removes the temporary file.
    mutating func abandon() {
        closeFile()
        unlink(temporaryPath)
    }
}

extension IndexRun {
    /// Merges `runs` into one new run `name` in `directory`; `check` is called with the rows
    /// written after each row, and may throw to give up. With `summing`, rows with one key become
    /// one row whose value is their sum, and with `dropBelow` the sums below it are left out.
    static func merge(
        _ runs: [IndexRun], directory: String, name: String, summing: Bool = false, dropBelow: Int64? = nil,
        check: (Int) throws -> Void = { _ in }
    ) throws -> IndexRun {
        var writer = try IndexRunWriter(directory: directory, name: name)
        do {
            var readers = runs.map { $0.reader() }
            var heads = try readers.indices.map { try readers[$0].next() }
            var pending: IndexEntry?
            func emit(_ entry: IndexEntry) throws {
                if let dropBelow, entry.document < dropBelow { return }
                try writer.append(entry)
                try check(writer.count)
            }
            // A handful of runs: the smallest head is found by a scan.
            while true {
                var smallest: Int?
                for index in heads.indices {
                    guard let head = heads[index] else { continue }
                    if let best = smallest, let current = heads[best], !(head < current) { continue }
                    smallest = index
                }
                guard let index = smallest, let entry = heads[index] else { break }
                heads[index] = try readers[index].next()
                guard summing else {
                    try emit(entry)
                    continue
                }
                if let held = pending, held.key == entry.key {
                    pending = IndexEntry(key: held.key, document: held.document + entry.document)
                } else {
                    if let held = pending { try emit(held) }
                    pending = entry
                }
            }
            if let held = pending { try emit(held) }
            return try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }
}
