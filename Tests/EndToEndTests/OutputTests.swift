import Foundation
import Testing

extension EndToEnd {
    /// How the output shards are laid out.
    @Suite("Output shards")
    struct OutputShards {
        @Test("Shards rotate by size; sealed ones are replaced by their compressed form", arguments: ["gzip", "zstd"])
        func rotationAndCompression(_ compression: String) throws {
            guard Command.which(compression) != nil else { return }
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let config = Sandbox.fastConfig + "\n[output]\nshard_max_bytes = 600\ncompress = \"\(compression)\"\n"
            let daemon = try sandbox.start(config: config)
            let names = (0..<12).map { "note-\($0).txt" }
            for (number, name) in names.enumerated() {
                try sandbox.drop(name, "Note \(Words.spell(number)): a paragraph long enough to fill shards quickly.\n")
            }
            try sandbox.waitUntilArchived(names, daemon: daemon)
            let output = try sandbox.readOutput()
            #expect(output.tornLines.isEmpty, "\(output.tornLines)")
            #expect(Set(output.records.compactMap(\.file)) == Set(names))
            let suffix = compression == "gzip" ? ".jsonl.gz" : ".jsonl.zst"
            let sealed = output.recordShards.filter { $0.hasSuffix(suffix) }
            let open = output.recordShards.filter { $0.hasSuffix(".jsonl") }
            #expect(sealed.count >= 2, "\(output.recordShards)")
            #expect(open.count == 1, "only the open shard stays plain: \(output.recordShards)")
            #expect(!output.recordShards.contains { $0.hasSuffix(".tmp") })
        }
    }
}
