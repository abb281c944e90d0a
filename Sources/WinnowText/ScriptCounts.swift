/// Letters counted per `Script` over a piece of text (digits, marks and punctuation are not counted).
public struct ScriptCounts: Sendable, Equatable {
    private var counts = SIMD16<Int32>()

    public init() {}

    /// The letters of `bytes[start..<end]` (valid UTF-8), by script.
    public static func letters(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> ScriptCounts {
        var result = ScriptCounts()
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte < 0x80 {
                if (byte | 0x20) &- 0x61 < 26 { result.counts[Int(Script.latin.rawValue)] += 1 }
                index += 1
                continue
            }
            let (value, length) = UTF8Scalar.decode(bytes, at: index)
            if case .letter(let script) = ScalarClass.of(value) { result.counts[Int(script.rawValue)] += 1 }
            index += length
        }
        return result
    }

    /// The letters in `script`.
    public subscript(script: Script) -> Int { Int(counts[Int(script.rawValue)]) }

    /// All letters.
    public var sum: Int { Int(counts.wrappedSum()) }

    /// The script with the most letters (`nil` without letters); `other` never wins over a named script.
    public var dominant: Script? {
        var best: Script?
        var bestCount: Int32 = 0
        for script in Script.allCases where script != .other && counts[Int(script.rawValue)] > bestCount {
            best = script
            bestCount = counts[Int(script.rawValue)]
        }
        if best == nil, counts[Int(Script.other.rawValue)] > 0 { return .other }
        return best
    }

    /// Adds another count to this one.
    public mutating func add(_ other: ScriptCounts) { counts &+= other.counts }
}
