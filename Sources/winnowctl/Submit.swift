import ArgumentParser
import Foundation
import WinnowCore
import WinnowDaemon
import WinnowIO

#if canImport(Glibc)
    import Glibc
#endif

extension Winnowctl {
    /// `winnowctl submit FILE…`: hand files to the daemon the safe way.
    struct Submit: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy files into the daemon's inbox so that it never sees one half-written.",
            discussion: """
                Each file is copied into the inbox under a hidden temporary name (.NAME.<random>.part, which \
                the daemon ignores), synced to disk, and only then renamed to its own name in one step. The \
                inbox is the running daemon's (from its status), or the directory --inbox names, which works \
                with no daemon running. With --folder the files go into that folder of the inbox (made if \
                needed, with the inbox's own permissions): the daemon takes files from the inbox's folders as from its top, and `winnowctl stats` \
                counts their documents under the folder's name. A file whose name is already waiting there \
                is not replaced. Exit status 1 when any file could not be submitted; the others still are.
                """)
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions
        @Option(help: "The inbox to copy into (default: the running daemon's).") var inbox: String?
        @Option(help: "A folder of the inbox to copy into, such as the name of the feed the files come from.")
        var folder: String?
        @Argument(help: "The files to submit; each keeps its name in the inbox.") var files: [String]

        func run() throws {
            let directory: String
            if let inbox {
                directory = inbox
            } else {
                let status = try send("GET", "/v1/status")
                guard let path = status.objectValue?["inbox"]?.stringValue else {
                    printError("winnowctl: the daemon's status names no inbox; give --inbox")
                    throw Exit.failure
                }
                directory = path
            }
            var target = directory
            if let folder {
                guard !folder.isEmpty, !folder.contains("/"), InboxName.accepts(folder) else {
                    printError(
                        "winnowctl: --folder takes one folder name, without /, not starting with a dot and not ending in .tmp or .part (the inbox ignores those)"
                    )
                    throw Exit.usage
                }
                target += "/" + folder
                do {
                    try FileSystem.makeFolder(folder, in: directory)
                } catch {
                    printError("winnowctl: cannot make the inbox folder \(target): \(error)")
                    throw Exit.failure
                }
            }
            var results: [JSONValue] = []
            for file in files {
                var result: JSONObject = ["file": .string(file)]
                do {
                    result["submitted_as"] = .string(try Self.copy(file, into: target))
                } catch {
                    result["error"] = .string("\(error)")
                }
                results.append(.object(result))
            }
            var summary: JSONObject = ["inbox": .string(directory), "results": .array(results)]
            if let folder { summary["folder"] = .string(folder) }
            report(.object(summary)) { _ in
                results.map { item in
                    let object = item.objectValue ?? JSONObject()
                    let file = object["file"]?.stringValue ?? "?"
                    if let error = object["error"]?.stringValue { return "failed     \(file): \(error)" }
                    return "submitted  \(file) as \(target)/\(object["submitted_as"]?.stringValue ?? "?")"
                }.joined(separator: "\n")
            }
            if results.contains(where: { $0.objectValue?["error"] != nil }) { throw Exit.failure }
        }

        /// Copies `path` into `directory` under a hidden name, syncs it, and renames it to its own
        /// name, never over an existing file. Returns the name.
        static func copy(_ path: String, into directory: String) throws -> String {
            let name = URL(fileURLWithPath: path).lastPathComponent
            guard InboxName.accepts(name) else {
                throw ConfigurationError(
                    "the inbox ignores names that start with a dot or end in .tmp or .part; rename the file first")
            }
            let source = try syscall("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
            defer { close(source) }
            let temporary = directory + "/.\(name).\(UInt32.random(in: 0...UInt32.max)).part"
            let target = try syscall("open", path: temporary) {
                open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            }
            var renamed = false
            defer {
                close(target)
                if !renamed { unlink(temporary) }
            }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = try syscall("read", path: path) {
                    buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
                }
                if count == 0 { break }
                try FileSystem.writeAll(target, Array(buffer[0..<count]), path: temporary)
            }
            try syscall("fsync", path: temporary) { fsync(target) }
            guard try FileSystem.renameNoReplace(temporary, to: directory + "/" + name) else {
                throw ConfigurationError(
                    "\(name) is already waiting in the inbox; submit it again once it is taken, or under another name")
            }
            renamed = true
            try FileSystem.syncDirectory(directory)
            return name
        }
    }

    /// `winnowctl version`: this tool's version and the running daemon's.
    struct Version: ClientCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print winnowctl's version and, when one is running, the daemon's.")
        @ParentCommand var root: Winnowctl
        @OptionGroup var output: OutputOptions

        func run() throws {
            var daemon: JSONValue = .null
            if case (200, let status)? = try? client.send(method: "GET", path: "/v1/status") {
                daemon = status.objectValue?["version"] ?? .null
            }
            report(.object(["winnowctl": .string(WinnowVersion.current), "winnowd": daemon])) { _ in
                "winnowctl \(WinnowVersion.current)\nwinnowd    \(daemon.stringValue ?? "not running (no daemon on the socket)")"
            }
        }
    }

    /// `winnowctl config check [FILE]`.
    struct ConfigCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config", abstract: "Work with configuration files.", subcommands: [Check.self])

        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check a configuration file as winnowd would load it, without a daemon.",
                discussion: """
                    Reads the file (default: $WINNOW_CONFIG, else /etc/winnow/winnow.toml), checks every key, \
                    value and stage setting, and builds the pipeline it names. Prints what it would run with, \
                    or each problem with its key. Exit status 0 when the file is good, 1 when it is not.
                    """)
            @OptionGroup var output: OutputOptions
            @Argument(help: "The TOML file to check.") var file: String?

            func run() throws {
                let path = file ?? ProcessInfo.processInfo.environment["WINNOW_CONFIG"] ?? "/etc/winnow/winnow.toml"
                let configuration: Configuration
                do {
                    configuration = try ConfigurationLoader.load(path: path)
                } catch {
                    if output.json {
                        print(Self.text(["file": .string(path), "ok": .bool(false), "error": .string("\(error)")]))
                    } else {
                        printError("winnowctl: \(error)")
                    }
                    throw Exit.failure
                }
                let summary: JSONObject = [
                    "file": .string(path), "ok": .bool(true), "inbox": .string(configuration.inbox),
                    "output": .string(configuration.output), "state": .string(configuration.state),
                    "socket": .string(configuration.socketPath),
                    "stages": .array(configuration.stages.map(JSONValue.string)),
                ]
                if output.json {
                    print(Self.text(summary))
                } else {
                    print(
                        """
                        \(path): ok
                        inbox:  \(configuration.inbox)
                        output: \(configuration.output)
                        state:  \(configuration.state)
                        socket: \(configuration.socketPath)
                        stages: \(configuration.stages.joined(separator: ", "))
                        """)
                }
            }

            static func text(_ object: JSONObject) -> String { String(decoding: object.jsonBytes, as: UTF8.self) }
        }
    }
}
