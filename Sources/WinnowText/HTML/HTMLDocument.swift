import CLibXML2

/// A page parsed by libxml2's HTML parser, which repairs tag soup (unclosed and mis-nested tags,
/// stray end tags) into a tree. Owns the `htmlDocPtr` and frees it when released.
final class HTMLDocument {
    /// The parsed tree; `nil` when libxml2 produced nothing (empty input).
    let pointer: htmlDocPtr?

    /// libxml2's global state, set up once before any parse: `xmlInitParser` is not safe to race
    /// on first use, and parses may run on several threads.
    private static let parserReady: Void = xmlInitParser()

    /// True when libxml2 stopped at its element depth limit (`depthLimit`): the tree holds only
    /// what came before, so the page's text cannot be trusted to be complete.
    let stoppedAtDepthLimit: Bool

    /// libxml2's limit on element nesting without `XML_PARSE_HUGE` (its global `xmlParserMaxDepth`,
    /// which Swift 6 cannot read safely from several threads; it is never changed here).
    static let depthLimit = 256

    /// Parses `html`, which is already UTF-8: the parser is told so and never sniffs a charset.
    init(html: String) {
        _ = Self.parserReady
        var html = html
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue
        )
        // A parser context of our own, so the error that halted the parse can be read afterwards.
        let context = htmlNewParserCtxt()
        defer { if let context { htmlFreeParserCtxt(context) } }
        func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> htmlDocPtr? {
            guard let context, let base = bytes.baseAddress, bytes.count > 0, bytes.count <= Int(Int32.max) else {
                return nil
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                htmlCtxtReadMemory(context, $0, Int32(bytes.count), nil, "UTF-8", options)
            }
        }
        // What extraction never reads is left out (see UnreadMarkup): the tree is the same without it.
        pointer = html.withUTF8 { bytes in
            let skipped = UnreadMarkup.ranges(in: bytes)
            guard !skipped.isEmpty else { return parse(bytes) }
            return UnreadMarkup.removing(skipped, from: bytes).withUnsafeBufferPointer(parse)
        }
        // nodePush halts the parser with XML_ERR_INTERNAL_ERROR "Excessive depth in document".
        var stopped = false
        if let context, let error = xmlCtxtGetLastError(context), error.pointee.code == XML_ERR_INTERNAL_ERROR.rawValue,
            let message = error.pointee.message
        {
            stopped = String(cString: message).contains("Excessive depth")
        }
        stoppedAtDepthLimit = stopped
    }

    deinit {
        if let pointer { xmlFreeDoc(pointer) }
    }

    /// The root element (`<html>`), if any.
    var root: xmlNodePtr? {
        pointer.flatMap { xmlDocGetRootElement($0) }
    }
}
