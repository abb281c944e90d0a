/// A configuration that cannot be used, said so that the person reading it can fix it.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
