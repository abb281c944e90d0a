/// Finds the article in a `PageTree` in the manner of Mozilla Readability: paragraphs give points
/// (one, plus one per comma, plus one per 100 characters up to three) to their parent and, less, to
/// further ancestors; the best-scoring ancestor, discounted by its link density, is the article, joined
/// by siblings that score close to it; inside it, link lists, forms and image galleries are removed.
struct ContentSelector {
    /// Which of readability's heuristics are on; each retry turns one more off.
    struct Flags {
        var stripUnlikely = true
        var weightClasses = true
        var cleanConditionally = true
    }

    /// The article: the top-level nodes to render, and the nodes inside them to leave out.
    struct Selection {
        var roots: [Int]
        var skip: [Bool]
    }

    let tree: PageTree
    let flags: Flags

    func select() -> Selection {
        let nodes = tree.nodes
        let count = nodes.count
        var removed = Array(repeating: false, count: count)
        var weights = Array(repeating: Int32(0), count: count)
        for index in 0..<count where nodes[index].tag != .text {
            let node = nodes[index]
            if node.parent >= 0 && removed[node.parent] {
                removed[index] = true
                continue
            }
            if flags.weightClasses {
                weights[index] = Int32(ClassHints.weight(className: node.className, id: node.idName))
            }
            if flags.stripUnlikely && node.tag != .body && node.tag != .a && node.tag != .html
                && ClassHints.isUnlikely(className: node.className, id: node.idName)
            {
                removed[index] = true
            }
        }
        for index in 0..<count where nodes[index].tag == .text && removed[nodes[index].parent] { removed[index] = true }
        let stats = NodeStatistics(tree: tree, removed: removed)

        var scores = Array(repeating: Double.nan, count: count)
        func initialize(_ index: Int) {
            guard scores[index].isNaN else { return }
            scores[index] = Self.baseScore(nodes[index].tag) + Double(weights[index])
        }
        for index in 0..<count where !removed[index] {
            let tag = nodes[index].tag
            let length: Int32
            let commaCount: Int32
            var first: Int
            switch tag {
            case .p, .pre, .td:
                (length, commaCount, first) = (stats.textLength[index], stats.commas[index], nodes[index].parent)
            case .body:
                (length, commaCount, first) = (stats.inlineLength[index], stats.inlineCommas[index], index)
            case _ where tag.isContainer && !stats.hasBlockChild[index]:
                (length, commaCount, first) = (stats.textLength[index], stats.commas[index], nodes[index].parent)
            case _ where tag.isContainer:
                (length, commaCount, first) = (stats.inlineLength[index], stats.inlineCommas[index], index)
            default:
                continue
            }
            guard length >= 25, first >= 0 else { continue }
            let points = 1 + Double(commaCount) + Double(min(length / 100, 3))
            var level = 0
            var ancestor = first
            while ancestor >= 0 && level < 5 {
                if nodes[ancestor].tag == .html { break }
                initialize(ancestor)
                let divider = level == 0 ? 1.0 : level == 1 ? 2.0 : Double(level * 3)
                scores[ancestor] += points / divider
                ancestor = nodes[ancestor].parent
                level += 1
            }
        }
        var candidates: [Int] = []
        for index in 0..<count where !scores[index].isNaN {
            scores[index] *= 1 - stats.linkDensity(index)
            candidates.append(index)
        }
        candidates.sort { scores[$0] > scores[$1] }
        let body = nodes.firstIndex { $0.tag == .body } ?? 0
        guard var top = candidates.first else {
            let keep = count > 0 && stats.linkDensity(body) <= Self.maximumLinkDensity
            return Selection(roots: keep ? [body] : [], skip: removed)
        }
        top = promote(top, candidates: candidates, scores: scores, body: body)

        var roots: [Int] = []
        let parent = nodes[top].parent
        if parent < 0 {
            roots = [top]
        } else {
            let threshold = max(10, scores[top] * 0.2)
            var sibling = nodes[parent].firstChild
            while sibling >= 0 {
                defer { sibling = nodes[sibling].nextSibling }
                if removed[sibling] { continue }
                if sibling == top {
                    roots.append(sibling)
                    continue
                }
                let sameClass = !nodes[top].className.isEmpty && nodes[sibling].className == nodes[top].className
                let bonus = sameClass ? scores[top] * 0.2 : 0
                if !scores[sibling].isNaN && scores[sibling] + bonus >= threshold {
                    roots.append(sibling)
                } else if isContinuation(sibling, of: top, stats: stats, weights: weights) {
                    roots.append(sibling)
                } else if nodes[sibling].tag == .p || nodes[sibling].tag == .text
                    || (nodes[sibling].tag.isContainer && !stats.hasBlockChild[sibling])
                {
                    let length = stats.textLength[sibling]
                    let density = stats.linkDensity(sibling)
                    if length > 80 && density < 0.25 {
                        roots.append(sibling)
                    } else if length > 0 && length <= 80 && density == 0 && endsSentence(sibling) {
                        roots.append(sibling)
                    }
                }
            }
        }

        let text = roots.reduce(0) { $0 + Int(stats.textLength[$1]) }
        let links = roots.reduce(0) { $0 + Int(stats.linkLength[$1]) }
        if text > 0 && Double(links) / Double(text) > Self.maximumLinkDensity { roots = [] }

        var skip = removed
        if flags.cleanConditionally {
            for root in roots { clean(root, isRoot: true, stats: stats, weights: weights, scores: scores, skip: &skip) }
        }
        return Selection(roots: roots, skip: skip)
    }

