// winnow-stages: what each stage of the pipeline costs, on real documents, on one core.
//
//   swift build -c release --product winnow-stages
//   .build/release/winnow-stages [--text ../shared/bench/text.jsonl.gz] [--html DIR] [--runs 3]
//                                [--stages a,b,c] [--dir /tmp/winnow-stages]
//
// Text: reads the JSONL corpus into memory (gunzip and JSON parsing timed apart), then runs the
// documents through the stages one by one exactly as the daemon's runner does (each stage timed on
// its own), with a real state database behind the dedup stages (fresh each run) and commits of
// 1,000 documents: records serialized to JSONL, appended to a shard and fsynced, then the ledger,
// counters and index rows written in one SQLite transaction. The stages are the default pipeline
// with the document quality rules before the dedup stages, unless `--stages` names others.
// The decode row times the charset decoder on each document's UTF-8 bytes; the MinHash row the
// signature work of near_dedup alone (normal form, shingles, 112 hashes, bands, sample).
//
// HTML (`--html DIR` of .html/.html.gz pages): decoding and article extraction per page.
//
// Prints one row per stage: CPU seconds of the thread, documents/s and MB/s of the corpus's text (per
// core), best run. The shard row's fsync waits on the disk, which CPU time does not count.
import Foundation
import WinnowCore
import WinnowIO
import WinnowStages
import WinnowStore
import WinnowText

struct Options {
    var text: String? = "../shared/bench/text.jsonl.gz"
    var html: String?
    var runs = 3
    var stages =
        Array(StageCatalog.defaultNames.dropLast(2)) + StageCatalog.qualityNames
        + Array(StageCatalog.defaultNames.suffix(2))
    var directory = "/tmp/winnow-stages"

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--text": text = iterator.next()
            case "--no-text": text = nil
            case "--html": html = iterator.next()
            case "--runs": runs = Int(iterator.next() ?? "") ?? runs
            case "--stages": stages = (iterator.next() ?? "").split(separator: ",").map(String.init)
            case "--dir": directory = iterator.next() ?? directory
            default:
                FileHandle.standardError.write(
                    Data(
                        ("usage: winnow-stages [--text FILE.jsonl[.gz] | --no-text] [--html DIR] [--runs N] "
                            + "[--stages a,b,…] [--dir DIR]\n").utf8))
                exit(2)
            }
        }
    }
}

/// Best (smallest) time of each named step over the runs, in insertion order.
struct Timings {
    private(set) var names: [String] = []
    private var seconds: [String: Double] = [:]
    private var current: [String: Double] = [:]

    mutating func add(_ name: String, _ duration: Duration) {
        if seconds[name] == nil, current[name] == nil { names.append(name) }
        current[name, default: 0] += duration.seconds
    }

    mutating func endRun() {
        for (name, value) in current { seconds[name] = min(seconds[name] ?? .infinity, value) }
        current = [:]
    }

