import WinnowText

/// What one line looks like on its own, before its neighbours are considered.
enum LineClass: Equatable {
    /// Page furniture, named by the rule that recognised it.
    case boilerplate(String)
    /// A sentence-like line of some length: article text.
    case content
    /// A short line: a title, a sub-heading, a list item, or furniture the context will tell.
    case short
}

/// Classifies single lines by the data rules and by statistics of their shape.
struct LineClassifier: Sendable {
    let configuration: BoilerplateLineFilter.Configuration
    private let rules: [(name: String, rule: CompiledLineRule)]
    /// The longest line any phrase rule applies to: longer lines skip them all.
    private let longestRuleLine: Int
    private let bioCues: CueIndex
    private let promoCues: CueIndex

    init(configuration: BoilerplateLineFilter.Configuration) {
        self.configuration = configuration
        var rules = DefaultLineRules.rules.sorted { $0.key < $1.key }.map { ($0.key, $0.value.compiled()) }
        rules += configuration.extraRules.map { ($0.name, $0.rule.compiled()) }
        self.rules = rules
        longestRuleLine = rules.map { $0.1.rule.maxWords }.max() ?? 0
        bioCues = CueIndex(DefaultLineRules.bioCues)
        promoCues = CueIndex(DefaultLineRules.promoCues)
    }

    func classify(_ line: Substring, _ profile: LineProfile) -> LineClass {
        let words = profile.words
        if isSocialEmbed(profile) { return .boilerplate("social_embed") }
        if !profile.links.isEmpty && words.count <= 3 { return .boilerplate("link_only") }
        if words.isEmpty { return .boilerplate("no_text") }
        if profile.hashtags >= 3 && profile.hashtags * 3 >= words.count { return .boilerplate("hashtags") }
        if isGalleryCounter(line, words) { return .boilerplate("caption") }
        if profile.endsWithDuration && words.count <= 30 { return .boilerplate("video_title") }
        if !profile.endsSentence && isDateLine(words) { return .boilerplate("date_line") }
        if isBreadcrumb(line, words) { return .boilerplate("breadcrumb") }
        if words.count <= longestRuleLine {
            for (name, rule) in rules where rule.matches(profile) { return .boilerplate(name) }
        }
        if bioCues.count(in: words) >= configuration.bioMinCues { return .boilerplate("author_bio") }
        if isPromotion(line, words) { return .boilerplate("promotion") }
        if (words.count >= configuration.contentMinWords && profile.endsSentence) || words.count >= 25 {
            return .content
        }
        return .short
    }

    private func isSocialEmbed(_ profile: LineProfile) -> Bool {
        for link in profile.links {
            var host = link.lowercased()
            for scheme in ["https://", "http://"] where host.hasPrefix(scheme) { host.removeFirst(scheme.count) }
            if host.hasPrefix("www.") { host.removeFirst(4) }
            let name = host.split(separator: "/").first.map(String.init) ?? host
            if DefaultLineRules.socialHosts.contains(name) { return true }
        }
        // "— Name (@handle) May 16, 2024": the attribution line under an embedded post.
        return profile.handles > 0 && profile.words.count <= 20 && !profile.endsSentence
            && profile.words.contains { DefaultLineRules.dateWords.contains($0) || $0.count == 4 && Int($0) != nil }
    }

    /// "Item 3 of 7 …" and "[3/7] …", the counters of photo galleries.
    private func isGalleryCounter(_ line: Substring, _ words: [String]) -> Bool {
        if words.count >= 4 && words[0] == "item" && Int(words[1]) != nil && words[2] == "of" && Int(words[3]) != nil {
            return true
        }
        guard line.first == "[", let close = line.firstIndex(of: "]") else { return false }
        let inside = line[line.index(after: line.startIndex)..<close].split(separator: "/")
        return inside.count == 2 && inside.allSatisfy { Int($0) != nil }
    }

    /// A dateline: only date words and numbers, with a weekday, a time of day, "updated"/"published",
    /// or a month with a year; at most two other short words (an agency) and only after a time of day
    /// ("7:51 AM EDT / CBS/AP"). Table headers such as "Year 1986" or "Qtr ends Dec 31" are not.
    private func isDateLine(_ words: [String]) -> Bool {
        guard !words.isEmpty, words.count <= 16 else { return false }
        var marker = false
        var month = false
        var year = false
        var others = 0
        for word in words {
            if let number = Int(word) {
                if number >= 1900 && number <= 2100 { year = true }
            } else if DefaultLineRules.datelineMarkers.contains(word) {
                marker = true
            } else if DefaultLineRules.months.contains(word) {
                month = true
            } else if DefaultLineRules.dateWords.contains(word) {
                continue
            } else if word.count <= 4 {
                others += 1
            } else {
                return false
            }
        }
        let timed = words.contains { DefaultLineRules.timeMarkers.contains($0) }
        return (marker || (month && year)) && (others == 0 || (timed && others <= 2))
    }

    /// "Home › World › Europe", "Home / News", or "HomeWorld News…" with the separators lost.
    private func isBreadcrumb(_ line: Substring, _ words: [String]) -> Bool {
        guard line.hasPrefix("Home"), words.count <= 30 else { return false }
        let rest = line.dropFirst(4).unicodeScalars
        guard let next = rest.first else { return false }
        return next.properties.isUppercase || ["›", "»", ">", "/", "|", "-", "–", "→"].contains(Character(next))
            || (next == " "
                && rest.dropFirst().first.map { ["›", "»", ">", "/", "|"].contains(Character($0)) } == true)
    }

    /// A pitch to the reader: addressed to them (a verb opening the line, or "you"/"we" outside
    /// quotations) and with marketing words, or dense with marketing words alone.
    private func isPromotion(_ line: Substring, _ words: [String]) -> Bool {
        let cues = promoCues.count(in: words)
        guard cues > 0 else { return false }
        let unquoted = LineProfile(Self.removingQuotations(line)).words
        let addressed =
            (words.first.map { DefaultLineRules.imperativeStarts.contains($0) } ?? false)
            || unquoted.contains { DefaultLineRules.readerPronouns.contains($0) }
        return cues >= (addressed ? configuration.promoMinCues : configuration.promoMinCues + 2)
    }

    /// The line without the spans inside quotation marks (“…”, «…», "…").
    static func removingQuotations(_ line: Substring) -> Substring {
        var result = ""
        var depth = 0
        var straightOpen = false
        for scalar in line.unicodeScalars {
            switch scalar {
            case "\u{201C}", "\u{00AB}": depth += 1
            case "\u{201D}", "\u{00BB}": depth = max(0, depth - 1)
            case "\"": straightOpen.toggle()
            default: if depth == 0 && !straightOpen { result.unicodeScalars.append(scalar) }
            }
        }
        return Substring(result)
    }
}
