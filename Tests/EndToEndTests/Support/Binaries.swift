import Foundation

/// Where the `winnowd` and `winnowctl` executables under test are.
///
/// `WINNOW_BIN_DIR` wins when set. Otherwise the executables are looked for beside the running test
/// executable (SwiftPM puts both in `.build/<configuration>/`), then in `.build/debug` of the
/// package this file belongs to.
enum Binaries {
    static let directory: String = locate()

    /// The repository root (Tests/EndToEndTests/Support/Binaries.swift is three levels down).
    static let packageRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static var winnowd: String { directory + "/winnowd" }
    static var winnowctl: String { directory + "/winnowctl" }

    private static func locate() -> String {
        var candidates: [String] = []
        if let override = ProcessInfo.processInfo.environment["WINNOW_BIN_DIR"], !override.isEmpty {
            return override
        }
        if let first = CommandLine.arguments.first {
            let url = URL(
                fileURLWithPath: first, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            candidates.append(url.resolvingSymlinksInPath().deletingLastPathComponent().path)
        }
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.resolvingSymlinksInPath().deletingLastPathComponent().path)
        }
        candidates.append(Bundle.main.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent().path)
        candidates.append(packageRoot + "/.build/debug")
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate + "/winnowd") {
            return candidate
        }
        // Reported by the first test that launches a binary, with the places looked at.
        return candidates.first ?? "."
    }

    /// Fails with a useful message when the executables are missing.
    static func check() throws {
        for path in [winnowd, winnowctl] where !FileManager.default.isExecutableFile(atPath: path) {
            throw HarnessError("\(path) is missing: run `swift build --build-tests` first, or set WINNOW_BIN_DIR")
        }
    }
}

/// A failure of the test harness itself, or a wait that ran out of time.
struct HarnessError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
