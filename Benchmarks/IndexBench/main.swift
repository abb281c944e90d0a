// winnow-index: latency of the dedup index (exact key, LSH bands, containment fingerprints) as it grows.
//
//   swift build -c release --product winnow-index
//   .build/release/winnow-index [--sizes 10000,100000,1000000] [--probes 1000] [--dir /tmp/winnow-index]
//
// Fills a fresh state database (the daemon's own WinnowDatabase, WAL, synchronous=FULL) with kept
// documents through the commit path the daemon uses, 1,000 documents per transaction. At each size
// it measures, over `--probes` documents (half new text, half edited copies of indexed documents):
//   query  — what exact_dedup, near_dedup and repeated_lines ask the index per document: the
//            exact-key lookup, the LSH band candidates, the containment fingerprint candidates and
//            the line counts;
//   insert — a one-document commit (a small file: its own transaction and fsync), and the
//            per-document share of a 1,000-document commit (a JSONL batch); and, more steadily,
//            the commits' time per document over the last tenth of the fill before that size.
// Then bytes per document on disk (database and WAL) and the process's resident memory, split into
// heap and mapped database pages. The documents are generated: word ids drawn from a Zipf distribution over 50,000 words,
// 100 to 800 words each, so shingles repeat across documents about as much as in prose, in lines of
// 25 words on average whose keys are counted as repeated_lines counts them.
import Foundation
import WinnowCore
import WinnowStore
import WinnowText

struct Options {
    var sizes = [10_000, 100_000, 1_000_000]
    var probes = 1_000
    var directory = "/tmp/winnow-index"

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--sizes": sizes = (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--probes": probes = Int(iterator.next() ?? "") ?? probes
            case "--dir": directory = iterator.next() ?? directory
            default:
                FileHandle.standardError.write(
                    Data("usage: winnow-index [--sizes N,N…] [--probes N] [--dir DIR]\n".utf8))
                exit(2)
            }
        }
    }
}

/// Word-id documents from a seeded generator: Zipf-distributed words, reproducible across runs.
struct DocumentSource {
    private var generator: SplitMix64
    private let cumulative: [Double]

    init(seed: UInt64, vocabulary: Int = 50_000) {
        generator = SplitMix64(seed: seed)
        var total = 0.0
        cumulative = (1...vocabulary).map { rank in
            total += 1 / Double(rank)
            return total
        }
    }

    mutating func random() -> UInt64 {
        generator.next()
    }

    mutating func word() -> UInt64 {
        let target = Double(random() >> 11) / Double(1 << 53) * cumulative[cumulative.count - 1]
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        // A word's hash, as MinHasher.wordHashes gives it for the word's text.
        return UInt64(low) &* 0x9E37_79B9_7F4A_7C15 ^ 0x2545_F491_4F6C_DD1D
    }

    mutating func document() -> [UInt64] {
        (0..<(100 + Int(random() % 701))).map { _ in word() }
    }

    /// A copy with about one word in fifty replaced (Jaccard near 0.8–0.9 with the original).
    mutating func edited(_ words: [UInt64]) -> [UInt64] {
        words.map { random() % 50 == 0 ? word() : $0 }
    }
}

struct Keys {
    var exact: Hash128
    var near: NearKey
    var lines: [UInt64]
}

/// Prints a line at once (not held in a buffer until exit when stdout is a file).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let options = Options(CommandLine.arguments)
let hasher = MinHasher(count: 112, shingleSize: 5)

func keys(_ words: [UInt64]) -> Keys {
    let shingles = hasher.shingles(words)
    let signature = hasher.signature(of: shingles)
    let sample = MinHasher.containmentSample(shingles, rate: 4)
    var hash: UInt64 = 0x51_7CC1_B727_220A
    // Lines of 25 words on average (a break after a word where a hash of the word and its place says
    // so), each keyed by its words, as repeated_lines keys a line by its text.
    var lines: [UInt64] = []
    var line: UInt64 = 0x2545_F491_4F6C_DD1D
    for (place, word) in words.enumerated() {
        hash = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
        line = (line ^ word) &* 0x9E37_79B9_7F4A_7C15
        if (((word ^ UInt64(place)) &* 0xBF58_476D_1CE4_E5B9) >> 32) % 25 == 0 || place == words.count - 1 {
            lines.append(line ^ (line >> 29))
            line = 0x2545_F491_4F6C_DD1D
        }
    }
    return Keys(
        exact: Hash128(high: hash, low: UInt64(words.count)),
        near: NearKey(
            signature: signature, bands: MinHasher.bandKeys(signature, bands: 14, rows: 8),
            sample: sample.values, fingerprints: sample.indexed, shingleCount: shingles.count),
        lines: Array(Set(lines)))
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func percentile(_ values: [Double], _ share: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * share))]
}

/// Resident memory from /proc/self/status, in bytes: `RssAnon` (the heap: what the process itself
/// holds) or `RssFile` (pages of mapped files: the database file SQLite maps, reclaimable cache).
func resident(_ field: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
        return (Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0) * 1024
    }
    return 0
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
}

/// CPU seconds of the whole process (all threads, the index maintenance thread's too).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// The database, its write-ahead log and its run files.
func diskBytes(_ path: String) -> Int {
    let runs = path + "-runs"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []
    return fileSize(path) + fileSize(path + "-wal") + names.reduce(0) { $0 + fileSize(runs + "/" + $1) }
}

