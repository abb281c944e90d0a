/// Turns selected parts of a `PageTree` into paragraphs: every block element (heading, paragraph, list
/// item, quote, table cell, …) starts a new one, inline content flows with the page's own spacing, one
/// `<br>` is a line break and two in a row end the paragraph; `pre` keeps its lines.
struct TextRenderer {
    private let tree: PageTree
    private let skip: [Bool]
    private var current: [UInt8] = []
    private var breaks = 0
    private var linkDepth = 0
    /// Bytes of `current` that came from inside links.
    private var linkBytes = 0
    private(set) var paragraphs: [String] = []

    /// A paragraph that is this many tenths link text or more is a link to elsewhere ("Read more: …",
    /// a related headline), not article text.
    static let linkLineTenths = 9

    init(tree: PageTree, skip: [Bool]) {
        self.tree = tree
        self.skip = skip
    }

    /// Renders the subtrees under `roots`, in order, onto `paragraphs`.
    mutating func render(_ roots: [Int]) {
        for root in roots { visit(root, inPre: false) }
        flush()
    }

    private mutating func visit(_ index: Int, inPre: Bool) {
        if skip[index] { return }
        let node = tree.nodes[index]
        switch node.tag {
        case .text:
            appendText(node.textStart, node.textEnd, raw: inPre)
        case .br:
            breaks += 1
            if breaks >= 2 {
                flush()
            } else if !current.isEmpty {
                trimTrailingSpace()
                current.append(0x0A)
            }
        case .hr:
            flush()
        default:
            let block = node.tag.isBlock
            if block { flush() }
            if node.tag == .a { linkDepth += 1 }
            var child = node.firstChild
            let pre = inPre || node.tag == .pre
            while child >= 0 {
                visit(child, inPre: pre)
                child = tree.nodes[child].nextSibling
            }
            if node.tag == .a { linkDepth -= 1 }
            if block { flush() }
        }
    }

    private mutating func appendText(_ start: Int, _ end: Int, raw: Bool) {
        var start = start
        if raw {
            current.append(contentsOf: tree.text[start..<end])
            breaks = 0
            return
        }
        if current.isEmpty || current.last == 0x20 || current.last == 0x0A {
            while start < end && tree.text[start] == 0x20 { start += 1 }
        }
        guard start < end else { return }
        if !(end - start == 1 && tree.text[start] == 0x20) { breaks = 0 }
        current.append(contentsOf: tree.text[start..<end])
        if linkDepth > 0 { linkBytes += end - start }
    }

    private mutating func trimTrailingSpace() {
        while let last = current.last, last == 0x20 || last == 0x0A { current.removeLast() }
    }

    private mutating func flush() {
        breaks = 0
        trimTrailingSpace()
        var start = 0
        while start < current.count && (current[start] == 0x20 || current[start] == 0x0A) { start += 1 }
        let isLinkLine = linkBytes * 10 >= (current.count - start) * Self.linkLineTenths
        if start < current.count && !isLinkLine {
            paragraphs.append(String(decoding: current[start...], as: UTF8.self))
        }
        current.removeAll(keepingCapacity: true)
        linkBytes = 0
    }
}
