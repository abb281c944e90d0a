/// The rules of one robots.txt (RFC 9309) for one crawler: the group naming its product token, else
/// the `*` group. A path is allowed unless the longest matching `Disallow` is longer than the longest
/// matching `Allow` (ties go to `Allow`); `*` matches any run of characters and a final `$` anchors
/// the end. `/robots.txt` itself is always allowed.
public struct RobotsRules: Sendable, Equatable {
    struct Rule: Sendable, Equatable {
        var allow: Bool
        var pattern: [UInt8]
    }

    let rules: [Rule]

    /// Everything allowed: what a missing robots.txt (a 4xx answer) means.
    public static let allowAll = RobotsRules(rules: [])
    /// Nothing allowed.
    public static let disallowAll = RobotsRules(rules: [Rule(allow: false, pattern: Array("/".utf8))])

    init(rules: [Rule]) { self.rules = rules }

    /// Parses `text` for the crawler whose product token is `agent` (case-insensitive, e.g. `winnow`).
    public init(parsing text: String, agent: String) {
        let agent = agent.lowercased()
        var groups: [(agents: [String], rules: [Rule])] = []
        var readingAgents = false
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.prefix { $0 != "#" }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].trimmingCharacters(in: " \t").lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            switch field {
            case "user-agent":
                if !readingAgents { groups.append(([], [])) }
                groups[groups.count - 1].agents.append(value.lowercased())
                readingAgents = true
            case "allow", "disallow":
                readingAgents = false
                guard !groups.isEmpty else { continue }
                // An empty Disallow allows everything: it adds no rule.
                guard !value.isEmpty else { continue }
                groups[groups.count - 1].rules.append(Rule(allow: field == "allow", pattern: Array(value.utf8)))
            default:
                readingAgents = false
            }
        }
        // Every group naming the agent applies (RFC 9309 merges them); else every `*` group.
        let own = groups.filter { $0.agents.contains { !$0.isEmpty && agent.hasPrefix($0) && $0 != "*" } }
        let chosen = own.isEmpty ? groups.filter { $0.agents.contains("*") } : own
        rules = chosen.flatMap(\.rules)
    }

    /// Whether the path-and-query `target` (starting with `/`) may be fetched.
    public func allows(_ target: String) -> Bool {
        let path = Array(target.utf8)
        if path.elementsEqual("/robots.txt".utf8) { return true }
        var allowLength = -1
        var disallowLength = -1
        for rule in rules where Self.matches(rule.pattern, path) {
            if rule.allow {
                allowLength = max(allowLength, rule.pattern.count)
            } else {
                disallowLength = max(disallowLength, rule.pattern.count)
            }
        }
        return disallowLength <= allowLength
    }

    /// Whether `pattern` matches a prefix of `path` (`*` any run, a final `$` the end).
    static func matches(_ pattern: [UInt8], _ path: [UInt8]) -> Bool {
        var anchored = false
        var pattern = pattern[...]
        if pattern.last == UInt8(ascii: "$") {
            anchored = true
            pattern = pattern.dropLast()
        }
        // Backtracking over `*`, iterative: p and s walk pattern and path; on a mismatch return to
        // just after the last `*` and let it swallow one more byte.
        var p = pattern.startIndex
        var s = 0
        var star: (p: Int, s: Int)?
        while true {
            if p == pattern.endIndex {
                if !anchored || s == path.count { return true }
            } else if pattern[p] == UInt8(ascii: "*") {
                star = (p, s)
                p += 1
                continue
            } else if s < path.count && pattern[p] == path[s] {
                p += 1
                s += 1
                continue
            }
            guard let last = star, last.s < path.count else { return false }
            star = (last.p, last.s + 1)
            p = last.p + 1
            s = last.s + 1
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        guard let first = firstIndex(where: { !characters.contains($0) }),
            let last = lastIndex(where: { !characters.contains($0) })
        else { return "" }
        return String(self[first...last])
    }
}
