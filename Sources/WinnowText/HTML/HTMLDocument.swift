import CLibXML2

/// A page parsed by libxml2's HTML parser, which repairs tag soup (unclosed and mis-nested tags,
/// stray end tags) into a tree. Owns the `htmlDocPtr` and frees it when released.
final class HTMLDocument {
    /// The parsed tree; `nil` when libxml2 produced nothing (empty input).
    let pointer: htmlDocPtr?

    /// libxml2's global state, set up once before any parse: `xmlInitParser` is not safe to race
    /// on first use, and parses may run on several threads.
    private static let parserReady: Void = xmlInitParser()

    /// Parses `html`, which is already UTF-8: the parser is told so and never sniffs a charset.
    init(html: String) {
        _ = Self.parserReady
        var html = html
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue
        )
        pointer = html.withUTF8 { bytes -> htmlDocPtr? in
            guard let base = bytes.baseAddress, bytes.count > 0, bytes.count <= Int(Int32.max) else { return nil }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                htmlReadMemory($0, Int32(bytes.count), nil, "UTF-8", options)
            }
        }
    }

    deinit {
        if let pointer { xmlFreeDoc(pointer) }
    }

    /// The root element (`<html>`), if any.
    var root: xmlNodePtr? {
        pointer.flatMap { xmlDocGetRootElement($0) }
    }
}
