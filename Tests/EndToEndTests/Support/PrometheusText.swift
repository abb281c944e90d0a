/// A small parser of the Prometheus text exposition format (version 0.0.4), strict enough to fail
/// a test on output a scraper would refuse: `# HELP` and `# TYPE` lines, and samples
/// `name{label="value",…} number`.
struct PrometheusText {
    struct Sample: CustomStringConvertible {
        var name: String
        var labels: [String: String]
        var value: Double

        var description: String {
            "\(name){\(labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ","))} \(value)"
        }
    }

    /// Each family's type and help, by family name.
    var types: [String: String] = [:]
    var help: [String: String] = [:]
    var samples: [Sample] = []

    init(parsing text: String) throws {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let fields = line.split(separator: " ", maxSplits: 3)
                guard fields.count >= 3 else { continue }
                switch fields[1] {
                case "TYPE":
                    guard fields.count == 4,
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(fields[3])
                    else { throw HarnessError("line \(number + 1): bad TYPE line: \(line)") }
                    guard types[String(fields[2])] == nil else {
                        throw HarnessError("line \(number + 1): a second TYPE line for \(fields[2])")
                    }
                    types[String(fields[2])] = String(fields[3])
                case "HELP":
                    help[String(fields[2])] = fields.count == 4 ? String(fields[3]) : ""
                default: continue
                }
                continue
            }
            samples.append(try Self.sample(line, number: number + 1))
        }
    }

    private static func sample(_ line: Substring, number: Int) throws -> Sample {
        let characters = Array(line)
        var index = 0
        var name = ""
        while index < characters.count,
            characters[index].isLetter || characters[index].isNumber
                || characters[index] == "_" || characters[index] == ":"
        {
            name.append(characters[index])
            index += 1
        }
        guard !name.isEmpty else { throw HarnessError("line \(number): no metric name: \(line)") }
        var labels: [String: String] = [:]
        if index < characters.count, characters[index] == "{" {
            index += 1
            while index < characters.count, characters[index] != "}" {
                var label = ""
                while index < characters.count, characters[index] != "=" {
                    label.append(characters[index])
                    index += 1
                }
                guard index + 1 < characters.count, characters[index + 1] == "\"" else {
                    throw HarnessError("line \(number): label \(label) has no quoted value: \(line)")
                }
                index += 2
                var value = ""
                while index < characters.count, characters[index] != "\"" {
                    if characters[index] == "\\", index + 1 < characters.count {
                        index += 1
                        value.append(characters[index] == "n" ? "\n" : characters[index])
                    } else {
                        value.append(characters[index])
                    }
                    index += 1
                }
                guard index < characters.count else { throw HarnessError("line \(number): unterminated value") }
                guard labels[label] == nil else { throw HarnessError("line \(number): label \(label) twice") }
                labels[label] = value
                index += 1
                if index < characters.count, characters[index] == "," { index += 1 }
            }
            guard index < characters.count else { throw HarnessError("line \(number): unterminated labels") }
            index += 1
        }
        guard index < characters.count, characters[index] == " " else {
            throw HarnessError("line \(number): no space before the value: \(line)")
        }
        let rest = String(characters[(index + 1)...]).split(separator: " ")
        guard let first = rest.first, let value = Double(first) ?? Self.special(first) else {
            throw HarnessError("line \(number): the value is not a number: \(line)")
        }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func special(_ text: Substring) -> Double? {
        ["+Inf": .infinity, "-Inf": -.infinity, "NaN": .nan][String(text)]
    }

    /// The family a sample belongs to: its name less a histogram's `_bucket`, `_sum` or `_count`.
    func family(of sample: Sample) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where sample.name.hasSuffix(suffix) {
            let base = String(sample.name.dropLast(suffix.count))
            if types[base] == "histogram" { return base }
        }
        return sample.name
    }

    /// The value of the one sample named `name` with exactly `labels` (`nil` if there is none).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// The samples named `name`.
    func samples(_ name: String) -> [Sample] { samples.filter { $0.name == name } }
}
