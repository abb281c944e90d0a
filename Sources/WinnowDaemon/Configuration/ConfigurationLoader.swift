import Foundation
import TOMLKit
import WinnowCore
import WinnowFetch
import WinnowIO
import WinnowStages

/// Reads a TOML configuration file into a `Configuration`. Strict: an unknown section or key, a
/// value of the wrong type or out of range is refused with a message naming the key and the file.
public enum ConfigurationLoader {
    private typealias Setter = @Sendable (inout Configuration, any TOMLValueConvertible, String) throws -> Void

    /// Every accepted key, `section.key`, with how it is read and checked.
    private static let keys: [String: Setter] = [
        "paths.inbox": string { $0.inbox = $1 },
        "paths.output": string { $0.output = $1 },
        "paths.state": string { $0.state = $1 },
        "paths.work": string { $0.work = $1 },
        "control.socket": string { $0.socket = $1 },
        "control.socket_group": string { $0.socketGroup = $1 },
        "inbox.settle_ms": integer(0...60_000) { $0.settleMilliseconds = $1 },
        "inbox.rescan_interval_s": integer(1...86_400) { $0.rescanIntervalSeconds = $1 },
        "inbox.after": { configuration, value, key in
            guard let text = value.string, let after = Configuration.AfterProcessing(rawValue: text) else {
                throw ConfigurationError("\(key) must be \"archive\" or \"delete\"")
            }
            configuration.afterProcessing = after
        },
        "limits.max_decompressed_bytes": integer(1...(1 << 50)) { $0.maxDecompressedBytes = $1 },
        "limits.max_document_bytes": integer(1...(1 << 32)) { $0.maxDocumentBytes = $1 },
        "output.shard_max_bytes": integer(1...(1 << 50)) { $0.shardMaxBytes = $1 },
        "output.compress": { configuration, value, key in
            guard let text = value.string, let compression = ShardCompression(rawValue: text) else {
                throw ConfigurationError("\(key) must be \"none\", \"gzip\" or \"zstd\"")
            }
            configuration.compression = compression
        },
        "batch.documents": integer(1...1_000_000) { $0.batchDocuments = $1 },
        "batch.bytes": integer(1...(1 << 34)) { $0.batchBytes = $1 },
        "pipeline.workers": integer(1...64) { $0.workers = $1 },
        "pipeline.stages": { configuration, value, key in
            guard let array = value.array else { throw ConfigurationError("\(key) must be an array of stage names") }
            let names = try array.map { item in
                guard let name = item.string else { throw ConfigurationError("\(key) must be an array of stage names") }
                return name
            }
            do {
                _ = try StageCatalog.stages(named: names, settings: configuration.stageSettings)
            } catch {
                throw ConfigurationError("\(key): \(error)")
            }
            configuration.stages = names
        },
        "fetch.user_agent": string { $0.fetch.transfer.userAgent = $1 },
        "fetch.max_connections": integer(1...1024) { $0.fetch.transfer.maxConnections = $1 },
        "fetch.per_host_connections": integer(1...64) { $0.fetch.perHostConnections = $1 },
        "fetch.per_host_delay_ms": integer(0...3_600_000) { $0.fetch.perHostDelayMilliseconds = $1 },
        "fetch.connect_timeout_ms": integer(100...600_000) { $0.fetch.transfer.connectTimeoutMilliseconds = $1 },
        "fetch.timeout_ms": integer(100...86_400_000) { $0.fetch.transfer.timeoutMilliseconds = $1 },
        "fetch.low_speed_bytes": integer(0...(1 << 30)) { $0.fetch.transfer.lowSpeedBytes = $1 },
        "fetch.low_speed_time_s": integer(1...3600) { $0.fetch.transfer.lowSpeedSeconds = $1 },
        "fetch.max_body_bytes": integer(1...(1 << 32)) { $0.fetch.transfer.maxBodyBytes = $1 },
        "fetch.max_redirects": integer(0...50) { $0.fetch.transfer.maxRedirects = $1 },
        "fetch.max_attempts": integer(1...100) { $0.fetch.maxAttempts = $1 },
        "fetch.backoff_base_ms": integer(1...86_400_000) { $0.fetch.backoffBaseMilliseconds = $1 },
        "fetch.backoff_max_ms": integer(1...(7 * 86_400_000)) { $0.fetch.backoffMaxMilliseconds = $1 },
        "fetch.robots": { configuration, value, key in
            guard let flag = value.bool else { throw ConfigurationError("\(key) must be true or false") }
            configuration.fetch.robots = flag
        },
        "fetch.robots_cache_s": integer(1...(30 * 86_400)) { $0.fetch.robotsCacheSeconds = $1 },
        "fetch.allow_networks": { configuration, value, key in
            let message = "\(key) must be an array of networks in CIDR notation, such as [\"10.0.0.0/8\"]"
            guard let array = value.array else { throw ConfigurationError(message) }
            let networks = try array.map { item in
                guard let text = item.string else { throw ConfigurationError(message) }
                guard let network = Network(text) else {
                    throw ConfigurationError("\(key): \"\(text)\" is not a network in CIDR notation")
                }
                return network
            }
            configuration.fetch.transfer.addressPolicy = AddressPolicy(allowed: networks)
        },
        "metrics.listen": { configuration, value, key in
            guard let text = value.string, let address = ListenAddress(text) else {
                throw ConfigurationError(
                    "\(key) must be an IP address and port, such as \"127.0.0.1:9464\" or \"[::1]:9464\" "
                        + "(a host name is not accepted, nor a port outside 1-65535)")
            }
            configuration.metricsListen = address
        },
        "log.level": { configuration, value, key in
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard let text = value.string, levels.contains(text) else {
                throw ConfigurationError("\(key) must be one of \(levels.joined(separator: ", "))")
            }
            configuration.logLevel = text
        },
    ]

