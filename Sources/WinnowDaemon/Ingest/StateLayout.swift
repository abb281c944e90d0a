import WinnowIO

/// The folders and files under the state directory, and the output streams' folders.
struct StateLayout: Sendable {
    let inbox: String
    let state: String
    let output: String

    var claimed: String { state + "/claimed" }
    var archive: String { state + "/archive" }
    var failed: String { state + "/failed" }
    var database: String { state + "/winnow.sqlite" }
    var lock: String { state + "/winnowd.lock" }
    var records: String { output + "/records" }
    var rejected: String { output + "/rejected" }

    init(configuration: Configuration) {
        inbox = configuration.inbox
        state = configuration.state
        output = configuration.output
    }

    /// Creates every folder the daemon writes to.
    func create() throws {
        for directory in [inbox, state, claimed, archive, failed, records, rejected] {
            try FileSystem.makeDirectory(directory)
        }
    }
}
