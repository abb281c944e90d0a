/// The element names the extractor treats specially; everything else is `.other` (inline).
enum HTMLTag: UInt8 {
    case text, other
    case html, body, div, section, article, main, span, font, center
    case p, pre, blockquote, h1, h2, h3, h4, h5, h6, ul, ol, li, dl, dt, dd
    case table, tbody, thead, tfoot, tr, td, th, caption
    case a, br, hr, img, figure, figcaption, picture, time, address, details, summary, input
    /// Removed with everything inside, whatever the page: never article text.
    case dropped
    /// Page furniture (`nav`, `header`, `footer`, `aside`, `form`): removed, except in the
    /// fallback pass for pages that wrap their whole body in one of them.
    case furniture

    init(name: String) {
        self = Self.byName[name] ?? .other
    }

    /// Every name that is not `.other` (one hash lookup instead of comparing a name with each).
    private static let byName: [String: HTMLTag] = {
        var table: [String: HTMLTag] = [:]
        for tag in [
            HTMLTag.html, .body, .div, .section, .article, .main, .span, .font, .center, .p, .pre, .blockquote, .h1,
            .h2, .h3, .h4, .h5, .h6, .ul, .ol, .li, .dl, .dt, .dd, .table, .tbody, .thead, .tfoot, .tr, .td, .th,
            .caption, .a, .br, .hr, .img, .figure, .figcaption, .picture, .time, .address, .details, .summary, .input,
        ] {
            table[String(describing: tag)] = tag  // each case is named after its element
        }
        for name in [
            "script", "style", "noscript", "iframe", "svg", "template", "button", "select", "head", "object",
            "embed", "video", "audio", "canvas", "map", "textarea", "option", "math", "link", "meta", "title",
            "dialog",
        ] {
            table[name] = .dropped
        }
        for name in ["nav", "header", "footer", "aside", "form", "menu"] { table[name] = .furniture }
        return table
    }()

    /// Starts a new line of output (everything else flows inline).
    var isBlock: Bool {
        switch self {
        case .text, .other, .span, .font, .a, .br, .img, .picture, .time, .input, .dropped, .furniture: false
        default: true
        }
    }

    /// A heading, `h1` … `h6`.
    var isHeading: Bool {
        switch self {
        case .h1, .h2, .h3, .h4, .h5, .h6: true
        default: false
        }
    }

    /// A generic container that readability-style scoring treats as a paragraph when it holds only inline content.
    var isContainer: Bool {
        switch self {
        case .div, .section, .article, .main, .center: true
        default: false
        }
    }
}
