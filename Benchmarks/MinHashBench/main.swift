// winnow-minhash: MinHash signature throughput on one core.
//
//   swift build -c release --product winnow-minhash
//   .build/release/winnow-minhash ../shared/bench/text.jsonl.gz [--runs 3]
//
// Reads a JSONL file (optionally gzip-compressed) with a "text" field per line, then times, over all
// documents: the normal form (ExactKey.normalizedBytes), word hashing and 5-gram shingling, and the
// 112-function signature with its 14 band keys and the containment sample, the work near_dedup does
// per document before it looks at the index. Prints documents/s (signatures/s) and MB/s of text, best of the runs.
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
let hasher = MinHasher(count: 112, shingleSize: 5)
var best = Double.infinity
var checksum: UInt64 = 0
for _ in 0..<runs {
    let start = ContinuousClock.now
    for text in texts {
        let words = MinHasher.wordHashes(ExactKey.normalizedBytes(text))
        let shingles = hasher.shingles(words)
        let signature = hasher.signature(of: shingles)
        checksum &+= MinHasher.bandKeys(signature, bands: 14, rows: 8)[0]
        checksum &+= UInt64(MinHasher.containmentSample(shingles, rate: 4).values.first ?? 0)
    }
    let elapsed = ContinuousClock.now - start
    best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}
print(
    String(
        format: "%d documents, %.2f MB: best of %d runs %.3f s, %.0f signatures/s, %.1f MB/s (checksum %llx)",
        texts.count, Double(bytes) / 1e6, runs, best, Double(texts.count) / best, Double(bytes) / 1e6 / best, checksum))
