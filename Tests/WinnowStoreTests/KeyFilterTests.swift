import Foundation
import Testing
import WinnowCore
import WinnowText

@testable import WinnowStore

@Suite struct KeyFilterTests {
    @Test("every key added is a maybe; few keys never added are")
    func noFalseNegativesFewFalsePositives() {
        let filter = KeyFilter(maximumBytes: 64 << 20)
        var source = KeySource(state: 7)
        let added = (0..<50_000).map { _ in source.next() }
        filter.rebuild(expected: added.count) { add in added.forEach(add) }
        #expect(added.allSatisfy(filter.mayContain))
        let others = (0..<50_000).map { _ in source.next() }
        let falseMaybes = others.filter(filter.mayContain).count
        #expect(falseMaybes < 500, "\(falseMaybes) of 50,000 keys never added were maybes")
    }

    @Test("a filter past its size says so, and keeps every key")
    func growth() {
        let filter = KeyFilter(maximumBytes: 64 << 20)
        var source = KeySource(state: 11)
        let keys = (0..<200_000).map { _ in source.next() }
        filter.rebuild(expected: 0) { _ in }
        #expect(!filter.insert(keys), "200,000 keys fit a filter sized for none")
        #expect(keys.allSatisfy(filter.mayContain))
    }

    @Test("a filter at its memory budget stops growing, keeps every key and asks for no rebuild")
    func budget() {
        let filter = KeyFilter(maximumBytes: 64 << 10)  // 8,192 words: sized for 32,768 keys
        var source = KeySource(state: 13)
        let keys = (0..<65_536).map { _ in source.next() }
        filter.rebuild(expected: keys.count) { _ in }
        #expect(filter.bytes == 64 << 10)
        #expect(filter.insert(keys), "a filter at its budget asked to be rebuilt larger")
        #expect(filter.bytes == 64 << 10)
        #expect(keys.allSatisfy(filter.mayContain))
        // Twice the keys it was sized for: more false maybes (about one in 40), still a filter.
        let others = (0..<50_000).map { _ in source.next() }
        let falseMaybes = others.filter(filter.mayContain).count
        #expect(falseMaybes > 500 && falseMaybes < 2_500, "\(falseMaybes) of 50,000")
    }

    /// The index's filters grow with it (rebuilt from the tables) and are rebuilt on opening: a
    /// document committed first is still found after thousands more and after a restart.
    @Test("the index finds what it holds through its filters, after growing and after reopening")
    func indexLookupsThroughFilters() throws {
        let directory = try TemporaryDirectory("winnow-filter")
        defer { directory.remove() }
        let path = directory.path + "/winnow.sqlite"
        var source = KeySource(state: 3)
        let first = (key: Hash128(high: source.next(), low: source.next()), near: source.nearKey(), line: source.next())
        var database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version)
        for batch in 0..<8 {
            var nearKeys: [(key: NearKey, documentID: String)] = []
            var exactKeys: [(key: Hash128, match: ExactMatch)] = []
            var lineKeys: [[UInt64]] = []
            for index in 0..<1_000 {
                let id = "d\(batch)-\(index)"
                let isFirst = batch == 0 && index == 0
                nearKeys.append((isFirst ? first.near : source.nearKey(), id))
                exactKeys.append(
                    (isFirst ? first.key : Hash128(high: source.next(), low: source.next()), ExactMatch(documentID: id))
                )
                lineKeys.append([isFirst ? first.line : source.next()])
            }
            let input = InputRecord(name: "b\(batch)", claimName: "b\(batch)", contentHash: "h\(batch)", size: 1)
            try database.commit(CommitBatch(input: input, exactKeys: exactKeys, nearKeys: nearKeys, lineKeys: lineKeys))
        }
        for reopened in [false, true] {
            if reopened { database = try WinnowDatabase(path: path, exactKeyVersion: ExactKey.version) }
            #expect(try database.exactMatch(forKey: first.key)?.documentID == "d0-0", "reopened: \(reopened)")
            #expect(try database.nearCandidates(bands: [first.near.bands[3]]).map(\.documentID) == ["d0-0"])
            let contained = try database.containmentCandidates(
                fingerprints: first.near.fingerprints, minimumHits: 6, limit: 8)
            #expect(contained.map(\.documentID) == ["d0-0"])
            #expect(try database.documentCounts(lineKeys: [first.line]) == [first.line: 1])
            #expect(try database.exactMatch(forKey: Hash128(high: 1, low: 2)) == nil)
        }
    }
}
