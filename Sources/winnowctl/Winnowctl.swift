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
        subcommands: [Status.self, Pause.self, Resume.self])
}

/// Options every command shares.
struct ClientOptions: ParsableArguments {
    @Option(name: .long, help: "The daemon's control socket.")
    var socket: String?

    @Flag(name: .long, help: "Print the daemon's JSON answer instead of text.")
    var json = false

    /// Sends a request, mapping "no daemon" to exit status 69 (EX_UNAVAILABLE).
    func send(_ method: String, _ path: String) throws -> JSONValue {
        let client = ControlClient(candidates: ControlClient.candidates(explicit: socket, environment: ProcessInfo.processInfo.environment))
        do {
            let (status, body) = try client.send(method: method, path: path)
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

    func printJSON(_ value: JSONValue) {
        var bytes: [UInt8] = []
        JSONWriter.write(value, into: &bytes)
        print(String(decoding: bytes, as: UTF8.self))
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

extension Winnowctl {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what the daemon is doing.")
        @OptionGroup var options: ClientOptions

        func run() throws {
            let body = try options.send("GET", "/v1/status")
            if options.json { return options.printJSON(body) }
            print(StatusText.render(body))
        }
    }

    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop taking new files (the file in hand is finished).")
        @OptionGroup var options: ClientOptions

        func run() throws {
            let body = try options.send("POST", "/v1/pause")
            if options.json { return options.printJSON(body) }
            print("winnowd paused: files stay in the inbox until `winnowctl resume`")
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take files again after a pause.")
        @OptionGroup var options: ClientOptions

        func run() throws {
            let body = try options.send("POST", "/v1/resume")
            if options.json { return options.printJSON(body) }
            print("winnowd running")
        }
    }
}
