extension ContentSelector {
    /// Whether `sibling` continues the article that `top` starts: the same kind of element, holding
    /// paragraphs of prose rather than links, and not named like boilerplate. Pages that split the
    /// body into sections around images or ads score each section alone, too low to join by score.
    func isContinuation(_ sibling: Int, of top: Int, stats: NodeStatistics, weights: [Int32]) -> Bool {
        let nodes = tree.nodes
        guard nodes[sibling].tag == nodes[top].tag, nodes[sibling].tag.isContainer, weights[sibling] >= 0 else {
            return false
        }
        return stats.paragraphs[sibling] >= 1 && stats.textLength[sibling] >= 200 && stats.linkDensity(sibling) < 0.2
    }

    /// Readability's starting score for an element that gathers paragraph points.
    static func baseScore(_ tag: HTMLTag) -> Double {
        switch tag {
        case .div: 5
        case .pre, .td, .blockquote: 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li: -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: -5
        default: 0
        }
    }

    /// Moves the top candidate up to a common ancestor of close runners-up, or up through parents
    /// that score about as well, or out of wrappers that hold nothing else.
    func promote(_ start: Int, candidates: [Int], scores: [Double], body: Int) -> Int {
        let nodes = tree.nodes
        var top = start
        let alternatives = candidates.dropFirst().prefix(4).filter { scores[$0] / scores[top] >= 0.75 }
        if alternatives.count >= 3 {
            var ancestor = nodes[top].parent
            while ancestor >= 0 && ancestor != body {
                let containing = alternatives.filter { isAncestor(ancestor, of: $0) }.count
                if containing >= 3 {
                    top = ancestor
                    break
                }
                ancestor = nodes[ancestor].parent
            }
        }
        var lastScore = scores[top]
        let threshold = lastScore / 3
        var parent = nodes[top].parent
        while parent >= 0 && nodes[parent].tag != .body && nodes[parent].tag != .html {
            if scores[parent].isNaN {
                parent = nodes[parent].parent
                continue
            }
            if scores[parent] < threshold { break }
            if scores[parent] > lastScore {
                top = parent
                break
            }
            lastScore = scores[parent]
            parent = nodes[parent].parent
        }
        while true {
            let parent = nodes[top].parent
            guard parent >= 0, nodes[parent].tag != .body, nodes[parent].tag != .html else { break }
            var elementChildren = 0
            var child = nodes[parent].firstChild
            while child >= 0 {
                if nodes[child].tag != .text { elementChildren += 1 }
                child = nodes[child].nextSibling
            }
            guard elementChildren == 1 else { break }
            top = parent
        }
        return top
    }

    func isAncestor(_ ancestor: Int, of index: Int) -> Bool {
        var current = tree.nodes[index].parent
        while current >= 0 {
            if current == ancestor { return true }
            current = tree.nodes[current].parent
        }
        return false
    }

    /// Whether the text of `index` ends like a sentence.
    func endsSentence(_ index: Int) -> Bool {
        var last: UInt8 = 0
        var stack = [index]
        while let current = stack.popLast() {
            let node = tree.nodes[current]
            if node.tag == .text {
                var end = node.textEnd
                while end > node.textStart && tree.text[end - 1] == 0x20 { end -= 1 }
                if end > node.textStart { last = tree.text[end - 1] }
            }
            var children: [Int] = []
            var child = node.firstChild
            while child >= 0 {
                children.append(child)
                child = tree.nodes[child].nextSibling
            }
            stack.append(contentsOf: children.reversed())
        }
        return last == UInt8(ascii: ".")
    }
}
