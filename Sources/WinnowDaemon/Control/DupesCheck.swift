import WinnowCore
import WinnowIO
import WinnowStages
import WinnowStore

/// `winnowctl dupes FILE`: runs a file's documents through the daemon's stages against the live
/// dedup index, read-only, and says for each whether it would be kept or which record it duplicates.
struct DupesCheck: Sendable {
    let configuration: Configuration
    let versions: IndexVersions
    let database: WinnowDatabase
    /// Where the posted bytes are written for the readers (they read files), then removed.
    let scratch: String

    func check(name: String, bytes: [UInt8]) -> HTTPResponse {
        let path = scratch + "/.dupes-\(UInt64.random(in: 0 ... .max))"
        defer { try? FileSystem.remove(path) }
        var result = JSONObject()
        do {
            try FileSystem.writeFileAtomically(path, bytes: bytes, mode: 0o600)
            let cleaner = try OfflineCleaner(
                configuration: configuration, versions: versions, exactIndex: database, nearIndex: database,
                lineCounts: database)
            let outcomes = try cleaner.clean(path: path, name: name)
            result["file"] = .string(name)
            result["documents"] = .array(outcomes.map(describe))
        } catch {
            return HTTPResponse(status: 400, body: Self.encode(["error": .string("cannot read \(name): \(error)")]))
        }
        return HTTPResponse(status: 200, body: Self.encode(result))
    }

    private func describe(_ outcome: OfflineCleaner.Outcome) -> JSONValue {
        var item = JSONObject()
        item["id"] = .string(outcome.document.id)
        if let line = outcome.document.metadata["line"] { item["line"] = line }
        item["verdict"] = .string(outcome.reason?.code ?? "kept")
        for key in ["duplicate_of", "similarity", "containment"] {
            if let value = outcome.reason?.details[key] { item[key] = value }
        }
        if let kept = outcome.reason?.details["duplicate_of"]?.stringValue,
            let counts = try? database.duplicateCounts(of: kept)
        {
            item["copies_so_far"] = .object(["exact": .int(counts.exact), "near": .int(counts.near)])
        }
        return .object(item)
    }

    private static func encode(_ object: JSONObject) -> [UInt8] {
        var bytes: [UInt8] = []
        JSONWriter.write(object, into: &bytes)
        bytes.append(0x0A)
        return bytes
    }
}
