#if canImport(Glibc)
    import Glibc
#endif

/// What the inbox watcher reports. Paths are relative to the inbox: `name` at its top, or
/// `folder/name` in one of its folders.
public enum InboxEvent: Sendable, Equatable {
    /// A file was closed after writing; it is taken once it has settled.
    case closedAfterWrite(String)
    /// A file was renamed into the inbox or a folder: complete by the inbox protocol.
    case movedIn(String)
    /// A folder was made in (or moved into) the inbox: it needs a watch of its own and a scan.
    case folderAppeared(String)
    /// The kernel's event queue overflowed: events were lost, the inbox must be rescanned.
    case overflow
    /// The watched directory was deleted or moved away.
    case directoryGone
    /// A file arrived whose name is not valid UTF-8: a rescan gives it a name that is.
    case undecodableName
}

/// An inotify watch on the inbox and on each folder directly in it (`IN_CLOSE_WRITE`,
/// `IN_MOVED_TO`), read without blocking so the owner can `poll` its descriptor together with
/// others. Folders are one level deep: a directory inside a folder is not watched.
public final class InotifyWatcher {
    /// The descriptor to poll for readability.
    public let descriptor: Int32
    private let directory: String
    private let root: Int32
    /// The folder each folder watch is on, by watch descriptor.
    private var folders: [Int32: String] = [:]
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    private static let fileEvents =
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR
        | IN_EXCL_UNLINK

    /// Starts watching `directory`. Throws if inotify is unavailable or the watch cannot be added
    /// (for example when `max_user_watches` is exhausted); callers then fall back to polling.
    public init(directory: String) throws(SystemError) {
        let fd = try syscall("inotify_init1") { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
        // IN_CREATE only for the folders made in it; files are reported when complete.
        let mask = UInt32(Self.fileEvents | IN_CREATE)
        do {
            root = try syscall("inotify_add_watch", path: directory) { inotify_add_watch(fd, directory, mask) }
        } catch {
            close(fd)
            throw error
        }
        self.directory = directory
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Watches the folder `name` of the inbox too (once: watching it again changes nothing).
    /// Throws when the watch cannot be added; the periodic rescan still finds its files.
    public func watchFolder(_ name: String) throws(SystemError) {
        let path = directory + "/" + name
        let watch = try syscall("inotify_add_watch", path: path) {
            inotify_add_watch(descriptor, path, UInt32(Self.fileEvents))
        }
        folders[watch] = name
    }

    /// Reads every event queued now (none if nothing is pending).
    public func drain() throws(SystemError) -> [InboxEvent] {
        var events: [InboxEvent] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == -1 {
                if errno == EAGAIN { return events }
                if errno == EINTR { continue }
                throw SystemError(call: "read(inotify)", errno: errno)
            }
            if count == 0 { return events }
            buffer.withUnsafeBytes { raw in
                var offset = 0
                while offset + MemoryLayout<inotify_event>.size <= count {
                    let header = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    let nameBytes = raw[nameStart..<nameStart + Int(header.len)].prefix { $0 != 0 }
                    if let event = event(header, name: String(validating: nameBytes, as: UTF8.self)) {
                        events.append(event)
                    }
                    offset = nameStart + Int(header.len)
                }
            }
        }
    }

    private func event(_ header: inotify_event, name: String?) -> InboxEvent? {
        let mask = header.mask
        if mask & UInt32(IN_Q_OVERFLOW) != 0 { return .overflow }
        let folder: String?
        if header.wd == root {
            folder = nil
        } else if let known = folders[header.wd] {
            folder = known
        } else {
            return nil
        }
        if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
            guard folder == nil else {
                // A folder went away: its files went with it. A new folder of that name gets a new watch.
                if mask & UInt32(IN_IGNORED) != 0 { folders[header.wd] = nil }
                return nil
            }
            return .directoryGone
        }
        guard mask & UInt32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE) != 0 else { return nil }
        guard let name else { return .undecodableName }
        if mask & UInt32(IN_ISDIR) != 0 {
            // Folders are one level deep: a directory in a folder is no input.
            return folder == nil && mask & UInt32(IN_MOVED_TO | IN_CREATE) != 0 ? .folderAppeared(name) : nil
        }
        if mask & UInt32(IN_CREATE) != 0 { return nil }
        let path = folder.map { $0 + "/" + name } ?? name
        return mask & UInt32(IN_MOVED_TO) != 0 ? .movedIn(path) : .closedAfterWrite(path)
    }
}
