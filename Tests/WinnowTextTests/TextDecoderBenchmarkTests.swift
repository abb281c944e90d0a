import Foundation
import Testing
import WinnowText

/// Decoding throughput by kind of input, printed as `BENCH` lines (docs/performance.md). Run in
/// release with `WINNOW_BENCH=1`; skipped otherwise.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["WINNOW_BENCH"] != nil, "set WINNOW_BENCH=1"))
struct TextDecoderBenchmarkTests {
    static let size = 10 << 20

    func measure(_ label: String, _ bytes: [UInt8], declared: String? = nil) throws {
        let clock = ContinuousClock()
        var best = Duration.seconds(1000)
        var charset = ""
        for _ in 0..<5 {
            let start = clock.now
            charset = try TextDecoder.decode(bytes, declaredCharset: declared).charset.name
            best = min(best, clock.now - start)
        }
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        let rate = String(format: "%.0f", Double(bytes.count) / seconds / 1e6)
        print("BENCH decode \(label): \(bytes.count) bytes, \(rate) MB/s (best of 5), read as \(charset)")
    }

    static func repeated(_ sentence: String) -> String {
        String(repeating: sentence, count: size / sentence.utf8.count)
    }

    @Test func throughput() throws {
        let english = Self.repeated("The quick brown fox jumps over the lazy dog, again and again; nothing changes. ")
        let french = Self.repeated("Un café crème, s’il vous plaît — à la terrasse, près de la fenêtre. ")
        let russian = Self.repeated("Съешь же ещё этих мягких французских булок, да выпей же чаю. ")
        try measure("ASCII", Array(english.utf8))
        try measure("UTF-8", Array(french.utf8))
        try measure("windows-1252, declared", encoded(french, as: "CP1252"), declared: "windows-1252")
        try measure("windows-1252, detected", encoded(french, as: "CP1252"))
        try measure("KOI8-R, detected", encoded(russian, as: "KOI8-R"))
    }
}
