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

/// A setting whose value is one of a few names: a name it does not know is refused with the list of
/// those it does (`DecodingError.dataCorrupted`, "one of …").
public protocol SettingChoice: RawRepresentable, CaseIterable, Codable where RawValue == String {}

extension SettingChoice {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let value = Self(rawValue: name) else {
            let names = Self.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "one of \(names)")
        }
        self = value
    }
}
