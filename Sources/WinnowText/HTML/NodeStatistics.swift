/// Per-element counts over a `PageTree`, computed bottom-up in one pass, leaving out removed subtrees.
struct NodeStatistics {
    /// Characters (Unicode scalars) of text in the subtree.
    var textLength: [Int32]
    /// Characters of text inside links.
    var linkLength: [Int32]
    /// Commas (Latin, CJK, Arabic) in the subtree.
    var commas: [Int32]
    /// Characters of text not inside a block-level descendant: the element's own inline content.
    var inlineLength: [Int32]
    var inlineCommas: [Int32]
    var hasBlockChild: [Bool]
    var paragraphs: [Int32]
    var images: [Int32]
    var listItems: [Int32]
    var inputs: [Int32]
    var headingLength: [Int32]

    init(tree: PageTree, removed: [Bool]) {
        let count = tree.nodes.count
        textLength = Array(repeating: 0, count: count)
        linkLength = textLength
        commas = textLength
        inlineLength = textLength
        inlineCommas = textLength
        paragraphs = textLength
        images = textLength
        listItems = textLength
        inputs = textLength
        headingLength = textLength
        hasBlockChild = Array(repeating: false, count: count)
        tree.text.withUnsafeBufferPointer { text in
            var index = count - 1
            while index >= 0 {
                defer { index -= 1 }
                if removed[index] { continue }
                let node = tree.nodes[index]
                switch node.tag {
                case .text:
                    let (length, commaCount) = Self.measure(text, node.textStart, node.textEnd)
                    textLength[index] = length
                    inlineLength[index] = length
                    commas[index] = commaCount
                    inlineCommas[index] = commaCount
                case .a: linkLength[index] = textLength[index]
                case .p: paragraphs[index] += 1
                case .img: images[index] += 1
                case .li: listItems[index] += 1
                case .input: inputs[index] += 1
                default: if node.tag.isHeading { headingLength[index] = textLength[index] }
                }
                let parent = node.parent
                guard parent >= 0 else { continue }
                textLength[parent] += textLength[index]
                linkLength[parent] += linkLength[index]
                commas[parent] += commas[index]
                paragraphs[parent] += paragraphs[index]
                images[parent] += images[index]
                listItems[parent] += listItems[index]
                inputs[parent] += inputs[index]
                headingLength[parent] += headingLength[index]
                if node.tag.isBlock {
                    hasBlockChild[parent] = true
                } else {
                    inlineLength[parent] += inlineLength[index]
                    inlineCommas[parent] += inlineCommas[index]
                }
            }
        }
    }

    /// The share of the text inside links.
    func linkDensity(_ index: Int) -> Double {
        textLength[index] == 0 ? 0 : Double(linkLength[index]) / Double(textLength[index])
    }

    /// Scalars and commas (`,` `，` `、` `،`) in `text[start..<end]`.
    private static func measure(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int32, Int32) {
        var scalars: Int32 = 0
        var commas: Int32 = 0
        var index = start
        while index < end {
            let byte = text[index]
            if byte & 0xC0 != 0x80 && byte != 0x20 { scalars += 1 }
            if byte == 0x2C {
                commas += 1
            } else if byte == 0xEF && index + 2 < end && text[index + 1] == 0xBC && text[index + 2] == 0x8C {
                commas += 1
            } else if byte == 0xE3 && index + 2 < end && text[index + 1] == 0x80 && text[index + 2] == 0x81 {
                commas += 1
            } else if byte == 0xD8 && index + 1 < end && text[index + 1] == 0x8C {
                commas += 1
            }
            index += 1
        }
        return (scalars, commas)
    }
}
