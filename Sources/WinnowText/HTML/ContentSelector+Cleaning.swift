extension ContentSelector {
    /// Readability's `_cleanConditionally`: marks link lists, forms and galleries inside the article.
    func clean(
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
        if stats.textLength[index] < 250 && node.caption {
            return true
        }
        if isLinkCard(index, stats: stats) {
            var child = tree.nodes[index].firstChild
            while child >= 0 {
                if isLinkCard(child, stats: stats) { return false }
                child = tree.nodes[child].nextSibling
            }
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

    /// An inline card of links with a picture inside running text (a hover card, a teaser); the
    /// innermost such element is removed, so the link it hangs from stays.
    private func isLinkCard(_ index: Int, stats: NodeStatistics) -> Bool {
        !tree.nodes[index].tag.isBlock && stats.images[index] > 0 && stats.textLength[index] >= 50
            && stats.linkDensity(index) >= 0.8
    }
}
