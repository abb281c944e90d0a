import ArgumentParser
import Logging
import WinnowDaemon

/// `winnowd`: watches the inbox and turns dropped files into clean, deduplicated JSONL records.
@main
struct Winnowd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "winnowd",
        abstract: "Turn files dropped into an inbox into clean, deduplicated JSONL records.",
        discussion: """
            With no flags and no configuration file, winnowd watches ./Inbox, writes ./Output and keeps \
            its state in ./.winnow. Flags override the configuration file.
            """,
        version: WinnowVersion.current)

    @Option(name: .long, help: "The TOML configuration file (every key is documented in Deploy/winnow.toml).")
    var config: String?

    @Option(name: .long, help: "The directory to watch (paths.inbox).")
    var inbox: String?

    @Option(name: .long, help: "Where records/ and rejected/ are written (paths.output).")
    var output: String?

    @Option(
        name: .long, help: "The state directory: ledger, claimed/, archive/, failed/, control socket (paths.state).")
    var state: String?

    @Option(name: .long, help: "The control socket (control.socket; default <state>/control.sock).")
    var socket: String?

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical (log.level).")
    var logLevel: String?

    @Flag(name: .long, help: "Process everything in the inbox, then exit (batch mode).")
    var once = false

    @Option(
        name: .long,
        help: """
            With --once: seconds between progress lines when stderr is not a terminal (on a terminal, \
            a progress bar with rate and ETA is redrawn instead).
            """)
    var progressInterval = 10.0

    func validate() throws {
        guard progressInterval >= 0.1 else { throw ValidationError("--progress-interval must be at least 0.1") }
    }

    mutating func run() async throws {
        var configuration = Configuration()
        let (inbox, output, state, socket, logLevel) = (inbox, output, state, socket, logLevel)
        // The flags win over the file, also over the file as reloaded later.
        let overrides: @Sendable (inout Configuration) -> Void = { configuration in
            if let inbox { configuration.inbox = inbox }
            if let output { configuration.output = output }
            if let state { configuration.state = state }
            if let socket { configuration.socket = socket }
            if let logLevel { configuration.logLevel = logLevel }
        }
        do {
            if let config { configuration = try ConfigurationLoader.load(path: config) }
            if let logLevel, Logger.Level(rawValue: logLevel) == nil {
                throw ConfigurationError(
                    "--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            overrides(&configuration)
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
        let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
        LoggingSystem.bootstrap { label in WinnowLogHandler(label: label, level: level) }
        let logger = Logger(label: "winnowd")
        do {
            var daemon = Daemon(
                configuration: configuration, once: once, logger: logger, configurationFile: config,
                overrides: overrides)
            daemon.progressInterval = .milliseconds(Int(progressInterval * 1000))
            try await daemon.run()
        } catch {
            logger.critical("winnowd cannot continue", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
    }
}
