/// The visible part of a page in flat arrays: elements and text nodes in document order (a parent
/// always before its children), text with whitespace collapsed, removed elements (scripts, hidden
/// elements) left out. `PageParser` builds it from libxml2's parse events; metadata found on the
/// way (head tags, JSON-LD, the first `h1`, `time` elements) goes into `signals`.
///
/// Page furniture (`nav`, `header`, `footer`, `aside`, `form` and furniture roles) is kept and
/// marked: `withoutFurniture()` gives the tree the first passes score, and the fallback pass, for
/// pages that wrap their whole body in furniture, scores the tree as parsed.
struct PageTree {
    struct Node {
        var tag: HTMLTag
        var parent: Int
        var firstChild = -1
        var nextSibling = -1
        /// Text nodes: the range of their bytes in `text`.
        var textStart = 0
        var textEnd = 0
        /// What the `class` and `id` say (see `ClassHints`), worked out once for every pass.
        var classWeight: Int32 = 0
        var unlikely = false
        var caption = false
        /// Page furniture, by its tag or its ARIA role: left out with its content by `withoutFurniture()`.
        var furniture = false
    }

    private(set) var nodes: [Node] = []
    /// Each node's lowercased `class` attribute value ("" for text), beside `nodes` so that a node
    /// holds no reference and copies as plain bytes.
    private(set) var classNames: [String] = []
    /// The bytes of the text nodes, each node's in one range.
    private(set) var text: [UInt8] = []
    var signals = MetadataSignals()
    private var lastChild: [Int] = []

    init() {
        text.reserveCapacity(64 * 1024)
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

    /// The same tree with every furniture element left out, with everything inside it.
    func withoutFurniture() -> PageTree {
        guard nodes.contains(where: \.furniture) else { return self }
        var copy = PageTree()
        copy.signals = signals
        // Text nodes keep their ranges: the bytes are shared, and those of furniture are not read.
        copy.text = text
        // Parents come before their children, so one pass maps every kept node to its new index.
        var moved = [Int](repeating: -1, count: nodes.count)
        for (index, node) in nodes.enumerated() {
            let parent = node.parent >= 0 ? moved[node.parent] : -1
            if node.furniture || (node.parent >= 0 && parent < 0) { continue }
            // The node as it was, linked anew into the copy.
            var kept = node
            kept.parent = parent
            kept.firstChild = -1
            kept.nextSibling = -1
            moved[index] = copy.append(kept, className: classNames[index])
        }
        return copy
    }

    /// Appends an element under `parent` (-1 for the root) and returns its index.
    mutating func append(_ node: Node, className: String = "") -> Int {
        let index = nodes.count
        nodes.append(node)
        classNames.append(className)
        lastChild.append(-1)
        if node.parent >= 0 {
            let previous = lastChild[node.parent]
            if previous >= 0 { nodes[previous].nextSibling = index } else { nodes[node.parent].firstChild = index }
            lastChild[node.parent] = index
        }
        return index
    }

    /// The collapsing of one text node under way: whitespace runs (and no-break spaces) become one
    /// space unless `raw` (inside `pre`), where only carriage returns are dropped. A text node may
    /// arrive in several pieces.
    struct TextRun {
        let parent: Int
        let raw: Bool
        let start: Int
        var pendingSpace = false
        /// A piece ended with the first byte of a no-break space (0xC2): held until the next byte is seen.
        var heldLead = false
    }

    func startText(parent: Int, raw: Bool) -> TextRun {
        TextRun(parent: parent, raw: raw, start: text.count)
    }

    mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>, to run: inout TextRun) {
        if run.raw {
            for byte in bytes where byte != 0x0D { text.append(byte) }
            return
        }
        var index = 0
        if run.heldLead, !bytes.isEmpty {
            run.heldLead = false
            if bytes[0] == 0xA0 {
                run.pendingSpace = true
                index = 1
            } else {
                emit(0xC2, &run)
            }
        }
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C {
                run.pendingSpace = true
                index += 1
                continue
            }
            if byte == 0xC2 {
                if index + 1 == count {
                    run.heldLead = true
                    return
                }
                if bytes[index + 1] == 0xA0 {
                    index += 2
                    run.pendingSpace = true
                    continue
                }
            }
            // A run of bytes kept as they are (a word, mostly): up to the next byte that may be
            // whitespace or lead a no-break space, appended at once rather than byte by byte.
            var end = index + 1
            while end < count {
                let next = bytes[end]
                if next <= 0x20 || next == 0xC2 { break }
                end += 1
            }
            writePendingSpace(&run)
            text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<end]))
            index = end
        }
    }

    private mutating func emit(_ byte: UInt8, _ run: inout TextRun) {
        writePendingSpace(&run)
        text.append(byte)
    }

    /// The one space a whitespace run before this point collapses to.
    private mutating func writePendingSpace(_ run: inout TextRun) {
        guard run.pendingSpace else { return }
        text.append(0x20)
        run.pendingSpace = false
    }

    /// Ends `run`: a text node is added unless it came to nothing.
    mutating func finishText(_ run: inout TextRun) {
        if run.heldLead {
            run.heldLead = false
            emit(0xC2, &run)
        }
        writePendingSpace(&run)
        guard text.count > run.start else { return }
        var node = Node(tag: .text, parent: run.parent)
        node.textStart = run.start
        node.textEnd = text.count
        _ = append(node)
    }
}
