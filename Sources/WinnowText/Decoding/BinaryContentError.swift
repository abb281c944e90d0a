/// Why bytes were refused as text: what they look like instead, in words a person can act on.
public struct BinaryContentError: Error, Equatable, CustomStringConvertible {
    /// What the content is, as a noun phrase ("a PNG image", "binary (it holds NUL bytes)").
    public var kind: String

    public init(kind: String) {
        self.kind = kind
    }

    /// "the content is a PNG image, not text".
    public var description: String { "the content is \(kind), not text" }

    /// Content with NUL bytes that is not UTF-16 or UTF-32.
    public static let nulBytes = BinaryContentError(kind: "binary (it holds NUL bytes)")
}
