import Testing
import WinnowFetch

@Suite struct RobotsRulesTests {
    private let text = """
        # A site's rules
        User-agent: *
        Disallow: /private/
        Allow: /private/open
        Disallow: /*.pdf$
        Disallow: /search

        User-agent: badbot
        Disallow: /

        User-agent: winnow
        User-agent: otherbot
        Disallow: /no-winnow/
        """

    @Test func theStarGroupAppliesToOtherAgents() {
        let rules = RobotsRules(parsing: text, agent: "somebot")
        #expect(rules.allows("/"))
        #expect(!rules.allows("/private/page"))
        #expect(rules.allows("/private/open/page"))
        #expect(!rules.allows("/files/report.pdf"))
        #expect(rules.allows("/files/report.pdf?download=1"))
        #expect(!rules.allows("/search?q=x"))
        #expect(rules.allows("/robots.txt"))
    }

    @Test func theAgentsOwnGroupReplacesTheStarGroup() {
        let rules = RobotsRules(parsing: text, agent: "Winnow")
        #expect(rules.allows("/private/page"))
        #expect(!rules.allows("/no-winnow/x"))
    }

    @Test func emptyAndMissingRules() {
        #expect(RobotsRules(parsing: "User-agent: *\nDisallow:\n", agent: "winnow").allows("/anything"))
        #expect(RobotsRules.allowAll.allows("/x"))
        #expect(!RobotsRules.disallowAll.allows("/x"))
        #expect(RobotsRules.disallowAll.allows("/robots.txt"))
    }
}
