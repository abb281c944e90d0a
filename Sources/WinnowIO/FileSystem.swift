import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// The kind of a directory entry, from `lstat` (links are never followed).
public enum EntryKind: Sendable, Equatable {
    case regular, directory, symlink, fifo, socket, device, other

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR, S_IFBLK: self = .device
        default: self = .other
        }
    }
}

/// What `lstat` says of an entry, reduced to what the inbox needs to see whether a file changed.
public struct EntryStatus: Sendable, Equatable {
    public var kind: EntryKind
    public var size: Int
    public var modifiedNanoseconds: Int64
    public var inode: UInt64
    public var device: UInt64
}

/// Small file-system helpers over `syscall`.
public enum FileSystem {
    /// `lstat` of `path`, or `nil` if it does not exist.
    public static func status(_ path: String) throws(SystemError) -> EntryStatus? {
        var info = stat()
        if lstat(path, &info) == -1 {
            if Glibc.errno == ENOENT { return nil }
            throw SystemError(call: "lstat", path: path, errno: Glibc.errno)
        }
        return EntryStatus(
            kind: EntryKind(mode: info.st_mode), size: Int(info.st_size),
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            inode: UInt64(info.st_ino), device: UInt64(info.st_dev))
    }

    /// Creates `path` and its parents as needed (mode 0755 unless given).
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
        var partial = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            partial += "/" + component
            if mkdir(partial, mode) == -1 && Glibc.errno != EEXIST {
                throw SystemError(call: "mkdir", path: partial, errno: Glibc.errno)
            }
        }
    }

    /// Makes the folder `name` in `directory` (if it is not there) with the permissions of
    /// `directory` itself, whatever the umask: a folder of a shared inbox (group-writable and
    /// setgid) is writable by the same people as the inbox, the daemon included. The new entry is
    /// synced into `directory`.
    public static func makeFolder(_ name: String, in directory: String) throws(SystemError) {
        let path = directory + "/" + name
        var parent = stat()
        guard stat(directory, &parent) == 0 else {
            throw SystemError(call: "stat", path: directory, errno: Glibc.errno)
        }
        if mkdir(path, 0o700) == -1 {
            if Glibc.errno == EEXIST, try status(path)?.kind == .directory { return }
            throw SystemError(call: "mkdir", path: path, errno: Glibc.errno)
        }
        try syscall("chmod", path: path) { chmod(path, parent.st_mode & 0o7777) }
        try syncDirectory(directory)
    }

    /// The names in a directory (without `.` and `..`); a name that is not valid UTF-8 is
    /// decoded with replacement characters (see `listMakingNamesUTF8`).
    public static func list(_ path: String) throws(SystemError) -> [String] {
        try rawNames(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Lists `path` like `list`, after renaming each entry whose name is not valid UTF-8 to one
    /// that is, with every byte of an invalid sequence written `%XX` (`report…\xff.txt` becomes
    /// `report…%FF.txt`), so the file can be named in records, logs and JSON. An entry whose new
    /// name is taken is left alone. `renamed` hears of each rename (old name shown lossily, new name).
    public static func listMakingNamesUTF8(_ path: String, renamed: (String, String) -> Void) throws(SystemError)
        -> [String]
    {
        var names: [String] = []
        let prefix = Array(path.utf8) + [UInt8(ascii: "/")]
        for bytes in try rawNames(path) {
            if let name = String(validating: bytes, as: UTF8.self) {
                names.append(name)
                continue
            }
            let escaped = escapingInvalidUTF8(bytes)
            let target = path + "/" + escaped
            if case .some(.some) = try? status(target) { continue }  // the escaped name is taken
            let moved = (prefix + bytes + [0]).withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { Glibc.rename($0.baseAddress!, target) == 0 }
            }
            if moved {
                renamed(String(decoding: bytes, as: UTF8.self), escaped)
                names.append(escaped)
            }
        }
        return names
    }

    /// The entries of a directory as the bytes the kernel gives (without `.` and `..`).
    private static func rawNames(_ path: String) throws(SystemError) -> [[UInt8]] {
        guard let directory = opendir(path) else { throw SystemError(call: "opendir", path: path, errno: Glibc.errno) }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if bytes != [UInt8(ascii: ".")] && bytes != [UInt8(ascii: "."), UInt8(ascii: ".")] { names.append(bytes) }
        }
        return names
    }

    /// `bytes` as a string, each byte of an invalid UTF-8 sequence written `%XX`.
    static func escapingInvalidUTF8(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var position = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let sequence):
                output.append(contentsOf: sequence)
                position += sequence.count
            case .error(let length):
                for byte in bytes[position..<position + length] {
                    output.append(contentsOf: Array("%\(String(byte, radix: 16, uppercase: true))".utf8))
                }
                position += length
            case .emptyInput:
                break loop
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `rename(from, to)`; `false` if `from` no longer exists.
    public static func renameIfPresent(_ from: String, to: String) throws(SystemError) -> Bool {
        while Glibc.rename(from, to) == -1 {
            let code = Glibc.errno
            if code == ENOENT { return false }
            if code != EINTR { throw SystemError(call: "rename", path: from, errno: code) }
        }
        return true
    }

    /// `rename(from, to)`.
    public static func rename(_ from: String, to: String) throws(SystemError) {
        try syscall("rename", path: from) { Glibc.rename(from, to) }
    }

    /// `rename` that never replaces an existing target (`RENAME_NOREPLACE`); `false` if `to` exists.
    public static func renameNoReplace(_ from: String, to: String) throws(SystemError) -> Bool {
        while winnow_rename_noreplace(from, to) == -1 {
            let code = Glibc.errno
            if code == EEXIST { return false }
            if code != EINTR { throw SystemError(call: "renameat2", path: from, errno: code) }
        }
        return true
    }

    /// `unlink(path)`, ignoring a missing file.
    public static func remove(_ path: String) throws(SystemError) {
        if unlink(path) == -1 && Glibc.errno != ENOENT {
            throw SystemError(call: "unlink", path: path, errno: Glibc.errno)
        }
    }

    /// `fsync` of a directory, so the entries created or renamed in it survive power loss.
    public static func syncDirectory(_ path: String) throws(SystemError) {
        let fd = try syscall("open", path: path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(fd) }
        try syscall("fsync", path: path) { fsync(fd) }
    }

    /// Writes `bytes` to a new file at `path` (replacing it atomically through a temporary name) and syncs it.
    public static func writeFileAtomically(_ path: String, bytes: [UInt8], mode: mode_t = 0o644) throws(SystemError) {
        let temporary = path + ".tmp"
        let fd = try syscall("open", path: temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        }
        defer { close(fd) }
        do {
            try writeAll(fd, bytes, path: temporary)
            try syscall("fsync", path: temporary) { fsync(fd) }
            try rename(temporary, to: path)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Writes every byte, looping over short writes.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SystemError) {
        let failure: Int32 = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written == -1 {
                    if Glibc.errno == EINTR { continue }
                    return Glibc.errno
                }
                offset += written
            }
            return 0
        }
        if failure != 0 { throw SystemError(call: "write", path: path, errno: failure) }
    }

    /// Whether a process has the regular file open for writing, asked through a read lease
    /// (`F_SETLEASE` with `F_RDLCK` fails with `EAGAIN` exactly then). `nil` when the kernel will not
    /// say (not the file's owner without `CAP_LEASE`, or a file system without leases): callers then
    /// rely on the settle time alone. The lease is released at once.
    public static func isOpenForWriting(_ path: String) -> Bool? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if winnow_set_read_lease(fd) == -1 {
            return Glibc.errno == EAGAIN ? true : nil
        }
        _ = winnow_release_lease(fd)
        return false
    }
}

extension FileSystem {
    /// Moves `path` into `directory` as `name`, or as `name.1`, `name.2`, … if taken; never replaces
    /// a file. A `name` with a folder (`folder/name`) goes into that folder of `directory`, made if
    /// needed. Returns the new path.
    public static func moveAside(_ path: String, into directory: String, name: String) throws(SystemError) -> String {
        if let slash = name.lastIndex(of: "/") { try makeDirectory(directory + "/" + name[..<slash]) }
        var attempt = 0
        while true {
            let target = directory + "/" + (attempt == 0 ? name : "\(name).\(attempt)")
            if try renameNoReplace(path, to: target) { return target }
            attempt += 1
        }
    }
}
