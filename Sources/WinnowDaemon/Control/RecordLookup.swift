import WinnowCore
import WinnowIO
import WinnowStore
import WinnowText

#if canImport(Glibc)
    import Glibc
#endif

/// `GET /v1/show?id=ID`: a stored record, found without scanning the output: its id begins with
/// its input's content hash, the ledger has the shard ranges each commit of that input wrote, and
/// only those ranges are read. A kept record comes with its rejected copies and where they came from.
struct RecordLookup: Sendable {
    let database: WinnowDatabase
    let output: String
    /// Copies looked up in full (file, URL) at most; the rest are listed by id.
    static let detailedCopies = 20

    func answer(id: String) throws(ControlRequestError) -> JSONObject {
        guard let found = try find(id) else {
            throw ControlRequestError("no record has the id \(id)", status: 404)
        }
        var answer: JSONObject = [
            "stream": .string(found.stream), "shard": .string(found.shard), "offset": .int(found.offset),
            "record": found.record,
        ]
        let copies: [(id: String, near: Bool)]
        do {
            copies = try database.copies(of: id)
        } catch {
            throw ControlRequestError("cannot read the ledger: \(error)", status: 500)
        }
        var described: [JSONValue] = []
        for (index, copy) in copies.enumerated() {
            var object: JSONObject = ["id": .string(copy.id), "kind": .string(copy.near ? "near" : "exact")]
            if index < Self.detailedCopies, let record = try find(copy.id)?.record.objectValue,
                let metadata = record["metadata"]?.objectValue
            {
                for key in ["file", "line", "url", "similarity"] { object[key] = metadata[key] ?? .null }
            }
            described.append(.object(object))
        }
        answer["copies"] = .array(described)
        return answer
    }

    /// The record with `id`, where it is.
    private func find(_ id: String) throws(ControlRequestError) -> (
        record: JSONValue, stream: String, shard: String, offset: Int
    )? {
        guard let dash = id.lastIndex(of: "-"), dash > id.startIndex else { return nil }
        let extents: [RecordExtent]
        do {
            extents = try database.extents(ofContentHash: String(id[..<dash]))
        } catch {
            throw ControlRequestError("cannot read the ledger: \(error)", status: 500)
        }
        let prefix = Array(#"{"id":"\#(id)""#.utf8)
        for extent in extents {
            let stream = extent.shard.hasPrefix("rejected-") ? "rejected" : "records"
            let path = output + "/" + stream + "/" + extent.shard
            let bytes: [UInt8]
            do {
                bytes = try Self.read(path, from: extent.start, to: extent.end)
            } catch {
                throw ControlRequestError(
                    "cannot read \(path): \(error) (a sealed shard compressed by output.compress is not read here)",
                    status: 500)
            }
            var start = 0
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
                if end - start > prefix.count, bytes[start..<(start + prefix.count)].elementsEqual(prefix),
                    let record = try? JSONParser.parse(Array(bytes[start..<end])).value
                {
                    return (record, stream, extent.shard, extent.start + start)
                }
                start = end + 1
            }
        }
        return nil
    }

    /// Bytes `start..<end` of the file at `path`.
    private static func read(_ path: String, from start: Int, to end: Int) throws(SystemError) -> [UInt8] {
        let fd = try syscall("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: end - start)
        var done = 0
        while done < bytes.count {
            let count = try syscall("pread", path: path) {
                bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(start + done)) }
            }
            if count == 0 { break }
            done += count
        }
        return Array(bytes[0..<done])
    }
}
