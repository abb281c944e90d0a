/// A stage's settings: decoded from the configuration file's `[stages.<name>]` table (snake_case keys),
/// every field with a default so that an empty table means the published defaults.
public protocol StageConfiguration: Codable, Sendable, Equatable {
    init()
}

/// A stage built from settings.
public protocol ConfigurableStage: Stage {
    associatedtype Configuration: StageConfiguration
    init(configuration: Configuration)
}
