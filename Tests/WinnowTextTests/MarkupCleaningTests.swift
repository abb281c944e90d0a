import Testing
import WinnowText

@Suite struct MarkupCleaningTests {
    @Test(arguments: [
        ("plain text stays", "plain text stays"),
        ("It was <u>underlined</u> and <b class=\"x\">bold</b>.", "It was underlined and bold."),
        ("one<br>two</p>three", "one\ntwo\nthree"),
        ("<Acme Corp> and <I> are wire-copy names", "<Acme Corp> and <I> are wire-copy names"),
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
        ("Fish &amp; chips &#8211; &#x2014; &eacute;t&eacute; &nosuch; & more", "Fish & chips – — été &nosuch; & more"),
        ("a **bold** and __strong__ claim", "a bold and strong claim"),
        ("2 ** 3 is eight", "2 ** 3 is eight"),
        ("JUST IN: \\square \\square news", "JUST IN:   news"),
        ("path C:\\dir stays", "path C:\\dir stays"),
        ("it\u{00E2}\u{20AC}\u{2122}s caf\u{00C3}\u{00A9}", "it’s café"),
        ("\u{00E2}\u{20AC}\u{0153}quoted\u{00E2}\u{20AC}\u{009D}", "“quoted”"),
        ("real Ã and ©", "real Ã and ©"),
        ("left\u{200E}to\u{202B}right\u{202C}", "lefttoright"),
    ])
    func cleans(input: String, expected: String) {
        #expect(MarkupCleaning.clean(input) == expected)
    }
}
