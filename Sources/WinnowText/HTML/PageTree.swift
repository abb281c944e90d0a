import CLibXML2

/// The visible part of a page copied out of libxml2's tree into flat arrays: elements and text
/// nodes in document order (a parent always before its children), text with whitespace collapsed,
/// removed elements (scripts, hidden elements, page furniture) left out. Metadata found on the way
/// (head tags, JSON-LD, the first `h1`, `time` elements) goes into `signals`.
struct PageTree {
    struct Node {
        var tag: HTMLTag
        var parent: Int
        var firstChild = -1
        var nextSibling = -1
        /// Text nodes: the range of their bytes in `text`.
        var textStart = 0
        var textEnd = 0
        /// Lowercased `class` attribute value.
        var className = ""
        /// What the `class` and `id` say (see `ClassHints`), worked out once for every pass.
        var classWeight: Int32 = 0
        var unlikely = false
        var caption = false
    }

    private(set) var nodes: [Node] = []
    /// The bytes of every text node, one after the other.
    private(set) var text: [UInt8] = []
    private(set) var signals = MetadataSignals()
    private var lastChild: [Int] = []

    /// Copies `document`; with `keepFurniture`, `nav`/`header`/`footer`/`aside`/`form` are kept.
    init(document: HTMLDocument, keepFurniture: Bool) {
        guard let root = document.root else { return }
        text.reserveCapacity(64 * 1024)
        visit(root, parent: -1, keep: true, keepFurniture: keepFurniture, inPre: false)
    }

    private mutating func visit(_ node: xmlNodePtr, parent: Int, keep: Bool, keepFurniture: Bool, inPre: Bool) {
        let element = node.pointee
        switch element.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            guard keep, parent >= 0, let content = element.content else { return }
            appendText(content, parent: parent, raw: inPre)
        case XML_ELEMENT_NODE:
            guard let namePointer = element.name else { return }
            let name = String(cString: namePointer)
            let tag = HTMLTag(name: name)
            var attributes = ElementAttributes(element.properties)
            signals.observe(name: name, node: node, attributes: &attributes)
            // The head holds no text but most of the metadata: it is read, never kept.
            guard tag != .dropped || name == "head" else { return }
            var keepHere = keep && !attributes.isHidden && tag != .dropped
            if tag == .furniture && !keepFurniture { keepHere = false }
            if let role = attributes.role, Self.furnitureRoles.contains(role), !keepFurniture { keepHere = false }
            var index = parent
            if keepHere {
                var added = Node(tag: tag, parent: parent, className: attributes.className)
                if !attributes.className.isEmpty || !attributes.id.isEmpty {
                    let hints = ClassHints.hints(className: attributes.className, id: attributes.id)
                    added.classWeight = Int32(hints.classWeight)
                    added.unlikely = hints.unlikely
                    added.caption = hints.caption
                }
                index = append(added)
            }
            var child = element.children
            let pre = inPre || tag == .pre
            while let current = child {
                visit(current, parent: index, keep: keepHere, keepFurniture: keepFurniture, inPre: pre)
                child = current.pointee.next
            }
        default:
            return
        }
    }

    /// Whether `index` is `ancestor` or lies inside it.
    func isWithin(_ index: Int, _ ancestor: Int) -> Bool {
        var current = index
        while current >= 0 {
            if current == ancestor { return true }
            current = nodes[current].parent
        }
        return false
    }

    /// ARIA roles of page furniture.
    private static let furnitureRoles: Set<String> = [
        "navigation", "menu", "menubar", "complementary", "banner", "contentinfo", "dialog", "alertdialog", "search",
    ]

    private mutating func append(_ node: Node) -> Int {
        let index = nodes.count
        nodes.append(node)
        lastChild.append(-1)
        if node.parent >= 0 {
            let previous = lastChild[node.parent]
            if previous >= 0 { nodes[previous].nextSibling = index } else { nodes[node.parent].firstChild = index }
            lastChild[node.parent] = index
        }
        return index
    }

    /// Appends a text node, collapsing whitespace runs (and no-break spaces) to one space unless `raw`.
    private mutating func appendText(_ content: UnsafeMutablePointer<xmlChar>, parent: Int, raw: Bool) {
        let start = text.count
        var index = 0
        var pendingSpace = false
        while true {
            let byte = content[index]
            if byte == 0 { break }
            index += 1
            if raw {
                if byte != 0x0D { text.append(byte) }
                continue
            }
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C {
                pendingSpace = true
                continue
            }
            if byte == 0xC2 && content[index] == 0xA0 {
                index += 1
                pendingSpace = true
                continue
            }
            if pendingSpace {
                text.append(0x20)
                pendingSpace = false
            }
            text.append(byte)
        }
        if pendingSpace { text.append(0x20) }
        guard text.count > start else { return }
        var node = Node(tag: .text, parent: parent)
        node.textStart = start
        node.textEnd = text.count
        _ = append(node)
    }
}
