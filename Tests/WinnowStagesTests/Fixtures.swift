/// Texts written for the stage tests: articles that every default stage keeps, and made-up words to
/// build documents that break one rule at a time.
enum Fixtures {
    /// A short news article in English.
    static let englishNews = """
        City council approves new budget for libraries

        By Maria Lopez

        The city council voted on Tuesday to increase funding for public libraries by twelve percent, \
        ending a debate that had lasted for most of the spring.

        The new budget adds evening hours at four branches and pays for two mobile libraries that will visit \
        schools in the northern districts. Council member David Chen said the plan was a modest step, but one \
        that residents had asked for at every public meeting.

        Not everyone was convinced. Two members voted against the measure, arguing that the money should have \
        gone to road repairs, which they called the most urgent need in the city.

        The mayor is expected to sign the budget next week. Library officials said the extended hours could \
        begin as early as September.
        """

    /// A story with a numbered list in it.
    static let numberedList = """
        Five things to know before the marathon

        Organizers released their final advice for runners on Friday, two days before the city marathon \
        closes most of the downtown streets.

        1. Collect your race number at the convention center by Saturday evening.
        2. Shuttle buses leave the central station every ten minutes from five in the morning.
        3. Water stations are placed every three kilometers along the course.
        4. Bags can be left at the start area and picked up near the finish line.
        5. Roads reopen in stages from two in the afternoon.

        The race director said more than twelve thousand runners had registered, a record for the event, and \
        asked spectators to use public transport.
        """

    /// A short news article in German.
    static let germanNews = """
        Stadtrat beschließt neuen Haushalt für Bibliotheken

        Der Stadtrat hat am Dienstag beschlossen, die Mittel für die öffentlichen Bibliotheken um zwölf Prozent \
        zu erhöhen. Damit endet eine Debatte, die fast den ganzen Frühling gedauert hat.

        Mit dem neuen Haushalt werden die Öffnungszeiten in vier Zweigstellen verlängert. Außerdem werden zwei \
        Bücherbusse finanziert, die Schulen in den nördlichen Stadtteilen besuchen sollen.

        Zwei Mitglieder stimmten dagegen. Sie hätten das Geld lieber für die Reparatur von Straßen ausgegeben, \
        die sie für dringender halten.
        """

    /// A short news article in Russian.
    static let russianNews = """
        Городской совет утвердил новый бюджет для библиотек

        Во вторник городской совет проголосовал за увеличение финансирования публичных библиотек на двенадцать \
        процентов. Так завершились споры, которые продолжались почти всю весну.

        Новый бюджет продлевает часы работы четырёх филиалов и оплачивает два передвижных читальных зала, \
        которые будут приезжать в школы северных районов.

        Два депутата голосовали против. По их мнению, деньги следовало направить на ремонт дорог, который они \
        считают самой срочной задачей города.
        """

    /// A short news article in Chinese.
    static let chineseNews = """
        市议会通过图书馆新预算

        市议会星期二投票决定，将公共图书馆的经费提高百分之十二，结束了持续整个春天的争论。新预算将延长四个分馆的开放时间，\
        并资助两辆流动图书车，定期前往北部地区的学校。

        两名议员投了反对票，他们认为这笔钱应该用于修路，因为道路维修是城市最紧迫的需要。市长预计将在下周签署预算，\
        图书馆官员表示，延长的开放时间最早可能在九月开始。
        """

    /// A made-up word of three syllables, different for every `index` below 1000.
    static func word(_ index: Int) -> String {
        let syllables = ["ba", "ko", "mi", "tu", "re", "sa", "lo", "ne", "vi", "du"]
        return [index / 100 % 10, index / 10 % 10, index % 10].map { syllables[$0] }.joined()
    }

    /// Made-up words numbered from `start`.
    static func words(_ start: Int, _ count: Int) -> [String] { (start..<start + count).map(word) }

    /// `count` lines of `perLine` made-up words each, all different, ending with `end`.
    static func lines(from start: Int = 0, count: Int, perLine: Int, end: String = ".") -> [String] {
        (0..<count).map { words(start + $0 * perLine, perLine).joined(separator: " ") + end }
    }

    /// A line with enough stop words for Gopher's rule.
    static let stopWordLine = "This is the end of the story."

    /// Lines of made-up words in which `blocks` different runs of `size` words each occur twice.
    static func repeatedBlocks(size: Int, filler: Int, blocks: Int = 4) -> String {
        var next = 0
        func take(_ count: Int) -> String {
            defer { next += count }
            return words(next, count).joined(separator: " ")
        }
        let runs = (0..<blocks).map { _ in take(size) }
        var lines: [String] = []
        for run in runs + runs {
            lines.append("\(take(filler / 2)) \(run) \(take(filler - filler / 2)).")
        }
        return lines.joined(separator: "\n")
    }

    /// Lines of made-up words each holding the same phrase once.
    static func repeatedPhrase(_ phrase: String, lines count: Int, wordsPerLine: Int) -> String {
        lines(count: count, perLine: wordsPerLine, end: "").map { "\($0) \(phrase)." }.joined(separator: "\n")
    }
}
