import ArgumentParser
import Foundation
import WinnowCore
import WinnowDaemon

extension Winnowctl {
    /// `winnowctl metrics`: the daemon's Prometheus metrics, as a scraper would get them.
    struct Metrics: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the daemon's metrics in the Prometheus text format.",
            discussion: """
                Prints what GET /metrics on the control socket answers, as it is: counters, gauges and \
                histograms named winnow_*. docs/operations.md says what each one means. With --json, one \
                object per sample instead: its name, its family's type and help, its labels and its value \
                (a number, or the string "+Inf", "-Inf" or "NaN"). Exit status: 0 done, 1 the daemon \
                refused, 3 no daemon listening.
                """)
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions

        func run() throws {
            let response = try request("GET", "/metrics")
            guard output.json else {
                FileHandle.standardOutput.write(Data(response.body))
                return
            }
            let samples = PrometheusExposition(parsing: String(decoding: response.body, as: UTF8.self)).samples
            report(.object(["samples": .array(samples.map(\.json))])) { _ in "" }
        }
    }
}

/// The samples of a Prometheus text exposition (format 0.0.4), with each family's `# TYPE` and
/// `# HELP`. Lenient: a line it cannot read is skipped, since the text comes from the daemon itself.
struct PrometheusExposition {
    struct Sample {
        var name: String
        var type: String
        var help: String
        var labels: [(String, String)]
        var value: Double

        var json: JSONValue {
            var labelObject = JSONObject()
            for (label, value) in labels { labelObject[label] = .string(value) }
            let number: JSONValue =
                value.isNaN ? .string("NaN") : value.isInfinite ? .string(value > 0 ? "+Inf" : "-Inf") : .double(value)
            return .object([
                "name": .string(name), "type": .string(type), "help": .string(help), "labels": .object(labelObject),
                "value": number,
            ])
        }
    }

    private(set) var samples: [Sample] = []

    init(parsing text: String) {
        var types: [Substring: String] = [:]
        var help: [Substring: String] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("#") {
                let fields = line.split(separator: " ", maxSplits: 3)
                guard fields.count >= 3 else { continue }
                let rest = fields.count == 4 ? String(fields[3]) : ""
                if fields[1] == "TYPE" { types[fields[2]] = rest }
                if fields[1] == "HELP" { help[fields[2]] = Self.unescape(rest[...]) }
                continue
            }
            guard var sample = Self.sample(line) else { continue }
            let family = Self.family(of: sample.name, types: types)
            sample.type = types[family] ?? "untyped"
            sample.help = help[family] ?? ""
            samples.append(sample)
        }
    }

    /// The family a sample belongs to: its own name, or for a histogram's or summary's series
    /// (`_bucket`, `_sum`, `_count`) the name without the suffix.
    private static func family(of name: String, types: [Substring: String]) -> Substring {
        if types[name[...]] != nil { return name[...] }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = name.dropLast(suffix.count)
            if types[base] != nil { return base }
        }
        return name[...]
    }

    /// `name{label="value",…} value [timestamp]`.
    private static func sample(_ line: Substring) -> Sample? {
        var rest = line[...]
        let name = rest.prefix { $0 != "{" && $0 != " " }
        guard !name.isEmpty else { return nil }
        rest = rest.dropFirst(name.count)
        var labels: [(String, String)] = []
        if rest.first == "{" {
            rest = rest.dropFirst()
            while let first = rest.first, first != "}" {
                if first == "," || first == " " {
                    rest = rest.dropFirst()
                    continue
                }
                let label = rest.prefix { $0 != "=" }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { return nil }
                rest = rest.dropFirst(2)
                var end = rest.startIndex
                while end < rest.endIndex, rest[end] != "\"" {
                    // An escaped character (\" among them) is part of the value.
                    if rest[end] == "\\" { end = rest.index(after: end) }
                    if end < rest.endIndex { end = rest.index(after: end) }
                }
                guard end < rest.endIndex else { return nil }
                labels.append((String(label), unescape(rest[..<end])))
                rest = rest[rest.index(after: end)...]
            }
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        }
        guard let field = rest.split(separator: " ").first else { return nil }
        let value: Double
        switch field {
        case "+Inf", "Inf": value = .infinity
        case "-Inf": value = -.infinity
        case "NaN": value = .nan
        default:
            guard let number = Double(field) else { return nil }
            value = number
        }
        return Sample(name: String(name), type: "untyped", help: "", labels: labels, value: value)
    }

    /// Undoes the format's escapes: `\\`, `\n`, and in label values `\"`.
    private static func unescape(_ text: Substring) -> String {
        guard text.contains("\\") else { return String(text) }
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                result.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
