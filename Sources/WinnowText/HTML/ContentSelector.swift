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
                weights[index] = node.classWeight
            }
            if flags.stripUnlikely && node.tag != .body && node.tag != .a && node.tag != .html
                && node.unlikely
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
            // A wrapper the top candidate was promoted to may never have gathered points itself.
            let topScore = scores[top].isNaN ? 0 : scores[top]
            let threshold = max(10, topScore * 0.2)
            var sibling = nodes[parent].firstChild
            while sibling >= 0 {
                defer { sibling = nodes[sibling].nextSibling }
                if removed[sibling] { continue }
                if sibling == top {
                    roots.append(sibling)
                    continue
                }
                let sameClass = !tree.classNames[top].isEmpty && tree.classNames[sibling] == tree.classNames[top]
                let bonus = sameClass ? topScore * 0.2 : 0
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
}
