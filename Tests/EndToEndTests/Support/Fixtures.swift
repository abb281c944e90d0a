import Foundation
import Testing

/// All end-to-end suites hang under this one so that `.serialized` covers them all: each test
/// launches real daemons, and on a small machine parallel runs would make timing-based checks flaky.
/// Each test has two minutes, or `WINNOW_TEST_MINUTES` for the long runs the scale variables ask for.
@Suite(.serialized, .timeLimit(.minutes(endToEndMinutes)))
enum EndToEnd {}

let endToEndMinutes = Int(ProcessInfo.processInfo.environment["WINNOW_TEST_MINUTES"] ?? "") ?? 2

/// Text for generating documents that stay distinct under exact dedup, which maps every
/// digit to `0`: numbers are spelled out in words.
enum Words {
    private static let digits = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

    /// `427` -> `"four two seven"`.
    static func spell(_ number: Int) -> String {
        String(number).map { digits[Int(String($0))!] }.joined(separator: " ")
    }
}

/// A JSON string literal for `text` (with quotes), for writing JSONL by hand.
func jsonString(_ text: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
    // `["..."]` -> `"..."`
    return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
}

/// Whether `id` has the documented shape: 32 lowercase hex digits, `-`, the document index.
func isRecordID(_ id: String, index: Int) -> Bool {
    let parts = id.split(separator: "-")
    guard parts.count == 2, parts[0].count == 32, parts[0].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
        return false
    }
    return parts[1] == Substring(String(index))
}
