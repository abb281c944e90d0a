import WinnowCore
import WinnowIO
import WinnowStore

/// The failed files' side of `failed` and `retry`: inputs set aside in failed/, and putting them
/// back in the inbox, where the daemon takes them up again (resuming after what they committed).
struct FailedFilesControl: Sendable {
    let database: WinnowDatabase
    let inbox: String

    /// `[{"id", "file", "reason", "size", "failed_at", "path"}]`, newest first.
    func list(limit: Int) throws(ControlRequestError) -> [JSONValue] {
        do {
            return try database.failedInputs(limit: limit).map { input in
                .object([
                    "id": .int(Int(input.id)), "file": .string(input.name), "reason": .string(input.error),
                    "size": .int(input.size), "failed_at": .string(input.failedAt), "path": .string(input.path),
                ])
            }
        } catch {
            throw ControlRequestError("cannot read the ledger: \(error)", status: 500)
        }
    }

    /// Moves the failed files with these ids (all with `nil`) back into the inbox under their own
    /// names and removes their error files. Returns the ids put back and, for the others, why not.
    func putBack(ids: [Int64]?) throws(ControlRequestError) -> (done: [Int64], refused: [JSONValue]) {
        let inputs: [FailedInput]
        do {
            inputs = try database.failedInputs(ids: ids)
        } catch {
            throw ControlRequestError("cannot read the ledger: \(error)", status: 500)
        }
        var done: [Int64] = []
        var refused: [JSONValue] = []
        for id in ids ?? [] where !inputs.contains(where: { $0.id == id }) {
            refused.append(.object(["id": .int(Int(id)), "error": "no failed file has this id"]))
        }
        for input in inputs {
            do {
                guard try FileSystem.status(input.path) != nil else {
                    try database.markPutBack(input.id)
                    throw ControlRequestError("\(input.path) is no longer there")
                }
                // A file from an inbox folder goes back into that folder (made again if it is gone).
                if let folder = InboxName.folder(of: input.name) {
                    try FileSystem.makeFolder(String(folder), in: inbox)
                }
                guard try FileSystem.renameNoReplace(input.path, to: inbox + "/" + input.name) else {
                    throw ControlRequestError("\(input.name) is already waiting in the inbox")
                }
                try? FileSystem.remove(input.path + ".error.json")
                try database.markPutBack(input.id)
                done.append(input.id)
            } catch let error as ControlRequestError {
                refused.append(.object(["id": .int(Int(input.id)), "error": .string(error.message)]))
            } catch {
                refused.append(.object(["id": .int(Int(input.id)), "error": .string("\(error)")]))
            }
        }
        return (done, refused)
    }
}
