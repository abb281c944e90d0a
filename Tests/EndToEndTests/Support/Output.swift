import Foundation

/// Any JSON value, for reading record metadata and error files.
enum JSON: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSON].self))
        }
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var int: Int? {
        if case .number(let value) = self, value == value.rounded() { return Int(value) }
        return nil
    }

    var double: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var array: [JSON]? {
        if case .array(let values) = self { return values }
        return nil
    }

    subscript(key: String) -> JSON? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .array(let values): "[\(values.map(\.description).joined(separator: ","))]"
        case .object(let object):
            "{\(object.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ","))}"
        }
    }

    /// Parses `data` as one JSON document.
    static func parse(_ data: Data) throws -> JSON {
        try JSONDecoder().decode(JSON.self, from: data)
    }
}

/// One line of a records or rejected shard.
struct OutputRecord: Decodable {
    var id: String
    var text: String
    var source: String
    var added: String
    var created: String?
    var metadata: [String: JSON]

    var file: String? { metadata["file"]?.string }
    var line: Int? { metadata["line"]?.int }
    var reason: String? { metadata["reason"]?.string }
    var duplicateOf: String? { metadata["duplicate_of"]?.string }

    /// The content-hash part of the id (before the last `-`).
    var sourceHash: Substring { id[..<(id.lastIndex(of: "-") ?? id.endIndex)] }
    /// The document index part of the id (after the last `-`).
    var index: Int? { id.lastIndex(of: "-").flatMap { Int(id[id.index(after: $0)...]) } }
}

/// Everything in `<output>/records` and `<output>/rejected`, read line by line.
struct OutputSnapshot {
    var records: [OutputRecord] = []
    var rejected: [OutputRecord] = []
    /// Lines that are not a complete record followed by a newline, as `shard:line: text`.
    var tornLines: [String] = []
    /// The shard file names, per stream.
    var recordShards: [String] = []
    var rejectedShards: [String] = []

    var all: [OutputRecord] { records + rejected }

    /// Whether the records are `documents`, in order, each as the whitespace stage leaves it
    /// (trimmed), and a failure message that names the documents by position rather than
    /// quoting texts of megabytes.
    func recordsAre(_ documents: [String]) -> (Bool, String) {
        let texts = documents.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let matching = zip(records.map(\.text), texts).map { $0 == $1 }
        let ok = records.count == texts.count && !matching.contains(false) && tornLines.isEmpty && rejected.isEmpty
        return (
            ok,
            "\(records.count) records for \(texts.count) documents; equal: \(matching); "
                + "rejected: \(rejected.map(\.reason)); torn: \(tornLines.count)"
        )
    }

    /// Reads both streams under `output`.
    static func read(output: String) throws -> OutputSnapshot {
        var snapshot = OutputSnapshot()
        (snapshot.records, snapshot.recordShards) = try readStream(
            output + "/records", prefix: "records-", torn: &snapshot.tornLines)
        (snapshot.rejected, snapshot.rejectedShards) = try readStream(
            output + "/rejected", prefix: "rejected-", torn: &snapshot.tornLines)
        return snapshot
    }

    /// A shard's JSONL: as is, or through `gzip -dc` / `zstd -dc` for sealed, compressed shards;
    /// `nil` for a name that is not a shard's.
    private static func shardContents(_ path: String) throws -> Data? {
        if path.hasSuffix(".jsonl") { return try Data(contentsOf: URL(fileURLWithPath: path)) }
        let tool = path.hasSuffix(".jsonl.gz") ? "gzip" : path.hasSuffix(".jsonl.zst") ? "zstd" : nil
        guard let tool, let executable = Command.which(tool) else { return nil }
        let scratch = NSTemporaryDirectory()
        let result = try Command.run(executable, ["-dc", path], scratch: scratch)
        guard result.status == 0 else { throw HarnessError("\(tool) -dc \(path) failed: \(result)") }
        return Data(result.stdout.utf8)
    }

    private static func readStream(_ directory: String, prefix: String, torn: inout [String]) throws -> (
        [OutputRecord], [String]
    ) {
        guard FileManager.default.fileExists(atPath: directory) else { return ([], []) }
        let shards = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        var records: [OutputRecord] = []
        let decoder = JSONDecoder()
        for shard in shards {
            guard shard.hasPrefix(prefix), let data = try shardContents(directory + "/" + shard) else {
                torn.append("\(shard): unexpected file in \(directory)")
                continue
            }
            var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            // A complete shard ends in a newline, which leaves one empty piece after the last line.
            if let last = lines.last, last.isEmpty {
                lines.removeLast()
            } else if let last = lines.popLast() {
                torn.append(
                    "\(shard):\(lines.count + 1): no trailing newline: \(String(decoding: last.prefix(120), as: UTF8.self))"
                )
            }
            for (number, line) in lines.enumerated() {
                do {
                    records.append(try decoder.decode(OutputRecord.self, from: Data(line)))
                } catch {
                    torn.append(
                        "\(shard):\(number + 1): not a record: \(String(decoding: line.prefix(120), as: UTF8.self))")
                }
            }
        }
        return (records, shards.filter { $0.hasPrefix(prefix) })
    }
}

/// `winnowctl status --json`, field by field; decoding fails if the daemon leaves one out.
struct DaemonStatus: Decodable {
    struct Files: Decodable {
        var pending: Int
        var processing: Int
        var done: Int
        var failed: Int
        var duplicate: Int
    }

    struct Documents: Decodable {
        var kept: Int
        var dropped: Int
        var droppedByReason: [String: Int]

        enum CodingKeys: String, CodingKey {
            case kept, dropped
            case droppedByReason = "dropped_by_reason"
        }
    }

    var state: String
    var pid: Int
    var started: String
    var uptimeSeconds: Int
    var inbox: String
    var watch: String
    var currentFile: String?
    var files: Files
    var documents: Documents
    var rescans: Int
    var inotifyOverflows: Int
    var lastError: String?
    /// Why parts of the daemon are held back, by part (`output`, `fetch`).
    var degraded: [String: String]

    enum CodingKeys: String, CodingKey {
        case state, pid, started, inbox, watch, files, documents, rescans, degraded
        case uptimeSeconds = "uptime_seconds"
        case inotifyOverflows = "inotify_overflows"
        case currentFile = "current_file"
        case lastError = "last_error"
    }

    /// Decodes with explicit `null`s required for the nullable fields too.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        state = try container.decode(String.self, forKey: .state)
        pid = try container.decode(Int.self, forKey: .pid)
        started = try container.decode(String.self, forKey: .started)
        uptimeSeconds = try container.decode(Int.self, forKey: .uptimeSeconds)
        inbox = try container.decode(String.self, forKey: .inbox)
        watch = try container.decode(String.self, forKey: .watch)
        guard container.contains(.currentFile), container.contains(.lastError) else {
            throw HarnessError("status lacks current_file or last_error")
        }
        currentFile =
            try container.decodeNil(forKey: .currentFile) ? nil : container.decode(String.self, forKey: .currentFile)
        lastError =
            try container.decodeNil(forKey: .lastError) ? nil : container.decode(String.self, forKey: .lastError)
        files = try container.decode(Files.self, forKey: .files)
        documents = try container.decode(Documents.self, forKey: .documents)
        rescans = try container.decode(Int.self, forKey: .rescans)
        inotifyOverflows = try container.decode(Int.self, forKey: .inotifyOverflows)
        degraded = try container.decode([String: String].self, forKey: .degraded)
    }
}
