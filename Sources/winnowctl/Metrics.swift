import ArgumentParser
import Foundation
import WinnowDaemon

extension Winnowctl {
    /// `winnowctl metrics`: the daemon's Prometheus metrics, as a scraper would get them.
    struct Metrics: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the daemon's metrics in the Prometheus text format.",
            discussion: """
                Prints what GET /metrics on the control socket answers, as it is: counters, gauges and \
                histograms named winnow_*. docs/operations.md says what each one means. Exit status: 0 \
                done, 1 the daemon refused, 3 no daemon listening.
                """)
        @ParentCommand var root: Winnowctl

        func run() throws {
            let client = ControlClient(
                candidates: ControlClient.candidates(
                    explicit: root.socket, environment: ProcessInfo.processInfo.environment))
            let response: HTTPResponse
            do {
                response = try client.request(method: "GET", path: "/metrics")
            } catch let error as ControlClientError {
                printError("winnowctl: \(error)")
                throw Exit.noDaemon
            }
            guard response.status == 200 else {
                printError("winnowctl: the daemon refused: \(response.errorMessage)")
                throw Exit.failure
            }
            FileHandle.standardOutput.write(Data(response.body))
        }
    }
}
