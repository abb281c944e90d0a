import Foundation
import Testing
import WinnowStages

@testable import WinnowDaemon

@Suite struct ConfigurationLoaderTests {
    private static let deployFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Deploy/winnow.toml").path

    @Test func shippedFileHoldsTheDefaults() throws {
        // The loader keeps only settings that differ from a stage's defaults: none here.
        #expect(try ConfigurationLoader.load(path: Self.deployFile) == Configuration())
    }

    @Test func shippedFileDocumentsEveryKey() throws {
        let text = try String(contentsOfFile: Self.deployFile, encoding: .utf8)
        for key in ConfigurationLoader.knownKeys {
            let parts = key.split(separator: ".")
            #expect(text.contains("[\(parts[0])]"), "section of \(key) missing from Deploy/winnow.toml")
            #expect(text.contains("\(parts[1]) = "), "\(key) missing from Deploy/winnow.toml")
        }
        for stage in StageCatalog.knownNames {
            let keys = try StageCatalog.settingKeys(of: stage)
            guard !keys.isEmpty else { continue }
            guard let start = text.range(of: "[stages.\(stage)]") else {
                Issue.record("[stages.\(stage)] missing from Deploy/winnow.toml")
                continue
            }
            let section = String(text[start.upperBound...]).components(separatedBy: "\n[").first ?? ""
            for key in keys {
                #expect(section.contains("\n\(key) = "), "stages.\(stage).\(key) missing from Deploy/winnow.toml")
            }
        }
    }

    @Test func restatedDefaultsChangeNothing() throws {
        let configuration = try ConfigurationLoader.parse(
            """
            [stages.gopher_quality]
            min_words = 50
            max_mean_word_length = 10
            min_stop_words = 3
            """)
        #expect(configuration.stageSettings == ["gopher_quality": ["min_stop_words": 3]])
    }

    @Test func readsValues() throws {
        let configuration = try ConfigurationLoader.parse(
            """
            [paths]
            inbox = "/srv/in"
            [inbox]
            settle_ms = 50
            after = "delete"
            [batch]
            documents = 10
            [pipeline]
            stages = ["whitespace", "empty"]
            """)
        #expect(configuration.inbox == "/srv/in")
        #expect(configuration.settleMilliseconds == 50)
        #expect(configuration.afterProcessing == .delete)
        #expect(configuration.batchDocuments == 10)
        #expect(configuration.stages == ["whitespace", "empty"])
        #expect(configuration.output == Configuration().output)
    }

    @Test(arguments: [
        ("[inbox]\nsetle_ms = 5", "inbox.setle_ms"),
        ("[nope]\nx = 1", "nope.x"),
        ("top = 1", "top"),
        ("[inbox]\nsettle_ms = \"fast\"", "inbox.settle_ms"),
        ("[inbox]\nsettle_ms = -1", "inbox.settle_ms"),
        ("[inbox]\nafter = \"shred\"", "inbox.after"),
        ("[batch]\ndocuments = 0", "batch.documents"),
        ("[pipeline]\nstages = [\"whitespace\", \"magic\"]", "magic"),
        ("[log]\nlevel = \"loud\"", "log.level"),
        ("[paths]\ninbox = \"\"", "paths.inbox"),
        ("[paths\ninbox = 1", "line 1"),
        ("[metrics]\nlisten = \"localhost:9464\"", "metrics.listen"),
        ("[metrics]\nlisten = \"127.0.0.1\"", "metrics.listen"),
        ("[metrics]\nlisten = \"127.0.0.1:0\"", "metrics.listen"),
        ("[metrics]\nlisten = \"127.0.0.1:65536\"", "metrics.listen"),
        ("[metrics]\nlisten = \"300.0.0.1:9464\"", "metrics.listen"),
        ("[metrics]\nlisten = \"::1:9464\"", "metrics.listen"),
        ("[metrics]\nlisten = \"[::1]9464\"", "metrics.listen"),
        ("[metrics]\nlisten = 9464", "metrics.listen"),
    ])
    func refusesNamingTheKey(text: String, named: String) {
        do {
            _ = try ConfigurationLoader.parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect("\(error)".contains(named), "message does not name \(named): \(error)")
        }
    }
}

@Suite struct MetricsListenTests {
    @Test(arguments: [
        ("127.0.0.1:9464", "127.0.0.1", 9464, false),
        ("0.0.0.0:1", "0.0.0.0", 1, false),
        ("[::1]:9464", "::1", 9464, true),
        ("[::]:65535", "::", 65535, true),
    ])
    func readsAnAddress(text: String, host: String, port: Int, ipv6: Bool) throws {
        let configuration = try ConfigurationLoader.parse("[metrics]\nlisten = \"\(text)\"")
        #expect(configuration.metricsListen == ListenAddress(text))
        #expect(configuration.metricsListen?.host == host)
        #expect(configuration.metricsListen?.port == port)
        #expect(configuration.metricsListen?.isIPv6 == ipv6)
        #expect(configuration.metricsListen?.description == text)
    }

    @Test func offByDefault() {
        #expect(Configuration().metricsListen == nil)
    }

    @Test func refusalSaysWhatIsAccepted() {
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.parse("[metrics]\nlisten = \"db:9464\"") }
        do {
            _ = try ConfigurationLoader.parse("[metrics]\nlisten = \"db:9464\"")
        } catch {
            #expect("\(error)".contains("127.0.0.1:9464"), "\(error)")
        }
    }
}

@Suite struct StageSettingsTests {
    @Test func settingsForAStageWithoutSettingsAreRefused() {
        do {
            _ = try ConfigurationLoader.parse("[stages.whitespace]\nfoo = 1")
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("stages.whitespace.foo"))
        }
    }

    @Test func settingsForAnUnknownStageAreRefused() {
        do {
            _ = try ConfigurationLoader.parse("[stages.no_such_stage]\nfoo = 1")
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("no_such_stage"))
        }
    }
}
