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
        switch name {
        case "html": self = .html
        case "body": self = .body
        case "div": self = .div
        case "section": self = .section
        case "article": self = .article
        case "main": self = .main
        case "span": self = .span
        case "font": self = .font
        case "center": self = .center
        case "p": self = .p
        case "pre": self = .pre
        case "blockquote": self = .blockquote
        case "h1": self = .h1
        case "h2": self = .h2
        case "h3": self = .h3
        case "h4": self = .h4
        case "h5": self = .h5
        case "h6": self = .h6
        case "ul": self = .ul
        case "ol": self = .ol
        case "li": self = .li
        case "dl": self = .dl
        case "dt": self = .dt
        case "dd": self = .dd
        case "table": self = .table
        case "tbody": self = .tbody
        case "thead": self = .thead
        case "tfoot": self = .tfoot
        case "tr": self = .tr
        case "td": self = .td
        case "th": self = .th
        case "caption": self = .caption
        case "a": self = .a
        case "br": self = .br
        case "hr": self = .hr
        case "img": self = .img
        case "figure": self = .figure
        case "figcaption": self = .figcaption
        case "picture": self = .picture
        case "time": self = .time
        case "address": self = .address
        case "details": self = .details
        case "summary": self = .summary
        case "input": self = .input
        case "script", "style", "noscript", "iframe", "svg", "template", "button", "select", "head", "object",
            "embed", "video", "audio", "canvas", "map", "textarea", "option", "math", "link", "meta", "title",
            "dialog":
            self = .dropped
        case "nav", "header", "footer", "aside", "form", "menu":
            self = .furniture
        default: self = .other
        }
    }

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