    /// Every key the loader accepts, sorted (used by the documentation test).
    public static var knownKeys: [String] { keys.keys.sorted() }

    /// Loads the file at `path` over the defaults.
    public static func load(path: String, over base: Configuration = Configuration()) throws -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read the configuration file \(path): \(error.localizedDescription)")
        }
        do {
            return try parse(text, over: base)
        } catch let error as ConfigurationError {
            throw ConfigurationError("\(path): \(error.message)")
        }
    }

    /// Parses TOML text over `base`.
    public static func parse(_ text: String, over base: Configuration = Configuration()) throws -> Configuration {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError("line \(error.source.begin.line): \(error.description)")
        }
        var configuration = base
        if let stages = table["stages"] {
            try readStageSettings(stages, into: &configuration)
        }
        for section in table.keys where section != "stages" {
            guard let inner = table[section]?.table else {
                throw ConfigurationError("unknown key '\(section)': every key belongs to a section such as [paths]")
            }
            for key in inner.keys {
                let path = section + "." + key
                guard let setter = keys[path], let value = inner[key] else {
                    throw ConfigurationError("unknown key '\(path)' (known keys: \(knownKeys.joined(separator: ", ")))")
                }
                try setter(&configuration, value, path)
            }
        }
        return configuration
    }

    /// `[stages.<name>]` tables: converted to JSON objects and checked against the catalog.
    private static func readStageSettings(_ value: any TOMLValueConvertible, into configuration: inout Configuration)
        throws
    {
        guard let stages = value.table else {
            throw ConfigurationError("stages must hold one table per stage, such as [stages.gopher_quality]")
        }
        for name in stages.keys {
            guard let settings = stages[name]?.table else {
                throw ConfigurationError("stages.\(name) must be a table of that stage's settings")
            }
            var object = JSONObject()
            for key in settings.keys {
                guard let item = settings[key], let json = json(item) else {
                    throw ConfigurationError("stages.\(name).\(key): unsupported value type")
                }
                object[key] = json
            }
            configuration.stageSettings[name] = object
        }
        do {
            _ = try StageCatalog.stages(named: [], settings: configuration.stageSettings)
            for (name, table) in configuration.stageSettings {
                let changed = try StageCatalog.changedSettings(of: name, in: table)
                configuration.stageSettings[name] = changed.isEmpty ? nil : changed
            }
        } catch {
            throw ConfigurationError("\(error)")
        }
    }

    private static func json(_ value: any TOMLValueConvertible) -> JSONValue? {
        if let flag = value.bool { return .bool(flag) }
        if let number = value.int { return .int(number) }
        if let number = value.double { return .double(number) }
        if let text = value.string { return .string(text) }
        if let table = value.table {
            var object = JSONObject()
            for key in table.keys {
                guard let item = table[key], let converted = json(item) else { return nil }
                object[key] = converted
            }
            return .object(object)
        }
        if let array = value.array {
            let items = array.compactMap { json($0) }
            return items.count == array.count ? .array(items) : nil
        }
        return nil
    }

    private static func string(_ assign: @escaping @Sendable (inout Configuration, String) -> Void) -> Setter {
        { configuration, value, key in
            guard let text = value.string, !text.isEmpty else {
                throw ConfigurationError("\(key) must be a non-empty string")
            }
            assign(&configuration, text)
        }
    }

    private static func integer(
        _ range: ClosedRange<Int>, _ assign: @escaping @Sendable (inout Configuration, Int) -> Void
    ) -> Setter {
        { configuration, value, key in
            guard let number = value.int else { throw ConfigurationError("\(key) must be an integer") }
            guard range.contains(number) else {
                throw ConfigurationError(
                    "\(key) must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
            }
            assign(&configuration, number)
        }
    }
}
