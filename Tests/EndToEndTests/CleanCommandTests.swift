import Foundation
import Testing

extension EndToEnd {
    /// `winnowctl clean`: the daemon's stages, offline.
    @Suite("winnowctl clean")
    struct CleanCommand {
        private static let page = """
            Home › Local › Harbour
            Wednesday, March 5, 2025
            Lowbridge council approves a new harbour budget
            The city council of Lowbridge approved a new harbour budget on Tuesday, ending months of debate over \
            the cost of repairing the old sea wall.
            Big news from the harbour today pic.twitter.com/AbCdEf123
            — Harbour Watch (@harbourwatch) March 4, 2025
            Councillors voted nine to four in favour of the plan, which raises the <b>harbour fee</b> for large \
            vessels, the mayor said.
            Work on the sea wall is expected to begin in the spring and to last about eighteen months.
            Leave a Reply
            Your email address will not be published.

            """

        @Test("--explain prints the cleaned text, then every removed line with its rule")
        func explain() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let path = try sandbox.stage("harbour.txt", Self.page)
            let result = try Command.run(Binaries.winnowctl, ["clean", "--explain", path], scratch: sandbox.root)
            #expect(result.status == 0, "\(result)")
            #expect(
                result.stdout == """
                    Lowbridge council approves a new harbour budget
                    The city council of Lowbridge approved a new harbour budget on Tuesday, ending months of debate \
                    over the cost of repairing the old sea wall.
                    Councillors voted nine to four in favour of the plan, which raises the harbour fee for large \
                    vessels, the mayor said.
                    Work on the sea wall is expected to begin in the spring and to last about eighteen months.
                    --- removed lines: 6 ---
                    [breadcrumb] Home › Local › Harbour
                    [date_line] Wednesday, March 5, 2025
                    [social_embed] Big news from the harbour today pic.twitter.com/AbCdEf123
                    [social_embed] — Harbour Watch (@harbourwatch) March 4, 2025
                    [comment_form] Leave a Reply
                    [comment_form] Your email address will not be published.

                    """)
        }

        @Test("Plain output is the text the daemon writes; a dropped document prints nothing and says why")
        func matchesTheDaemon() throws {
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let path = try sandbox.stage("harbour.txt", Self.page)
            let empty = try sandbox.stage("empty.txt", "   \n\n")
            let daemon = try sandbox.start()
            // The same configuration file as the daemon, hence the same stages.
            let config = ["--config", sandbox.root + "/winnow-1.toml"]
            let cleaned = try Command.run(Binaries.winnowctl, ["clean"] + config + [path], scratch: sandbox.root)
            let dropped = try Command.run(Binaries.winnowctl, ["clean", empty], scratch: sandbox.root)
            #expect(dropped.status == 0 && dropped.stdout.isEmpty && dropped.stderr.contains("dropped: empty"))
            let missing = try Command.run(
                Binaries.winnowctl, ["clean", sandbox.root + "/nope.txt"], scratch: sandbox.root)
            #expect(missing.status == 1 && missing.stderr.contains("cannot clean"))

            try sandbox.drop("harbour.txt", Self.page)
            try sandbox.waitUntilArchived(["harbour.txt"], daemon: daemon)
            let record = try #require(try sandbox.readOutput().records.first)
            #expect(record.text + "\n" == cleaned.stdout)
        }
    }
}
