import Foundation

/// Checks a value against the subset of JSON Schema that docs/schemas uses: `type` (one or a
/// list), `enum`, `properties`, `required`, `additionalProperties` (false or a schema) and `items`.
/// Returns what does not match, with its path; empty when the value conforms.
enum JSONSchema {
    static func problems(_ value: JSON, against schema: JSON, at path: String = "$") -> [String] {
        var problems: [String] = []
        if let types = schema["type"] {
            let names = types.array?.compactMap(\.string) ?? [types.string].compactMap { $0 }
            guard names.contains(where: { matches(value, type: $0) }) else {
                return ["\(path): \(value) is not \(names.joined(separator: " or "))"]
            }
        }
        if let allowed = schema["enum"]?.array, !allowed.contains(value) {
            problems.append("\(path): \(value) is not one of \(allowed)")
        }
        if case .object(let object) = value {
            let properties = schema["properties"]
            for name in schema["required"]?.array?.compactMap(\.string) ?? [] where object[name] == nil {
                problems.append("\(path): lacks \(name)")
            }
            for (name, member) in object.sorted(by: { $0.key < $1.key }) {
                if let property = properties?[name] {
                    problems += Self.problems(member, against: property, at: path + "." + name)
                } else if let extra = schema["additionalProperties"] {
                    if extra == .bool(false) {
                        problems.append("\(path): \(name) is not documented")
                    } else if case .object = extra {
                        problems += Self.problems(member, against: extra, at: path + "." + name)
                    }
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() {
                problems += Self.problems(item, against: itemSchema, at: "\(path)[\(index)]")
            }
        }
        return problems
    }

    private static func matches(_ value: JSON, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
            ("number", .number):
            return true
        case ("integer", .number(let number)): return number == number.rounded()
        default: return false
        }
    }
}
