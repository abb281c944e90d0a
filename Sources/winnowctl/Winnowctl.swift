import ArgumentParser
import Foundation
import WinnowCore
import WinnowDaemon

/// `winnowctl`: checks and steers a running winnowd through its control socket.
@main
struct Winnowctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "winnowctl",
        abstract: "Check and steer a running winnowd.",
        discussion: """
            winnowd turns files dropped into an inbox (and URLs it is given) into clean, deduplicated JSONL \
            records. winnowctl asks it how it is doing and tells it what to do: start with `winnowctl status`, \
            or `winnowctl watch` to follow it live; `winnowctl help <command>` explains each command.

            The daemon's socket is found from --socket, then WINNOW_SOCKET, then ./.winnow/control.sock, \
            then /run/winnow/control.sock. Every command prints text for people, or JSON with --json.

            Exit status: 0 done; 1 the command failed or the daemon refused it; 2 the command line is \
            wrong; 3 no daemon is listening on the socket.
            """,
        version: WinnowVersion.current,
        subcommands: [
            Status.self, Pause.self, Resume.self, Submit.self, Enqueue.self, Failed.self, Retry.self, Reload.self,
            Watch.self, Stats.self, Report.self, Metrics.self, Show.self, Dupes.self, Clean.self, ConfigCommand.self,
            Version.self,
        ])

    @Option(name: .long, help: "The daemon's control socket (before or after the command).")
    var socket: String?

    /// Runs the command, with the exit statuses above: ArgumentParser's own for a bad command
    /// line (64) becomes 2, as in most Unix tools.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                Foundation.exit(Exit.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}

/// What winnowctl's exit statuses mean (also in its help).
enum Exit {
    static let failure = ExitCode(1)
    static let usage = ExitCode(2)
    static let noDaemon = ExitCode(3)
}

/// How a command prints its answer.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON object (the schemas are in docs/schemas) instead of text.")
    var json = false
}

/// A command that sends one request to the daemon.
protocol ClientCommand: ParsableCommand {
    var root: Winnowctl { get }
    var output: OutputOptions { get }
}

extension ClientCommand {
    /// Sends a request and returns the answer as it came, mapping "no daemon" to exit status 3
    /// and a refusal to 1.
    func request(_ method: String, _ path: String, body: [UInt8] = []) throws -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try client.request(method: method, path: path, body: body)
        } catch let error as ControlClientError {
            printError("winnowctl: \(error)")
            throw Exit.noDaemon
        }
        guard response.status == 200 else {
            printError("winnowctl: the daemon refused: \(response.errorMessage)")
            throw Exit.failure
        }
        return response
    }

    /// Sends a request and returns its JSON answer, with the exit statuses of `request` (an answer
    /// that is not JSON counts as no daemon: something else is listening).
    func send(_ method: String, _ path: String, body: [UInt8] = []) throws -> JSONValue {
        let response = try request(method, path, body: body)
        do {
            return try response.json()
        } catch {
            printError("winnowctl: \(error)")
            throw Exit.noDaemon
        }
    }

    /// The client for the socket the options and the environment point at.
    var client: ControlClient {
        ControlClient(
            candidates: ControlClient.candidates(
                explicit: root.socket, environment: ProcessInfo.processInfo.environment))
    }

    /// Prints `body` as JSON with `--json`, else the text `render` makes of it.
    func report(_ body: JSONValue, _ render: (JSONValue) -> String) {
        if output.json {
            var bytes: [UInt8] = []
            JSONWriter.write(body, into: &bytes)
            print(String(decoding: bytes, as: UTF8.self))
        } else {
            print(render(body))
        }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

extension Winnowctl {
    struct Status: ClientCommand {
        static let configuration = CommandConfiguration(abstract: "Show what the daemon is doing.")
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions

        func run() throws {
            report(try send("GET", "/v1/status"), StatusText.render)
        }
    }

    struct Pause: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop taking new files (the file in hand is finished).")
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions

        func run() throws {
            report(try send("POST", "/v1/pause")) { _ in
                "winnowd paused: files stay in the inbox until `winnowctl resume`"
            }
        }
    }

    struct Resume: ClientCommand {
        static let configuration = CommandConfiguration(abstract: "Take files again after a pause.")
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions

        func run() throws {
            report(try send("POST", "/v1/resume")) { _ in "winnowd running" }
        }
    }
}
