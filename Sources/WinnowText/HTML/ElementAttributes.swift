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

    init(_ list: UnsafeMutablePointer<xmlAttr>?) {
        var attribute = list
        while let current = attribute {
            defer { attribute = current.pointee.next }
            guard let namePointer = current.pointee.name else { continue }
            let value = current.pointee.children?.pointee.content.map { String(cString: $0) } ?? ""
            switch String(cString: namePointer) {
            case "class": className = value.lowercased()
            case "id": id = value.lowercased()
            case "role": role = value.lowercased()
            case "hidden": isHidden = true
            case "aria-hidden": if value.lowercased() == "true" { isHidden = true }
            case "style": if Self.hidesElement(style: value) { isHidden = true }
            case "name": name = value.lowercased()
            case "property": property = value.lowercased()
            case "content": content = value
            case "itemprop": itemprop = value.lowercased()
            case "http-equiv": httpEquiv = value.lowercased()
            case "datetime": datetime = value
            case "rel": rel = value.lowercased()
            case "type": type = value.lowercased()
            case "lang": lang = value
            default: break
            }
        }
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