try? FileManager.default.removeItem(atPath: options.directory)
try FileManager.default.createDirectory(atPath: options.directory, withIntermediateDirectories: true)
let path = options.directory + "/state.sqlite"
let database = try WinnowDatabase(path: path, exactKeyVersion: 1)
var source = DocumentSource(seed: 42)
var indexed = 0
var batchNumber = 0
var recent: [[UInt64]] = []  // a reservoir of indexed documents to copy for probes
var fillSeconds = 0.0

@MainActor func commit(_ documents: [(id: String, keys: Keys)]) throws {
    batchNumber += 1
    let input = InputRecord(
        name: "batch-\(batchNumber).jsonl", claimName: "batch-\(batchNumber).jsonl",
        contentHash: String(batchNumber), size: 0, state: .done, unitsDone: documents.count, kept: documents.count)
    try database.commit(
        CommitBatch(
            input: input, exactKeys: documents.map { ($0.keys.exact, ExactMatch(documentID: $0.id)) },
            nearKeys: documents.map { ($0.keys.near, $0.id) }, lineKeys: documents.map(\.keys.lines)))
}

emit(
    "index size | query p50 | query p99 | 1-doc commit p50 | p99 | batch insert /doc | disk bytes/doc"
        + " | heap RSS | mapped RSS")
for size in options.sizes {
    let fillStart = ContinuousClock.now
    // The commits' own time over the last tenth of this fill (document generation left out): the
    // insert cost per document at this size, sweeps and checkpoints included, over many commits.
    let tailStart = indexed + (size - indexed) * 9 / 10
    var tailSeconds = 0.0
    var tailDocuments = 0
    var tailCPU = 0.0
    while indexed < size {
        let count = min(1_000, size - indexed)
        var batch: [(id: String, keys: Keys)] = []
        batch.reserveCapacity(count)
        for _ in 0..<count {
            let words = source.document()
            if source.random() % 64 == 0 {
                if recent.count < 500 { recent.append(words) } else { recent[Int(source.random() % 500)] = words }
            }
            batch.append(("doc-\(indexed)", keys(words)))
            indexed += 1
        }
        let commitStart = ContinuousClock.now
        if indexed > tailStart && tailDocuments == 0 { tailCPU = -cpuSeconds() }
        try commit(batch)
        if indexed > tailStart {
            tailSeconds += seconds(ContinuousClock.now - commitStart)
            tailDocuments += count
        }
    }
    // The sorted runs' maintenance (written out and merged on a thread of its own) is part of the
    // cost of filling: wait for it.
    database.waitForIndexMaintenance()
    tailCPU += cpuSeconds()
    fillSeconds += seconds(ContinuousClock.now - fillStart)

    // Probes: half new documents, half edited copies of indexed ones.
    var queries: [Double] = []
    var found = 0
    var probeKeys: [Keys] = []
    for probe in 0..<options.probes {
        let words =
            probe % 2 == 0 ? source.document() : source.edited(recent[Int(source.random() % UInt64(recent.count))])
        let probeKey = keys(words)
        let minimumHits = (probeKey.near.fingerprints.count + 1) / 2
        let start = ContinuousClock.now
        _ = try database.exactMatch(forKey: probeKey.exact)
        let candidates = try database.nearCandidates(bands: probeKey.near.bands)
        let containers = try database.containmentCandidates(
            fingerprints: probeKey.near.fingerprints, minimumHits: minimumHits, limit: 8)
        _ = try database.documentCounts(lineKeys: probeKey.lines)
        queries.append(seconds(ContinuousClock.now - start))
        if !candidates.isEmpty || !containers.isEmpty { found += 1 }
        probeKeys.append(probeKey)
    }
    // One-document commits (each its own transaction and fsync), for a tenth of the probes.
    var singles: [Double] = []
    for (number, probeKey) in probeKeys.prefix(max(1, options.probes / 10)).enumerated() {
        let start = ContinuousClock.now
        try commit([("probe-\(size)-\(number)", probeKey)])
        singles.append(seconds(ContinuousClock.now - start))
    }
    // The rest in one batch commit.
    let rest = probeKeys.dropFirst(singles.count).enumerated().map { ("probe-\(size)-b\($0.offset)", $0.element) }
    let batchStart = ContinuousClock.now
    try commit(Array(rest))
    let batchPerDocument = seconds(ContinuousClock.now - batchStart) / Double(max(1, rest.count))
    indexed += probeKeys.count

    let disk = diskBytes(path)
    emit(
        String(
            format: "%10d | %7.3f ms | %7.3f ms | %13.3f ms | %6.3f ms | %14.3f ms | %14.0f | %5.0f MiB | %5.0f MiB",
            size, percentile(queries, 0.5) * 1e3, percentile(queries, 0.99) * 1e3, percentile(singles, 0.5) * 1e3,
            percentile(singles, 0.99) * 1e3, batchPerDocument * 1e3, Double(disk) / Double(indexed),
            Double(resident("RssAnon")) / 1_048_576, Double(resident("RssFile")) / 1_048_576))
    emit(
        String(
            format:
                "           (probes with candidates: %d of %d; fill so far %.0f s, %.0f documents/s;"
                + " commits over the last %d documents filled: %.3f ms per document; CPU of all threads"
                + " over them, generation and index maintenance included: %.3f ms per document)",
            found, options.probes, fillSeconds, Double(indexed) / fillSeconds, tailDocuments,
            tailSeconds * 1e3 / Double(max(1, tailDocuments)), tailCPU * 1e3 / Double(max(1, tailDocuments))))
}
