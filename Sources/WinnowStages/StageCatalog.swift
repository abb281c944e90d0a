import Foundation
import WinnowCore
import WinnowText

/// Errors in the `pipeline.stages` list or a `[stages.<name>]` table.
public enum StageCatalogError: Error, CustomStringConvertible, Equatable {
    case unknownStage(String, known: [String])
    case unknownSetting(stage: String, key: String, known: [String])
    case badSetting(stage: String, detail: String)

    public var description: String {
        switch self {
        case .unknownStage(let name, let known):
            "unknown stage '\(name)' (known stages: \(known.joined(separator: ", ")))"
        case .unknownSetting(let stage, let key, let known):
            "unknown key 'stages.\(stage).\(key)' (known keys: \(known.joined(separator: ", ")))"
        case .badSetting(let stage, let detail):
            "stages.\(stage): \(detail)"
        }
    }
}

/// The versions of what the dedup indexes store, which the dedup stages must compute the same way:
/// an index keeps the version it was built with (`WinnowDatabase.nearSignatureVersion`).
public struct IndexVersions: Sendable, Equatable {
    /// How near_dedup's MinHash signatures are computed.
    public var nearSignature: MinHasher.Version

    public init(nearSignature: MinHasher.Version = .current) {
        self.nearSignature = nearSignature
    }
}

/// Every stage by its configuration name, and the default pipeline. Adding a stage is one file
/// and one line here.
public enum StageCatalog {
    private struct Entry: Sendable {
        var name: String
        var settingKeys: @Sendable () -> [String]
        var make: @Sendable (JSONObject, IndexVersions) throws -> any Stage
        var changes: @Sendable (JSONObject) throws -> JSONObject = { $0 }
    }

    private static let entries: [Entry] = [
        plain("html_extract") { HTMLExtractor() },
        plain("markup") { MarkupNormalizer() },
        plain("unicode_nfc") { UnicodeNormalizer() },
        plain("whitespace") { WhitespaceNormalizer() },
        configurable("foreign_script_lines", ForeignScriptLineRemover.self),
        configurable("boilerplate_lines", BoilerplateLineFilter.self),
        configurable("repeated_lines", RepeatedLineFilter.self),
        plain("empty") { EmptyFilter() },
        configurable("language", LanguageClassifier.self),
        configurable("gopher_repetition", GopherRepetitionFilter.self),
        configurable("gopher_quality", GopherQualityFilter.self),
        configurable("fineweb_quality", FineWebQualityFilter.self),
        configurable("c4_quality", C4QualityFilter.self),
        plain("exact_dedup") { ExactDeduplicator() },
        configurable("near_dedup", NearDeduplicator.self) { configuration, versions in
            NearDeduplicator(configuration: configuration, signatureVersion: versions.nearSignature)
        },
    ]

    /// The default pipeline, in order: extraction, repair, normalization, line-level boilerplate
    /// removal, language identification and exact dedup. The document quality rules are not in it:
    /// with their published thresholds they drop one news article in fifteen of a public extraction
    /// benchmark and most wire briefs; corpora for model training add `qualityNames`.
    public static let defaultNames = [
        "html_extract", "markup", "unicode_nfc", "whitespace", "foreign_script_lines", "boilerplate_lines",
        "repeated_lines", "empty",
        "language", "exact_dedup", "near_dedup",
    ]

    /// The document quality stages (Gopher, FineWeb, C4), in the order they are meant to run, before
    /// the dedup stages.
    public static let qualityNames = ["gopher_repetition", "gopher_quality", "fineweb_quality", "c4_quality"]

    /// Every stage name.
    public static var knownNames: [String] { entries.map(\.name) }

    /// Builds the named stages in the given order, each configured from `settings[name]` (a missing
    /// table means defaults), the dedup stages for an index of `versions`. Settings for stages not in
    /// `names` are validated too.
    public static func stages(
        named names: [String], settings: [String: JSONObject] = [:], versions: IndexVersions = IndexVersions()
    ) throws -> [any Stage] {
        for (name, table) in settings {
            _ = try entry(name).make(table, versions)
        }
        return try names.map { try entry($0).make(settings[$0] ?? JSONObject(), versions) }
    }

    /// The setting keys a stage accepts (empty for stages without settings).
    public static func settingKeys(of name: String) throws -> [String] {
        try entry(name).settingKeys()
    }

    /// The settings of `table` that differ from the stage's defaults (a table that restates a default,
    /// such as the shipped configuration file, changes nothing). Unknown keys are refused.
    public static func changedSettings(of name: String, in table: JSONObject) throws -> JSONObject {
        let entry = try entry(name)
        _ = try entry.make(table, IndexVersions())
        return try entry.changes(table)
    }

    private static func entry(_ name: String) throws -> Entry {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw StageCatalogError.unknownStage(name, known: knownNames)
        }
        return entry
    }

    private static func plain(_ name: String, _ make: @escaping @Sendable () -> any Stage) -> Entry {
        Entry(name: name, settingKeys: { [] }) { table, _ in
            if let key = table.keys.first { throw StageCatalogError.unknownSetting(stage: name, key: key, known: []) }
            return make()
        }
    }

    /// An entry for a stage with settings: `table` is decoded over the defaults, unknown keys refused.
    /// `make` builds the stage from its settings, for an index of the given versions.
    private static func configurable<S: ConfigurableStage>(
        _ name: String, _ type: S.Type,
        make: @escaping @Sendable (S.Configuration, IndexVersions) -> S = { configuration, _ in
            S(configuration: configuration)
        }
    ) -> Entry {
        let keys: @Sendable () -> [String] = { defaultKeys(S.Configuration()) }
        return Entry(
            name: name, settingKeys: keys,
            make: { table, versions in
                let known = keys()
                if let unknown = table.keys.first(where: { !known.contains($0) }) {
                    throw StageCatalogError.unknownSetting(stage: name, key: unknown, known: known)
                }
                return make(try decode(S.Configuration.self, from: table, stage: name), versions)
            },
            changes: { table in
                var changed = JSONObject()
                for (key, value) in table.pairs {
                    var single = JSONObject()
                    single[key] = value
                    if try decode(S.Configuration.self, from: single, stage: name) != S.Configuration() {
                        changed[key] = value
                    }
                }
                return changed
            })
    }

    private static func defaultKeys<C: StageConfiguration>(_ configuration: C) -> [String] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(configuration),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [] }
        return object.keys.sorted()
    }

    private static func decode<C: StageConfiguration>(_ type: C.Type, from table: JSONObject, stage: String) throws -> C
    {
        // Defaults first, then the table's values over them, then decode: missing keys keep defaults.
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var merged = (try? JSONSerialization.jsonObject(with: encoder.encode(C()))) as? [String: Any] ?? [:]
        var bytes: [UInt8] = []
        JSONWriter.write(table, into: &bytes)
        let overrides = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
        for (key, value) in overrides { merged[key] = value }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(C.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch DecodingError.typeMismatch(let expected, let context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw StageCatalogError.badSetting(stage: stage, detail: "\(key) must be \(expected)")
        } catch DecodingError.dataCorrupted(let context) {
            // An enumerated setting given a value it does not know.
            let key = context.codingPath.map { Self.snakeCase($0.stringValue) }.joined(separator: ".")
            let value = (overrides[key] as? String).map { "\"\($0)\"" } ?? "the value"
            throw StageCatalogError.badSetting(
                stage: stage, detail: "\(key): \(value) is not \(context.debugDescription)")
        } catch {
            throw StageCatalogError.badSetting(stage: stage, detail: "\(error)")
        }
    }

    private static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }
}
