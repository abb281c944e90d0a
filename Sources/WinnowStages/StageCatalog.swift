import WinnowCore

/// Errors in the `pipeline.stages` configuration.
public enum StageCatalogError: Error, CustomStringConvertible {
    case unknownStage(String, known: [String])

    public var description: String {
        switch self {
        case .unknownStage(let name, let known):
            "unknown stage '\(name)' (known stages: \(known.joined(separator: ", ")))"
        }
    }
}

/// Every stage by its configuration name, and the default pipeline. Adding a stage is one file
/// and one line here.
public enum StageCatalog {
    private static let factories: [(name: String, make: @Sendable () -> any Stage)] = [
        ("unicode_nfc", { UnicodeNormalizer() }),
        ("whitespace", { WhitespaceNormalizer() }),
        ("empty", { EmptyFilter() }),
        ("exact_dedup", { ExactDeduplicator() }),
    ]

    /// The stage names in default order.
    public static var defaultNames: [String] { factories.map(\.name) }

    /// Builds the named stages, in the given order.
    public static func stages(named names: [String]) throws -> [any Stage] {
        try names.map { name in
            guard let factory = factories.first(where: { $0.name == name }) else {
                throw StageCatalogError.unknownStage(name, known: defaultNames)
            }
            return factory.make()
        }
    }
}
