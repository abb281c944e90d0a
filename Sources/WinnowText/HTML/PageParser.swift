import CLibXML2

/// Parses a page with libxml2's HTML parser, which repairs tag soup (unclosed and mis-nested tags,
/// stray end tags) into a tree, and builds `PageTree` from the parser's events as they come: no
/// libxml2 tree is built, so no node is allocated, copied and freed for each element, text and
/// attribute.
///
/// The events are those libxml2's own tree builder receives, and `PageTree` holds what a walk of
/// that tree would find:
/// - consecutive pieces of text form one text node; an element, a comment or a processing
///   instruction ends it;
/// - an element whose start tag is never closed (`<p class="a"` at the end of the input) is popped
///   by the parser without an end event. The parser's own count of open elements tells when that
///   happened, and the element is closed at the next event;
/// - the root is the first top-level element (`html`, implied if missing). An element that starts
///   at the top level after the root has closed (content after `</html>`) goes where the tree
///   builder puts it: at the end of the root when the root was the document's first node, beside
///   it (and so unread) after a doctype, a comment or a processing instruction;
/// - the tree builder stops the parse past `depthLimit` open elements, and so does this parser.
enum PageParser {
    /// libxml2's limit on element nesting without `XML_PARSE_HUGE` (its global `xmlParserMaxDepth`):
    /// its tree builder halts the parse on the element that would be one deeper.
    static let depthLimit = 256

