import CLibXML2

/// The attributes of one element that extraction looks at, read in one pass over libxml2's list.
struct ElementAttributes {
    var className = ""
    var id = ""
    var role: String?
    var isHidden = false
    var name: String?
    var property: String?
    var content: String?
    var itemprop: String?
    var httpEquiv: String?
    var datetime: String?
    var rel: String?
    var type: String?
    var lang: String?

    /// The attributes read, by name; an element's other attributes (`href`, `src`, `data-…`) are
    /// skipped without making strings of their names or values.
    private enum Name {
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

    init(_ list: UnsafeMutablePointer<xmlAttr>?) {
        var attribute = list
        let names = Self.names
        let longest = Self.longestName
        while let current = attribute {
            defer { attribute = current.pointee.next }
            guard let namePointer = current.pointee.name,
                let known = Self.name(namePointer, in: names, longest: longest)
            else { continue }
            let value = current.pointee.children?.pointee.content.map { String(cString: $0) } ?? ""
            switch known {
            case .className: className = value.lowercased()
            case .id: id = value.lowercased()
            case .role: role = value.lowercased()
            case .hidden: isHidden = true
            case .ariaHidden: if value.lowercased() == "true" { isHidden = true }
            case .style: if Self.hidesElement(style: value) { isHidden = true }
            case .name: name = value.lowercased()
            case .property: property = value.lowercased()
            case .content: content = value
            case .itemprop: itemprop = value.lowercased()
            case .httpEquiv: httpEquiv = value.lowercased()
            case .datetime: datetime = value
            case .rel: rel = value.lowercased()
            case .type: type = value.lowercased()
            case .lang: lang = value
            }
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