    func best(_ name: String) -> Double { seconds[name] ?? 0 }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// CPU time of the calling thread: the figures stay per core when other work shares the machine
/// (wall time would count the time slices another process took).
struct CPUClock {
    static var now: Duration {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }
}

func measure<T>(_ timings: inout Timings, _ name: String, _ body: () throws -> T) rethrows -> T {
    let start = CPUClock.now
    let result = try body()
    timings.add(name, CPUClock.now - start)
    return result
}

func printTable(_ title: String, _ timings: Timings, documents: Int, bytes: Int, unit: String = "documents/s") {
    print("\n\(title): \(documents) documents, \(String(format: "%.2f", Double(bytes) / 1e6)) MB")
    print(
        "stage".padding(toLength: 24, withPad: " ", startingAt: 0) + "seconds".leftPadded(9)
            + unit.leftPadded(14) + "MB/s".leftPadded(10))
    for name in timings.names {
        let seconds = timings.best(name)
        print(
            name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%9.3f", seconds)
                + String(format: "%14.0f", Double(documents) / seconds)
                + String(format: "%10.1f", Double(bytes) / 1e6 / seconds))
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

// MARK: Text

func benchText(path: String, options: Options) throws {
    var timings = Timings()
    let stages = try StageCatalog.stages(named: options.stages)
    let hasher = MinHasher(count: 112, shingleSize: 5)
    var documents: [Document] = []
    var bytes = 0
    var kept = 0
    for run in 0..<options.runs {
        // Read: gunzip and split lines, then parse each line's JSON.
        let file = try FileByteSource(path: path)
        let source: any ByteSource = path.hasSuffix(".gz") ? try GzipByteSource(file) : file
        let lines = LineReader(source, maximumLength: 64 << 20)
        var raw: [[UInt8]] = []
        try measure(&timings, "read (gunzip, lines)") {
            while let line = try lines.next() { raw.append(Array(line.bytes)) }
        }
        documents = measure(&timings, "json parse") {
            raw.enumerated().compactMap { index, line in
                guard let object = try? JSONParser.parse(line).value.objectValue,
                    let text = object["text"]?.stringValue
                else { return nil }
                return Document(id: "bench-\(index)", text: text, metadata: ["file": .string("bench.jsonl")])
            }
        }
        bytes = documents.reduce(0) { $0 + $1.text.utf8.count }
        measure(&timings, "decode") {
            var replaced = 0
            for document in documents {
                var text = document.text
                text.withUTF8 { buffer in
                    replaced &+= (try? TextDecoder.decode(buffer))?.text.utf8.count ?? 0
                }
            }
            precondition(replaced > 0)
        }
        measure(&timings, "minhash (alone)") {
            var checksum: UInt64 = 0
            for document in documents {
                let shingles = hasher.shingles(hasher.wordHashes(ExactKey.normalizedBytes(document.text)))
                checksum &+= MinHasher.bandKeys(hasher.signature(of: shingles), bands: 14, rows: 8)[0]
            }
            precondition(checksum != 1)
        }

        // The pipeline with a fresh state database, committed every 1,000 documents.
        let directory = options.directory + "/run\(run)"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let database = try WinnowDatabase(path: directory + "/state.sqlite", exactKeyVersion: ExactKey.version)
        let shards = try ShardWriter(
            directory: directory + "/records", stream: "records", maxBytes: 256 << 20, committed: [])
        let context = StageContext(exactIndex: database, nearIndex: database, lineCounts: database)
        var input = InputRecord(name: "bench.jsonl", claimName: "bench", contentHash: "bench", size: 0)
        var batch = BenchBatch()
        kept = 0
        for (index, original) in documents.enumerated() {
            var document = original
            var dropped = false
            for stage in stages {
                let start = CPUClock.now
                let verdict = stage.apply(to: &document, context: context)
                timings.add(stage.name, CPUClock.now - start)
                if case .drop = verdict {
                    dropped = true
                    break
                }
            }
            document.finishLineAccounting()
            if dropped {
                measure(&timings, "record json") {
                    Record(document: document, added: "2026-01-01T00:00:00Z").appendJSONLine(to: &batch.rejected)
                }
                continue
            }
            context.remember(document)
            kept += 1
            measure(&timings, "record json") {
                Record(document: document, added: "2026-01-01T00:00:00Z").appendJSONLine(to: &batch.records)
            }
            if let key = document.exactKey { batch.exactKeys.append((key, ExactMatch(documentID: document.id))) }
            if let key = document.nearKey { batch.nearKeys.append((key, document.id)) }
            if let keys = document.lineKeys { batch.lineKeys.append(keys) }
            if (index + 1) % 1000 == 0 || index == documents.count - 1 {
                let written = try measure(&timings, "shard append+fsync") { try shards.append(batch.records) }
                input.unitsDone = index + 1
                input.id = try measure(&timings, "index+ledger commit") {
                    try database.commit(
                        CommitBatch(
                            input: input, shards: written, exactKeys: batch.exactKeys, nearKeys: batch.nearKeys,
                            lineKeys: batch.lineKeys, counters: ["documents_kept": batch.nearKeys.count]))
                }
                context.clearPending()
                batch = BenchBatch()
            }
        }
        timings.endRun()
    }
    let stageTotal = stages.reduce(0) { $0 + timings.best($1.name) }
    var totals = timings
    totals.add("stages, all", .seconds(stageTotal))
    totals.endRun()
    printTable("text \(path), \(kept) kept", totals, documents: documents.count, bytes: bytes)
}

struct BenchBatch {
    var records: [UInt8] = []
    var rejected: [UInt8] = []
    var exactKeys: [(key: Hash128, match: ExactMatch)] = []
    var nearKeys: [(key: NearKey, documentID: String)] = []
    var lineKeys: [[UInt64]] = []
}

// MARK: HTML

func benchHTML(directory: String, options: Options) throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
        $0.hasSuffix(".html") || $0.hasSuffix(".html.gz") || $0.hasSuffix(".htm")
    }.sorted()
    var pages: [[UInt8]] = []
    for name in names {
        let file = try FileByteSource(path: directory + "/" + name)
        let source: any ByteSource = name.hasSuffix(".gz") ? try GzipByteSource(file) : file
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        pages.append(bytes)
    }
    let bytes = pages.reduce(0) { $0 + $1.count }
    let extractor = HTMLExtractor()
    let context = StageContext(exactIndex: NoIndex())
    var timings = Timings()
    for _ in 0..<options.runs {
        var texts: [String] = []
        measure(&timings, "decode") {
            texts = pages.map { (try? TextDecoder.decode($0, html: true))?.text ?? "" }
        }
        measure(&timings, "html_extract") {
            var characters = 0
            for text in texts {
                var document = Document(id: "page", text: text)
                document.format = .html
                _ = extractor.apply(to: &document, context: context)
                characters &+= document.text.utf8.count
            }
            precondition(characters > 0)
        }
        timings.endRun()
    }
    printTable("html \(directory)", timings, documents: pages.count, bytes: bytes, unit: "pages/s")
}

struct NoIndex: ExactIndexReading {
    func keptDocument(forExactKey key: Hash128) throws -> String? { nil }
}

let options = Options(CommandLine.arguments)
print("stages: \(options.stages.joined(separator: ", ")); best of \(options.runs) runs")
if let text = options.text { try benchText(path: text, options: options) }
if let html = options.html { try benchHTML(directory: html, options: options) }
