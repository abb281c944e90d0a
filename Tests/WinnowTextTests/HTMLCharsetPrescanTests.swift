import Testing
import WinnowText

@Suite struct HTMLCharsetPrescanTests {
    @Test(
        arguments: [
            (#"<meta charset="iso-8859-2">"#, "iso-8859-2"),
            (#"<!DOCTYPE html><html><head><META CHARSET=Shift_JIS>"#, "shift_jis"),
            (#"<meta charset='koi8-r'/>"#, "koi8-r"),
            (#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">"#, "windows-1251"),
            (#"<meta content='text/html;charset="euc-jp"' http-equiv=content-type>"#, "euc-jp"),
            // utf-16 in a meta means utf-8: the page was readable as ASCII.
            (#"<meta charset="utf-16">"#, "utf-8"),
            (#"<meta charset="latin1">"#, "windows-1252"),
            // The first meta that declares a charset wins.
            (#"<meta name="x"><meta charset="gbk"><meta charset="big5">"#, "gbk"),
            // A meta inside an attribute value of another tag is not a meta.
            (#"<div title="<meta charset=koi8-r>"><meta charset="iso-8859-7">"#, "iso-8859-7"),
        ] as [(String, String)])
    func finds(html: String, charset: String) {
        let found = Array(html.utf8).withUnsafeBufferPointer { HTMLCharsetPrescan.charset($0) }
        #expect(found?.name == charset)
    }

    @Test(
        arguments: [
            // A content charset without http-equiv is not a declaration.
            #"<meta content="text/html; charset=koi8-r">"#,
            // Commented out.
            #"<!-- <meta charset="koi8-r"> --><p>text"#,
            // Not a meta element.
            #"<metadata charset="koi8-r">"#,
            #"<meta charset="no-such-charset">"#,
            "plain text, no markup at all",
            // Cut off inside the tag.
            #"<meta charset="koi8-r"#,
        ])
    func findsNothing(html: String) {
        #expect(Array(html.utf8).withUnsafeBufferPointer { HTMLCharsetPrescan.charset($0) } == nil)
    }

    @Test func onlyTheWindowIsScanned() {
        let html = "<p>" + String(repeating: "x", count: HTMLCharsetPrescan.windowBytes) + #"<meta charset="koi8-r">"#
        #expect(Array(html.utf8).withUnsafeBufferPointer { HTMLCharsetPrescan.charset($0) } == nil)
    }
}
