import ArgumentParser
import Foundation
import WinnowCore

extension Winnowctl {
    /// `winnowctl report --out FILE`: one self-contained HTML page of charts.
    struct Report: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an HTML report with charts of what was kept and dropped, and why.",
            discussion: """
                One self-contained file (inline SVG, no scripts, nothing fetched from the network): kept and \
                dropped documents per hour, drop reasons, the line rules that removed the most lines, \
                languages, the sources with the largest share of junk, and the largest duplicate clusters \
                with where their copies came from. Open it in any browser.
                """)
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions
        @Option(help: "The HTML file to write.") var out: String
        @Option(help: "Duplicate clusters to show with their members.") var clusters = 5

        func run() throws {
            let stats = try send("GET", "/v1/stats")
            var members: [(id: String, copies: [JSONValue])] = []
            for cluster in (stats.objectValue?["duplicate_clusters"]?.arrayValue ?? []).prefix(clusters) {
                guard let id = cluster.objectValue?["id"]?.stringValue else { continue }
                let query = id.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? id
                let shown = try send("GET", "/v1/show?id=\(query)")
                members.append((id, shown.objectValue?["copies"]?.arrayValue ?? []))
            }
            let page = ReportPage.render(stats: stats, members: members, generated: Timestamp.now())
            do {
                try Data(page.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                printError("winnowctl: cannot write \(out): \(error.localizedDescription)")
                throw Exit.failure
            }
            report(.object(["written": .string(out), "bytes": .int(page.utf8.count)])) { _ in
                "wrote \(out) (\(page.utf8.count) bytes)"
            }
        }
    }
}

/// The report's HTML: sections of horizontal or stacked bar charts drawn as inline SVG.
enum ReportPage {
    static let keptColor = "#3a7d44"
    static let droppedColor = "#c0392b"

    static func render(stats: JSONValue, members: [(id: String, copies: [JSONValue])], generated: String) -> String {
        let object = stats.objectValue ?? JSONObject()
        let documents = object["documents"]?.objectValue ?? JSONObject()
        func pairs(_ value: JSONValue?) -> [(String, Double)] {
            (value?.objectValue?.pairs ?? []).prefix(15).map { ($0.key, Double($0.value.intValue ?? 0)) }
        }
        func keptDropped(_ key: String, _ label: String) -> [(String, [Double])] {
            (object[key]?.arrayValue ?? []).prefix(15).map { item in
                let row = item.objectValue ?? JSONObject()
                return (
                    row[label]?.stringValue ?? "?",
                    [Double(row["kept"]?.intValue ?? 0), Double(row["dropped"]?.intValue ?? 0)]
                )
            }
        }
        let junk = keptDropped("by_source", "source").map { label, values -> (String, Double) in
            let total = values[0] + values[1]
            return ("\(label) (\(Int(total)))", total == 0 ? 0 : values[1] * 100 / total)
        }.sorted { $0.1 > $1.1 }
        var body =
            "<h1>Winnow report</h1>\n<p>Generated \(escape(generated)): "
            + "\(documents["kept"]?.intValue ?? 0) documents kept, \(documents["dropped"]?.intValue ?? 0) dropped.</p>\n"
        body += section("Kept and dropped per hour (UTC)", stacked(keptDropped("by_hour", "hour")))
        body += section("Why documents were dropped", bars(pairs(documents["dropped_by_reason"]), color: droppedColor))
        body += section("Lines removed, by rule", bars(pairs(object["dropped_lines"]), color: "#8e6c8a"))
        body += section("Languages", stacked(keptDropped("by_language", "lang")))
        body += section("Sources by share of junk (% dropped)", bars(junk, color: droppedColor, unit: "%"))
        body += section("Largest duplicate clusters", clusterTable(members))
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Winnow report</title>
            <style>
            body { font: 14px/1.4 sans-serif; margin: 2em; color: #222; max-width: 960px; }
            h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
            table { border-collapse: collapse; } td, th { padding: 2px 8px; text-align: left; vertical-align: top; }
            .none { color: #888; } .legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px; }
            </style></head><body>
            \(body)</body></html>

            """
    }

    static func section(_ title: String, _ content: String) -> String {
        "<h2>\(escape(title))</h2>\n\(content)\n"
    }

    /// Horizontal bars, one per row, scaled to the largest value.
    static func bars(_ rows: [(String, Double)], color: String, unit: String = "") -> String {
        guard !rows.isEmpty else { return #"<p class="none">none yet</p>"# }
        let top = max(1, rows.map(\.1).max() ?? 1)
        var svg = svgOpen(height: rows.count * 24 + 8)
        for (index, (label, value)) in rows.enumerated() {
            let y = index * 24 + 4
            let width = Int((value / top * 480).rounded())
            svg += #"<text x="0" y="\#(y + 15)" font-size="12">\#(escape(String(label.prefix(40))))</text>"#
            svg += #"<rect x="300" y="\#(y)" width="\#(max(1, width))" height="18" fill="\#(color)"/>"#
            svg += #"<text x="\#(306 + width)" y="\#(y + 14)" font-size="12">\#(format(value))\#(unit)</text>"#
        }
        return svg + "</svg>"
    }

    /// Kept (green) and dropped (red) side by side in one bar per row.
    static func stacked(_ rows: [(String, [Double])]) -> String {
        guard !rows.isEmpty else { return #"<p class="none">none yet</p>"# }
        let top = max(1, rows.map { $0.1.reduce(0, +) }.max() ?? 1)
        var svg = svgOpen(height: rows.count * 24 + 8)
        for (index, (label, values)) in rows.enumerated() {
            let y = index * 24 + 4
            let kept = Int((values[0] / top * 480).rounded())
            let dropped = Int((values[1] / top * 480).rounded())
            svg += #"<text x="0" y="\#(y + 15)" font-size="12">\#(escape(String(label.prefix(40))))</text>"#
            svg += #"<rect x="300" y="\#(y)" width="\#(kept)" height="18" fill="\#(keptColor)"/>"#
            svg += #"<rect x="\#(300 + kept)" y="\#(y)" width="\#(dropped)" height="18" fill="\#(droppedColor)"/>"#
            svg +=
                #"<text x="\#(306 + kept + dropped)" y="\#(y + 14)" font-size="12">"#
                + "\(format(values[0])) kept, \(format(values[1])) dropped</text>"
        }
        let legend =
            #"<p class="legend"><span style="background:\#(keptColor)"></span>kept"#
            + #"<span style="background:\#(droppedColor)"></span>dropped</p>"#
        return legend + svg + "</svg>"
    }

    static func clusterTable(_ members: [(id: String, copies: [JSONValue])]) -> String {
        guard !members.isEmpty else { return #"<p class="none">no duplicates yet</p>"# }
        var html = "<table><tr><th>Kept record</th><th>Copies</th><th>Where the copies came from</th></tr>\n"
        for (id, copies) in members {
            let origins = copies.prefix(20).map { copy -> String in
                let object = copy.objectValue ?? JSONObject()
                let from =
                    object["url"]?.stringValue
                    ?? ((object["file"]?.stringValue ?? "?") + (object["line"]?.intValue.map { " line \($0)" } ?? ""))
                return escape("\(object["kind"]?.stringValue ?? "?"): \(from)")
            }
            html +=
                "<tr><td><code>\(escape(id))</code></td><td>\(copies.count)</td><td>"
                + origins.joined(separator: "<br>") + "</td></tr>\n"
        }
        return html + "</table>"
    }

    static func svgOpen(height: Int) -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" width="900" height="\#(height)" role="img">"#
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
