import Foundation
import Testing
import WinnowFuzzing

/// Replays every input of `Fuzz/Corpus/<target>/` (the fuzzers' seeds, and the inputs that once
/// crashed a parser, named `crash-…`) through the same entry point the fuzzer drives: each must
/// return, and a fixed crash must come out the way the fix decided.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus")

    /// Each fuzz target by its folder name in the corpus (and its executable, `fuzz-<name>`).
    static let harnesses: [String: @Sendable ([UInt8]) -> Void] = [
        "decoder": { fuzzDecoder($0) },
        "html": { fuzzHTMLExtractor($0) },
        "jsonl": { fuzzJSONLReader($0) },
        "text": { fuzzTextStages($0) },
        "urls": { fuzzURLListReader($0) },
        "warc": { fuzzWARCReader($0) },
    ]

    /// Every corpus file, as `<target>/<name>`.
    static var inputs: [String] {
        harnesses.keys.sorted().flatMap { target in
            let folder = corpus.appendingPathComponent(target).path
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return names.sorted().map { "\(target)/\($0)" }
        }
    }

    static func bytes(_ input: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: corpus.appendingPathComponent(input)))
    }

    @Test func everyTargetHasSeeds() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
        #expect(Set(folders) == Set(Self.harnesses.keys), "one corpus folder per fuzz target")
        for target in Self.harnesses.keys {
            #expect(Self.inputs.contains { $0.hasPrefix(target + "/") }, "no seed for \(target)")
        }
    }

    @Test(arguments: inputs) func replays(_ input: String) throws {
        let target = String(input.prefix { $0 != "/" })
        let harness = try #require(Self.harnesses[target])
        harness(try Self.bytes(input))
    }

    /// A chunk size of 16 hex digits (Int.max) overflowed the end offset of the chunk: the chunk now
    /// takes what is left of the body, and the page is read.
    @Test func chunkSizePastTheEnd() throws {
        let outcome = fuzzWARCReader(try Self.bytes("warc/crash-chunk-size-overflow"))
        #expect(outcome == ReadOutcome(units: 1))
    }
}
