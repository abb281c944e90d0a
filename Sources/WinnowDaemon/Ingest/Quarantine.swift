import WinnowCore
import WinnowIO

/// Sets inputs aside in `failed/`, each with `NAME.error.json` saying why in words a person can act on.
enum Quarantine {
    /// Moves `path` into `directory` (under `name`, or a free variant of it) and writes the error file
    /// beside it. Returns the new path.
    static func setAside(
        _ path: String, name: String, reason: String, into directory: String,
        details: JSONObject = JSONObject()
    ) throws -> String {
        let target = try FileSystem.moveAside(path, into: directory, name: name)
        var error = JSONObject()
        error["file"] = .string(name)
        error["reason"] = .string(reason)
        error["failed_at"] = .string(Timestamp.now())
        for (key, value) in details.pairs { error[key] = value }
        var bytes: [UInt8] = []
        JSONWriter.write(error, into: &bytes)
        bytes.append(0x0A)
        do {
            try FileSystem.writeFileAtomically(target + ".error.json", bytes: bytes)
        } catch {
            undo(target, back: path)
            throw error
        }
        return target
    }

    /// Moves a file set aside back to where it was (its error file removed), when what should
    /// have followed the move failed: the file is then where a retry looks for it.
    static func undo(_ target: String, back path: String) {
        try? FileSystem.remove(target + ".error.json")
        _ = try? FileSystem.renameNoReplace(target, to: path)
    }
}