    /// Above this share of link text, the best block is a link list, not an article: nothing is kept.
    static let maximumLinkDensity = 0.5

    /// Whether `sibling` continues the article that `top` starts: the same kind of element, holding
    /// paragraphs of prose rather than links, and not named like boilerplate. Pages that split the
    /// body into sections around images or ads score each section alone, too low to join by score.
    private func isContinuation(_ sibling: Int, of top: Int, stats: NodeStatistics, weights: [Int32]) -> Bool {
        let nodes = tree.nodes
        guard nodes[sibling].tag == nodes[top].tag, nodes[sibling].tag.isContainer, weights[sibling] >= 0 else {
            return false
        }
        return stats.paragraphs[sibling] >= 1 && stats.textLength[sibling] >= 200 && stats.linkDensity(sibling) < 0.2
    }

    /// Readability's starting score for an element that gathers paragraph points.
    private static func baseScore(_ tag: HTMLTag) -> Double {
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
    private func promote(_ start: Int, candidates: [Int], scores: [Double], body: Int) -> Int {
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

    private func isAncestor(_ ancestor: Int, of index: Int) -> Bool {
        var current = tree.nodes[index].parent
        while current >= 0 {
            if current == ancestor { return true }
            current = tree.nodes[current].parent
        }
        return false
    }

    /// Whether the text of `index` ends like a sentence.
    private func endsSentence(_ index: Int) -> Bool {
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

    /// Readability's `_cleanConditionally`: marks link lists, forms and galleries inside the article.
    private func clean(
        _ index: Int, isRoot: Bool, stats: NodeStatistics, weights: [Int32], scores: [Double], skip: inout [Bool]
    ) {
        if skip[index] { return }
        let node = tree.nodes[index]
        if !isRoot && shouldRemove(index, stats: stats, weights: weights, scores: scores) {
            skip[index] = true
            return
        }
        var child = node.firstChild
        while child >= 0 {
            if tree.nodes[child].tag != .text {
                clean(child, isRoot: false, stats: stats, weights: weights, scores: scores, skip: &skip)
            }
            child = tree.nodes[child].nextSibling
        }
    }

    private func shouldRemove(_ index: Int, stats: NodeStatistics, weights: [Int32], scores: [Double]) -> Bool {
        let tag = tree.nodes[index].tag
        let weight = Int(weights[index])
        if tag.isHeading && weight < 0 { return true }
        if tag == .figcaption || tag == .h1 { return true }
        let node = tree.nodes[index]
        if stats.textLength[index] < 250 && ClassHints.isCaption(className: node.className, id: node.idName) {
            return true
        }
        switch tag {
        case .table, .ul, .ol, .div, .section, .dl, .furniture, .figure: break
        default: return false
        }
        let score = scores[index].isNaN ? 0 : scores[index]
        if Double(weight) + score < 0 { return true }
        if stats.commas[index] >= 10 { return false }
        let isList = tag == .ul || tag == .ol
        let paragraphs = Int(stats.paragraphs[index])
        let images = Int(stats.images[index])
        let listItems = Int(stats.listItems[index]) - 100
        let inputs = Int(stats.inputs[index])
        let length = Int(stats.textLength[index])
        let headingDensity = length == 0 ? 0 : Double(stats.headingLength[index]) / Double(length)
        let linkDensity = stats.linkDensity(index)
        if images > 1 && Double(paragraphs) / Double(images) < 0.5 { return true }
        if !isList && listItems > paragraphs { return true }
        if inputs > paragraphs / 3 { return true }
        if !isList && headingDensity < 0.9 && length < 25 && (images == 0 || images > 2) { return true }
        if !isList && weight < 25 && linkDensity > 0.2 { return true }
        if weight >= 25 && linkDensity > 0.5 { return true }
        if isList && linkDensity > 0.5 { return true }
        return false
    }
}
