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
            The daemon's socket is found from --socket, then WINNOW_SOCKET, then ./.winnow/control.sock, \
            then /run/winnow/control.sock. Exit status: 0 done, 1 the daemon refused, 69 no daemon listening.
            """,
        subcommands: [
            Status.self, Pause.self, Resume.self, Reload.self, Enqueue.self, Failed.self, Retry.self, Clean.self,
            Dupes.self,
            Metrics.self,
        ])

    @Option(name: .long, help: "The daemon's control socket (before or after the command).")
    var socket: String?
}

/// How a command prints its answer.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the daemon's JSON answer instead of text.")
    var json = false
}

/// A command that sends one request to the daemon.
protocol ClientCommand: ParsableCommand {
    var root: Winnowctl { get }
    var output: OutputOptions { get }
}

extension ClientCommand {
    /// Sends a request, mapping "no daemon" to exit status 69 (EX_UNAVAILABLE) and a refusal to 1.
    func send(_ method: String, _ path: String, body: [UInt8] = []) throws -> JSONValue {
        let candidates = ControlClient.candidates(
            explicit: root.socket, environment: ProcessInfo.processInfo.environment)
        do {
            let (status, body) = try ControlClient(candidates: candidates).send(method: method, path: path, body: body)
            guard status == 200 else {
                let message = body.objectValue?["error"]?.stringValue ?? "status \(status)"
                printError("winnowctl: the daemon refused: \(message)")
                throw ExitCode.failure
            }
            return body
        } catch let error as ControlClientError {
            printError("winnowctl: \(error)")
            throw ExitCode(69)
        }
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
