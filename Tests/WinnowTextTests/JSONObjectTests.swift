import Testing
import WinnowCore

/// `JSONObject` against a plain model (an array of pairs searched in order), through random sets,
/// replacements and removals that take objects across the size from which keys are indexed and back.
@Suite struct JSONObjectTests {
    @Test(arguments: [4, 40])
    func behavesAsAnOrderedListOfPairs(keyPool: Int) {
        var random = SplitMix64(seed: UInt64(keyPool))
        var object = JSONObject()
        var model: [(key: String, value: JSONValue)] = []
        for step in 0..<20_000 {
            let key = "k\(random.next() % UInt64(keyPool))"
            let roll = random.next() % 10
            if roll < 7 {
                let value = JSONValue.int(step)
                object[key] = value
                if let index = model.firstIndex(where: { $0.key == key }) {
                    model[index].value = value
                } else {
                    model.append((key, value))
                }
            } else {
                object[key] = nil
                model.removeAll { $0.key == key }
            }
            let probe = "k\(random.next() % UInt64(keyPool + 2))"
            #expect(object[probe] == model.first { $0.key == probe }?.value, "step \(step)")
            if step % 97 == 0 || object.count != model.count {
                #expect(object.keys == model.map(\.key), "step \(step)")
                #expect(object.pairs.map(\.value) == model.map(\.value), "step \(step)")
            }
        }
    }

    @Test func equalityFollowsKeysInOrderAndValues() {
        let forward: JSONObject = ["a": 1, "b": 2]
        var backward: JSONObject = ["b": 2, "a": 1]
        #expect(forward != backward)
        backward["b"] = nil
        backward["b"] = 2
        #expect(forward == backward)
        backward["b"] = 3
        #expect(forward != backward)
        var written: [UInt8] = []
        JSONWriter.write(forward, into: &written)
        #expect(String(decoding: written, as: UTF8.self) == #"{"a":1,"b":2}"#)
    }
}
