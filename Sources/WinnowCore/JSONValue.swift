/// A JSON value with object keys kept in insertion order, so records serialize in a stable layout.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string payload, or `nil` for any other kind of value.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer payload (a whole `double` counts), or `nil`.
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9e15: return Int(value)
        default: return nil
        }
    }

    /// The array payload, or `nil`.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The object payload, or `nil`.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }
}

/// A JSON object whose keys keep the order they were first set in. The pairs are held in that
/// order and a key is found by comparing it with each: objects here are small (a record's
/// metadata, an input line's fields, a drop reason's details), where a few comparisons of short
/// strings cost less than hashing one. An object of more than `indexedFrom` keys also keeps the
/// position of each key in a dictionary, so that a large one is not searched key by key.
public struct JSONObject: Sendable, Equatable {
    private struct Entry: Sendable, Equatable {
        var key: String
        var value: JSONValue
    }

    private var entries: [Entry] = []
    /// Each key's position in `entries`, kept only when there are more than `indexedFrom`.
    private var positions: [String: Int]?
    private static let indexedFrom = 16

    public init() {}

    /// The keys in insertion order.
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { entries[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    entries[position].value = newValue
                } else {
                    entries.remove(at: position)
                    indexPositions()
                }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
                if positions != nil {
                    positions?[key] = entries.count - 1
                } else if entries.count > Self.indexedFrom {
                    indexPositions()
                }
            }
        }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    /// The pairs in insertion order.
    public var pairs: [(key: String, value: JSONValue)] { entries.map { ($0.key, $0.value) } }

    /// Calls `body` with each pair in insertion order.
    public func forEachPair(_ body: (String, JSONValue) throws -> Void) rethrows {
        for entry in entries { try body(entry.key, entry.value) }
    }

    /// Equal when the same keys were set in the same order to equal values.
    public static func == (left: JSONObject, right: JSONObject) -> Bool { left.entries == right.entries }

    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        return entries.firstIndex { $0.key == key }
    }

    private mutating func indexPositions() {
        guard entries.count > Self.indexedFrom else {
            positions = nil
            return
        }
        var positions = [String: Int](minimumCapacity: entries.count)
        for (position, entry) in entries.enumerated() { positions[entry.key] = position }
        self.positions = positions
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        for (key, value) in elements { self[key] = value }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
