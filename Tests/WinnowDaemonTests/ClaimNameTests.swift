import Testing

@testable import WinnowDaemon

@Suite struct ClaimNameTests {
    @Test(
        "an inbox name survives its claim name: top-level names as they are, folder names escaped",
        arguments: [
            "note.txt", "a-b=c%d.txt", "feed/story.txt", "odd=feed/50%off.txt", "f/%2F.txt", "f/%25%.txt", "é/ü.txt",
        ])
    func roundTrip(name: String) {
        let claimName = ClaimedFile.claimName(prefix: "00000000000000ab000001", name: name)
        #expect(!claimName.contains("/"), "\(claimName)")
        #expect(ClaimedFile.name(claimName: claimName) == name, "\(claimName)")
    }

    @Test("the two forms of claim name")
    func forms() {
        #expect(ClaimedFile.claimName(prefix: "p", name: "a.txt") == "p-a.txt")
        #expect(ClaimedFile.claimName(prefix: "p", name: "f/a%.txt") == "p=f%2Fa%25.txt")
    }
}
