#if canImport(Glibc)
    import Glibc
#endif

/// What the inbox watcher reports.
public enum InboxEvent: Sendable, Equatable {
    /// A file was closed after writing; it is taken once it has settled.
    case closedAfterWrite(String)
    /// A file was renamed into the directory: complete by the inbox protocol.
    case movedIn(String)
    /// The kernel's event queue overflowed: events were lost, the directory must be rescanned.
    case overflow
    /// The watched directory was deleted or moved away.
    case directoryGone
    /// A file arrived whose name is not valid UTF-8: a rescan gives it a name that is.
    case undecodableName
}

/// An inotify watch on one directory (`IN_CLOSE_WRITE`, `IN_MOVED_TO`), read without blocking so the
/// owner can `poll` its descriptor together with others.
public final class InotifyWatcher {
    /// The descriptor to poll for readability.
    public let descriptor: Int32
    private let watch: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Starts watching `directory`. Throws if inotify is unavailable or the watch cannot be added
    /// (for example when `max_user_watches` is exhausted); callers then fall back to polling.
    public init(directory: String) throws(SystemError) {
        let fd = try syscall("inotify_init1") { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK)
        do {
            watch = try syscall("inotify_add_watch", path: directory) { inotify_add_watch(fd, directory, mask) }
        } catch {
            close(fd)
            throw error
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

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
                    let name = String(validating: nameBytes, as: UTF8.self)
                    if header.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                        events.append(.overflow)
                    } else if header.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
                        events.append(.directoryGone)
                    } else if header.mask & UInt32(IN_MOVED_TO | IN_CLOSE_WRITE) != 0 {
                        if let name {
                            let moved = header.mask & UInt32(IN_MOVED_TO) != 0
                            events.append(moved ? .movedIn(name) : .closedAfterWrite(name))
                        } else {
                            events.append(.undecodableName)
                        }
                    }
                    offset = nameStart + Int(header.len)
                }
            }
        }
    }
}
