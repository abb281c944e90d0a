import WinnowIO

/// The folders and files under the state directory, and the output streams' folders.
struct StateLayout: Sendable {
    let inbox: String
    let state: String
    let output: String
    /// Where claimed/, archive/ and failed/ live (the state directory unless `paths.work` says).
    let work: String

    var claimed: String { work + "/claimed" }
    var archive: String { work + "/archive" }
    var failed: String { work + "/failed" }
    var database: String { state + "/winnow.sqlite" }
    var lock: String { state + "/winnowd.lock" }
    var records: String { output + "/records" }
    var rejected: String { output + "/rejected" }

    init(configuration: Configuration) {
        inbox = configuration.inbox
        state = configuration.state
        output = configuration.output
        work = configuration.work ?? configuration.state
    }

    /// Creates every folder the daemon writes to.
    func create() throws {
        for directory in [inbox, state, work, claimed, archive, failed, records, rejected] {
            try FileSystem.makeDirectory(directory)
        }
    }
}
