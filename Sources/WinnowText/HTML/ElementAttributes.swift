import CLibXML2

/// The attributes of one element that extraction looks at, read in one pass over the list libxml2
/// gives with its start tag. `class`, `id` and whether the element is hidden are read at once, as
/// every element needs them; the others (metadata, mostly on a few `meta` elements) are found in the
/// pass and made strings only when asked for, which must be before the start tag's event returns.
struct ElementAttributes: ~Copyable {
    private(set) var className = ""
    private(set) var id = ""
    private(set) var isHidden = false
    private let list: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    /// Where in `list` the attributes read on demand are, by `Name`'s raw value; -1 where absent.
    private var positions = InlineArray<15, Int32>(repeating: -1)

    var role: String? { lowercased(.role) }
    var name: String? { lowercased(.name) }
    var property: String? { lowercased(.property) }
    var content: String? { string(.content) }
    var itemprop: String? { lowercased(.itemprop) }
    var httpEquiv: String? { lowercased(.httpEquiv) }
    var datetime: String? { string(.datetime) }
    var rel: String? { lowercased(.rel) }
    var type: String? { lowercased(.type) }
    var lang: String? { string(.lang) }

    /// The attributes read, by name; an element's other attributes (`href`, `src`, `data-…`) are
    /// skipped without making strings of their names or values.
    private enum Name: Int {
        case className, id, role, hidden, ariaHidden, style, name, property, content, itemprop, httpEquiv
        case datetime, rel, type, lang
    }

    /// The names read, as bytes in lower case (as libxml2 writes HTML attribute names), so that
    /// names are compared without making a `String` of each. `UnreadMarkup` leaves out the values
    /// of every other attribute before the page is parsed.
    private static let names: [(bytes: [UInt8], name: Name)] =
        ([
            ("class", .className), ("id", .id), ("role", .role), ("hidden", .hidden), ("aria-hidden", .ariaHidden),
            ("style", .style), ("name", .name), ("property", .property), ("content", .content), ("itemprop", .itemprop),
            ("http-equiv", .httpEquiv), ("datetime", .datetime), ("rel", .rel), ("type", .type), ("lang", .lang),
        ] as [(String, Name)]).map { (Array($0.0.utf8), $0.1) }

    /// The longest name in `names`: longer ones are not looked up.
    private static let longestName = names.map(\.bytes.count).max() ?? 0

    /// Whether extraction reads the attribute named `name`, as a page writes it (in any case).
    static func reads(attributeNamed name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count <= longestName else { return false }
        return names.contains { entry in
            entry.bytes.count == name.count
                && zip(entry.bytes, name).allSatisfy { $0 == ($1 &- 0x41 < 26 ? $1 | 0x20 : $1) }
        }
    }

    /// Reads libxml2's attribute list for one element: name and value pointers in turn, ended by a
    /// null name; a value is null for an attribute written without one.
    init(_ list: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        self.list = list
        guard let list else { return }
        let names = Self.names
        let longest = Self.longestName
        var index = 0
        while let namePointer = list[index] {
            defer { index += 2 }
            guard let known = Self.name(namePointer, in: names, longest: longest) else { continue }
            let value = list[index + 1]
            switch known {
            case .className: className = Self.lowercased(value)
            case .id: id = Self.lowercased(value)
            case .hidden: isHidden = true
            case .ariaHidden: if Self.lowercased(value) == "true" { isHidden = true }
            case .style: if Self.hidesElement(style: value.map { String(cString: $0) } ?? "") { isHidden = true }
            default: positions[known.rawValue] = Int32(index)
            }
        }
    }

    private func string(_ name: Name) -> String? {
        let position = Int(positions[name.rawValue])
        guard position >= 0, let list else { return nil }
        return list[position + 1].map { String(cString: $0) } ?? ""
    }

    private func lowercased(_ name: Name) -> String? {
        let position = Int(positions[name.rawValue])
        guard position >= 0, let list else { return nil }
        return Self.lowercased(list[position + 1])
    }

    /// The value in lower case: ASCII values (nearly all) byte by byte, others as `String.lowercased()`.
    private static func lowercased(_ value: UnsafePointer<xmlChar>?) -> String {
        guard let value else { return "" }
        var length = 0
        var ascii = true
        var upper = false
        while value[length] != 0 {
            let byte = value[length]
            ascii = ascii && byte < 0x80
            upper = upper || (byte &- 0x41 < 26)
            length += 1
        }
        let bytes = UnsafeBufferPointer(start: value, count: length)
        guard ascii else { return String(decoding: bytes, as: UTF8.self).lowercased() }
        guard upper else { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: length) { buffer in
            for index in 0..<length {
                let byte = bytes[index]
                buffer[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
            }
            return length
        }
    }

    /// The attribute named by `pointer` (libxml2 writes HTML attribute names in lower case), if it
    /// is one of `names`.
    private static func name(
        _ pointer: UnsafePointer<xmlChar>, in names: [(bytes: [UInt8], name: Name)], longest: Int
    ) -> Name? {
        var length = 0
        while pointer[length] != 0 {
            length += 1
            if length > longest { return nil }
        }
        for entry in names where entry.bytes.count == length {
            if (0..<length).allSatisfy({ entry.bytes[$0] == pointer[$0] }) { return entry.name }
        }
        return nil
    }

    /// Whether an inline style hides the element (`display:none`, `visibility:hidden`).
    private static func hidesElement(style: String) -> Bool {
        var compact: [UInt8] = []
        compact.reserveCapacity(style.utf8.count)
        for byte in style.utf8 where byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
            compact.append(byte | (byte >= 0x41 && byte <= 0x5A ? 0x20 : 0))
        }
        return ByteSearch.contains(compact, "display:none") || ByteSearch.contains(compact, "visibility:hidden")
    }
}
