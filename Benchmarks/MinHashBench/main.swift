// winnow-minhash: MinHash signature throughput on one core.
//
//   swift build -c release --product winnow-minhash
//   .build/release/winnow-minhash ../shared/bench/text.jsonl.gz [--runs 3] [--version 1|2]
//
// Reads a JSONL file (optionally gzip-compressed) with a "text" field per line, then times, over all
// documents and one step at a time: the normal form (ExactKey.normalizedBytes); word hashing; 5-gram
// shingling; the 112-function signature with its 14 band keys; and the containment sample: the work
// near_dedup does per document before it looks at the index. Prints each step's time (best of the
// runs), then documents/s and MB/s of text "from text" (every step) and "from the normal form" (the
// MinHash signature proper: from lowercased, digit-folded words to signature and band keys, what a
// MinHash library is timed on when its shingles' words are built beforehand; the containment sample,
// a Winnow addition, is left out). The checksum covers the last run's band keys and samples, so a
// change that alters any signature shows.
import Foundation
import WinnowCore
import WinnowIO
import WinnowText

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: winnow-minhash FILE.jsonl[.gz] [--runs N]\n".utf8))
    exit(2)
}
let runs = arguments.firstIndex(of: "--runs").flatMap { Int(arguments[$0 + 1]) } ?? 3
let file = try FileByteSource(path: arguments[1])
let source: any ByteSource = arguments[1].hasSuffix(".gz") ? try GzipByteSource(file) : file
let lines = LineReader(source, maximumLength: 64 << 20)
var texts: [String] = []
while let line = try lines.next() {
    if let text = try? JSONParser.parse(line.bytes).value.objectValue?["text"]?.stringValue { texts.append(text) }
}
let bytes = texts.reduce(0) { $0 + $1.utf8.count }
let versionArgument = arguments.firstIndex(of: "--version").flatMap { Int(arguments[$0 + 1]) }
let version = versionArgument.flatMap(MinHasher.Version.init(rawValue:)) ?? .current
let hasher = MinHasher(count: 112, shingleSize: 5, version: version)

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

// Each document goes through every step in turn, as in near_dedup, with the clock read between steps.
let steps = ["normal form", "word hashes", "shingles", "signature + band keys", "containment sample"]
var best = [Double](repeating: .infinity, count: steps.count)
var checksum: UInt64 = 0
for _ in 0..<runs {
    var totals = [Duration](repeating: .zero, count: steps.count)
    checksum = 0
    for text in texts {
        let start = ContinuousClock.now
        let normal = ExactKey.normalizedBytes(text)
        let normalized = ContinuousClock.now
        let words = hasher.wordHashes(normal)
        let hashed = ContinuousClock.now
        let shingles = hasher.shingles(words)
        let shingled = ContinuousClock.now
        let bands = MinHasher.bandKeys(hasher.signature(of: shingles), bands: 14, rows: 8)
        let signed = ContinuousClock.now
        let sample = MinHasher.containmentSample(shingles, rate: 4)
        let sampled = ContinuousClock.now
        totals[0] += normalized - start
        totals[1] += hashed - normalized
        totals[2] += shingled - hashed
        totals[3] += signed - shingled
        totals[4] += sampled - signed
        checksum &+= bands[0] &+ UInt64(sample.values.first ?? 0)
    }
    for step in steps.indices { best[step] = min(best[step], seconds(totals[step])) }
}
let megabytes = Double(bytes) / 1e6
print(
    String(
        format: "%d documents, %.2f MB, signature version %d, best of %d runs (checksum %llx)", texts.count,
        megabytes, version.rawValue, runs, checksum))
for (step, seconds) in zip(steps, best) {
    let name = step.padding(toLength: 24, withPad: " ", startingAt: 0)
    print(String(format: "  %@ %7.3f s %8.1f MB/s", name, seconds, megabytes / seconds))
}
// "from the normal form": the MinHash signature proper (word hashes, shingles, signature, band keys).
for (label, seconds) in [("from text", best.reduce(0, +)), ("from the normal form", best[1...3].reduce(0, +))] {
    print(
        String(
            format: "%@: %d documents, %.2f MB in %.3f s, %.0f signatures/s, %.1f MB/s", label, texts.count,
            megabytes, seconds, Double(texts.count) / seconds, megabytes / seconds))
}
