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
    private let rules: LineRuleSet
    /// The bio cues (numbered from 0) and the pitch cues (from 64), counted in one pass.
    private let cues: PhraseIndex
    private let months = WordTable(words: DefaultLineRules.months)
    private let timeMarkers = WordTable(words: DefaultLineRules.timeMarkers)
    private let datelineMarkers = WordTable(words: DefaultLineRules.datelineMarkers)
    private let dateWords = WordTable(words: DefaultLineRules.dateWords)
    private let imperativeStarts = WordTable(words: DefaultLineRules.imperativeStarts)
    private let readerPronouns = WordTable(words: DefaultLineRules.readerPronouns)
    private let item = LineWord.hash(of: "item")
    private let of = LineWord.hash(of: "of")

    init(configuration: BoilerplateLineFilter.Configuration) {
        self.configuration = configuration
        rules = LineRuleSet(
            DefaultLineRules.rules.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                + configuration.extraRules.map { ($0.name, $0.rule) })
        precondition(DefaultLineRules.bioCues.count <= 64 && DefaultLineRules.promoCues.count <= 64)
        cues = PhraseIndex(
            numbered: DefaultLineRules.bioCues.enumerated().map { ($0.offset, $0.element) }
                + DefaultLineRules.promoCues.enumerated().map { (64 + $0.offset, $0.element) })
    }

    /// The class of the logical line made of `lines` (joined with spaces), whose profile is `profile`.
    func classify(_ lines: ArraySlice<Substring>, _ profile: LineProfile) -> LineClass {
        let words = profile.words
        if isSocialEmbed(profile) { return .boilerplate("social_embed") }
        if !profile.links.isEmpty && words.count <= 3 { return .boilerplate("link_only") }
        if words.isEmpty { return .boilerplate("no_text") }
        if profile.hashtags >= 3 && profile.hashtags * 3 >= words.count { return .boilerplate("hashtags") }
        if isGalleryCounter(lines, words) { return .boilerplate("caption") }
        if profile.endsWithDuration && words.count <= 30 { return .boilerplate("video_title") }
        if !profile.endsSentence && isDateLine(words) { return .boilerplate("date_line") }
        if isBreadcrumb(lines, words) { return .boilerplate("breadcrumb") }
        if let rule = rules.firstMatch(profile) { return .boilerplate(rule) }
        let seen = cues.seen(in: words)
        if seen.low.nonzeroBitCount >= configuration.bioMinCues { return .boilerplate("author_bio") }
        if isPromotion(lines, words, cues: seen.high.nonzeroBitCount) { return .boilerplate("promotion") }
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
            && profile.words.contains { dateWords.contains($0.hash) || $0.characters == 4 && $0.number != nil }
    }

    /// "Item 3 of 7 …" and "[3/7] …", the counters of photo galleries.
    private func isGalleryCounter(_ lines: ArraySlice<Substring>, _ words: [LineWord]) -> Bool {
        if words.count >= 4 && words[0].hash == item && words[1].number != nil && words[2].hash == of
            && words[3].number != nil
        {
            return true
        }
        guard lines.first?.utf8.first == UInt8(ascii: "[") else { return false }
        let line = Self.text(of: lines)
        guard line.first == "[", let close = line.firstIndex(of: "]") else { return false }
        let inside = line[line.index(after: line.startIndex)..<close].split(separator: "/")
        return inside.count == 2 && inside.allSatisfy { Int($0) != nil }
    }

    /// A dateline: only date words and numbers, with a weekday, a time of day, "updated"/"published",
    /// or a month with a year; at most two other short words (an agency) and only after a time of day
    /// ("7:51 AM EDT / CBS/AP"). Table headers such as "Year 1986" or "Qtr ends Dec 31" are not.
    private func isDateLine(_ words: [LineWord]) -> Bool {
        guard !words.isEmpty, words.count <= 16 else { return false }
        var marker = false
        var month = false
        var year = false
        var others = 0
        for word in words {
            if let number = word.number {
                if number >= 1900 && number <= 2100 { year = true }
            } else if datelineMarkers.contains(word.hash) {
                marker = true
            } else if months.contains(word.hash) {
                month = true
            } else if dateWords.contains(word.hash) {
                continue
            } else if word.characters <= 4 {
                others += 1
            } else {
                return false
            }
        }
        let timed = words.contains { timeMarkers.contains($0.hash) }
        return (marker || (month && year)) && (others == 0 || (timed && others <= 2))
    }

    /// "Home › World › Europe", "Home / News", or "HomeWorld News…" with the separators lost.
    private func isBreadcrumb(_ lines: ArraySlice<Substring>, _ words: [LineWord]) -> Bool {
        // The bytes of the first line first: most lines are not, and `hasPrefix` compares characters.
        guard lines.first?.utf8.starts(with: "Home".utf8) == true else { return false }
        let line = Self.text(of: lines)
        guard line.hasPrefix("Home"), words.count <= 30 else { return false }
        let rest = line.dropFirst(4).unicodeScalars
        guard let next = rest.first else { return false }
        return next.properties.isUppercase || ["›", "»", ">", "/", "|", "-", "–", "→"].contains(Character(next))
            || (next == " "
                && rest.dropFirst().first.map { ["›", "»", ">", "/", "|"].contains(Character($0)) } == true)
    }

    /// A pitch to the reader, for a line holding `cues` distinct marketing cues: addressed to them (a
    /// verb opening the line, or "you"/"we" outside quotations) and with marketing words, or dense
    /// with marketing words alone.
    private func isPromotion(_ lines: ArraySlice<Substring>, _ words: [LineWord], cues: Int) -> Bool {
        guard cues > 0 else { return false }
        // Whether the pitch is addressed matters only between the two thresholds.
        if cues < configuration.promoMinCues { return false }
        if cues >= configuration.promoMinCues + 2 { return true }
        let addressed =
            (words.first.map { imperativeStarts.contains($0.hash) } ?? false)
            || LineProfile(Self.removingQuotations(Self.text(of: lines))).words.contains {
                readerPronouns.contains($0.hash)
            }
        return cues >= (addressed ? configuration.promoMinCues : configuration.promoMinCues + 2)
    }

    /// The text of a logical line: its lines joined with spaces, built only for the rules that read it.
    private static func text(of lines: ArraySlice<Substring>) -> Substring {
        lines.count == 1 ? lines[lines.startIndex] : Substring(lines.joined(separator: " "))
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