    /// The tree of `html` (already UTF-8: the parser is told so and never sniffs a charset), or
    /// `nil` when the page nests elements deeper than `depthLimit`: the parse stops there, so the
    /// page's text cannot be trusted to be complete.
    static func parse(html: String) -> PageTree? {
        _ = parserReady
        guard let context = htmlNewParserCtxt() else { return PageTree() }
        defer { htmlFreeParserCtxt(context) }
        if let handler = context.pointee.sax {
            handler.pointee.startDocument = nil
            handler.pointee.endDocument = nil
            handler.pointee.internalSubset = { context, _, _, _ in
                guard let context else { return }
                Builder.of(context).pointee.doctype()
            }
            handler.pointee.externalSubset = nil
            handler.pointee.setDocumentLocator = nil
            handler.pointee.startElement = { context, name, attributes in
                guard let context, let name else { return }
                Builder.of(context).pointee.start(name, attributes, context)
            }
            handler.pointee.endElement = { context, _ in
                guard let context else { return }
                Builder.of(context).pointee.end(context)
            }
            handler.pointee.characters = { context, bytes, count in
                guard let context, let bytes else { return }
                Builder.of(context).pointee.text(UnsafeBufferPointer(start: bytes, count: Int(count)), context)
            }
            // Script and style bodies: never kept, and never beside other text in one element.
            handler.pointee.cdataBlock = handler.pointee.characters
            // The tree builder drops whitespace libxml2 calls ignorable (none while blanks are kept).
            handler.pointee.ignorableWhitespace = nil
            handler.pointee.comment = { context, _ in
                guard let context else { return }
                Builder.of(context).pointee.breakText(context)
            }
            handler.pointee.processingInstruction = { context, _, _ in
                guard let context else { return }
                Builder.of(context).pointee.breakText(context)
            }
        }
        let builder = UnsafeMutablePointer<Builder>.allocate(capacity: 1)
        builder.initialize(to: Builder())
        defer { builder.deinitialize(count: 1).deallocate() }
        context.pointee._private = UnsafeMutableRawPointer(builder)
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue
        )
        func parse(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let base = bytes.baseAddress, bytes.count > 0, bytes.count <= Int(Int32.max) else { return }
            let document = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                htmlCtxtReadMemory(context, $0, Int32(bytes.count), nil, "UTF-8", options)
            }
            if let document { xmlFreeDoc(document) }  // none is built without the tree builder's handlers
        }
        var html = html
        // What extraction never reads is left out (see UnreadMarkup): the tree is the same without it.
        html.withUTF8 { bytes in
            let skipped = UnreadMarkup.ranges(in: bytes)
            guard !skipped.isEmpty else { return parse(bytes) }
            UnreadMarkup.removing(skipped, from: bytes).withUnsafeBufferPointer(parse)
        }
        return builder.pointee.finish()
    }

    /// libxml2's global state, set up once before any parse: `xmlInitParser` is not safe to race
    /// on first use, and parses may run on several threads.
    private static let parserReady: Void = xmlInitParser()

    /// The state of one parse, reached from the parser context's `_private` pointer.
    fileprivate struct Builder {
        /// An element open in the parse.
        struct Open {
            /// The tree node its children hang from: its own, or its nearest kept ancestor's.
            var node: Int
            /// Whether its text and children are kept in the tree.
            var keep: Bool
            /// Whether it is in a `pre` element, whose whitespace is kept.
            var pre: Bool
            /// Whether its children are read at all: not inside a removed element (scripts, `head`'s
            /// siblings in `HTMLTag.dropped`), whose content no signal and no text comes from.
            var read: Bool
        }

        /// A text asked for by the signals: the element's depth, and its text so far.
        struct Wanted {
            var of: MetadataSignals.TextOf
            var depth: Int
            var bytes: [UInt8] = []
        }

        var tree = PageTree()
        var open: [Open] = []
        /// The text node being read, if any.
        var run: PageTree.TextRun?
        /// The texts asked for, in the order their elements started.
        var wanted: [Wanted] = []
        /// Where in `wanted` the texts of elements still open are: elements close innermost first,
        /// so this is a stack.
        var openWanted: [Int] = []
        /// What the tree builder would have made the document's first node, which decides where
        /// top-level elements after the root go.
        var firstNode = FirstNode.none
        /// The root element once it has been read: the parent of later top-level elements when it
        /// was the document's first node.
        var root: Open?
        var halted = false
        /// Element kinds by the address of their name: libxml2 hands out each name from its
        /// dictionary (or a constant, for implied elements), so each is worked out once per page.
        var kinds: [UnsafeRawPointer: (tag: HTMLTag, name: MetadataSignals.ElementName, head: Bool)] = [:]
        var scratch: [MetadataSignals.TextOf] = []

        enum FirstNode {
            case none, root, other
        }

        static func of(_ context: UnsafeMutableRawPointer) -> UnsafeMutablePointer<Builder> {
            context.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private
                .assumingMemoryBound(to: Builder.self)
        }

        /// The number of elements the parser has open.
        private static func depth(_ context: UnsafeMutableRawPointer) -> Int {
            Int(context.assumingMemoryBound(to: xmlParserCtxt.self).pointee.nameNr)
        }

        /// Closes the elements the parser popped without an end event (see `PageParser`), so that
        /// `expected` are open.
        private mutating func follow(open expected: Int) {
            while open.count > expected { close() }
        }

        mutating func start(
            _ name: UnsafePointer<xmlChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
            _ context: UnsafeMutableRawPointer
        ) {
            guard !halted else { return }
            follow(open: Self.depth(context) - 1)
            endText()
            if open.count > PageParser.depthLimit {
                halted = true
                xmlStopParser(context.assumingMemoryBound(to: xmlParserCtxt.self))
                return
            }
            for index in openWanted { wanted[index].bytes.append(0x20) }
            let parent = open.last ?? topLevelParent()
            guard parent.read else {
                open.append(Open(node: parent.node, keep: false, pre: parent.pre, read: false))
                return
            }
            let kind = self.kind(name)
            let attributes = ElementAttributes(attributes)
            scratch.removeAll(keepingCapacity: true)
            tree.signals.observe(name: kind.name, attributes: attributes, wanted: &scratch)
            for element in scratch {
                openWanted.append(wanted.count)
                wanted.append(Wanted(of: element, depth: open.count + 1))
            }
            // The head holds no text but most of the metadata: it is read, never kept.
            guard kind.tag != .dropped || kind.head else {
                open.append(Open(node: parent.node, keep: false, pre: parent.pre, read: false))
                return
            }
            let keep = parent.keep && !attributes.isHidden && kind.tag != .dropped
            var node = parent.node
            if keep {
                var added = PageTree.Node(tag: kind.tag, parent: parent.node)
                if !attributes.className.isEmpty || !attributes.id.isEmpty {
                    let hints = ClassHints.hints(className: attributes.className, id: attributes.id)
                    added.classWeight = Int32(hints.classWeight)
                    added.unlikely = hints.unlikely
                    added.caption = hints.caption
                }
                added.furniture =
                    kind.tag == .furniture || attributes.role.map { Self.furnitureRoles.contains($0) } == true
                node = tree.append(added, className: attributes.className)
            }
            open.append(Open(node: node, keep: keep, pre: parent.pre || kind.tag == .pre, read: true))
            if root == nil { root = open[0] }
        }

        /// Where an element that starts at the top level goes (see `PageParser`).
        private mutating func topLevelParent() -> Open {
            guard let root else {
                if firstNode == .none { firstNode = .root }
                return Open(node: -1, keep: true, pre: false, read: true)
            }
            return firstNode == .root ? root : Open(node: -1, keep: false, pre: false, read: false)
        }

        /// A doctype, wherever it appears, becomes the document's first node.
        mutating func doctype() {
            firstNode = .other
        }

        mutating func end(_ context: UnsafeMutableRawPointer) {
            guard !halted else { return }
            // The end event comes before the parser pops the element.
            follow(open: Self.depth(context))
            if !open.isEmpty { close() }
        }

        mutating func text(_ bytes: UnsafeBufferPointer<UInt8>, _ context: UnsafeMutableRawPointer) {
            guard !halted else { return }
            follow(open: Self.depth(context))
            guard !open.isEmpty else { return }
            for index in openWanted { wanted[index].bytes.append(contentsOf: bytes) }
            guard let top = open.last, top.keep else { return }
            if run == nil { run = tree.startText(parent: top.node, raw: top.pre) }
            tree.appendText(bytes, to: &run!)
        }

        /// A comment or processing instruction: the text before it and the text after it are two nodes.
        mutating func breakText(_ context: UnsafeMutableRawPointer) {
            guard !halted else { return }
            follow(open: Self.depth(context))
            endText()
            if open.isEmpty && firstNode == .none { firstNode = .other }
        }

        private mutating func endText() {
            guard run != nil else { return }
            tree.finishText(&run!)
            run = nil
        }

        private mutating func close() {
            endText()
            while let last = openWanted.last, wanted[last].depth == open.count { openWanted.removeLast() }
            open.removeLast()
        }

        mutating func finish() -> PageTree? {
            guard !halted else { return nil }
            while !open.isEmpty { close() }
            for element in wanted { tree.signals.take(element.bytes, of: element.of) }
            return tree
        }

        private mutating func kind(
            _ name: UnsafePointer<xmlChar>
        ) -> (tag: HTMLTag, name: MetadataSignals.ElementName, head: Bool) {
            let key = UnsafeRawPointer(name)
            if let known = kinds[key] { return known }
            let string = String(cString: name)
            let kind = (HTMLTag(name: string), MetadataSignals.ElementName(string), string == "head")
            kinds[key] = kind
            return kind
        }

        /// ARIA roles of page furniture.
        private static let furnitureRoles: Set<String> = [
            "navigation", "menu", "menubar", "complementary", "banner", "contentinfo", "dialog", "alertdialog",
            "search",
        ]
    }
}
