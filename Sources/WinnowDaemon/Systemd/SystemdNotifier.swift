import Synchronization
import WinnowCore

#if canImport(Glibc)
    import Glibc
#endif

/// The sd_notify protocol: newline-separated `KEY=VALUE` assignments in one datagram to the
/// AF_UNIX socket named by `$NOTIFY_SOCKET` (a path, or an abstract name written with a leading
/// `@`). It is a dozen lines, stable since systemd 209 and documented as an interface, so it is
/// implemented here rather than by linking libsystemd for one function (and adding libsystemd-dev
/// to every build machine). Without `$NOTIFY_SOCKET` every call does nothing.
final class SystemdNotifier: Sendable {
    private let descriptor: Int32
    private let address: [UInt8]
    private let addressLength: socklen_t

    /// `nil` when the daemon does not run under a service manager that wants notifications.
    init?(environment: [String: String]) {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty, path.utf8.count < 108 else { return nil }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var name = Array(path.utf8)
        if name.first == UInt8(ascii: "@") { name[0] = 0 }  // abstract namespace
        var storage = sockaddr_un()
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { $0.copyBytes(from: name) }
        descriptor = fd
        address = withUnsafeBytes(of: storage) { Array($0) }
        addressLength = socklen_t(MemoryLayout<sa_family_t>.size + name.count + (name.first == 0 ? 0 : 1))
    }

    deinit { close(descriptor) }

    /// Sends assignments such as `["READY=1", "STATUS=…"]` in one datagram.
    func send(_ assignments: [String]) {
        let message = Array(assignments.joined(separator: "\n").utf8)
        address.withUnsafeBytes { raw in
            let pointer = raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)
            _ = message.withUnsafeBytes { body in
                sendto(descriptor, body.baseAddress, body.count, Int32(MSG_NOSIGNAL), pointer, addressLength)
            }
        }
    }

    /// The watchdog interval the manager asks for (`WATCHDOG_USEC`, when `WATCHDOG_PID` is unset
    /// or this process), or `nil`.
    static func watchdogInterval(environment: [String: String]) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else {
            return nil
        }
        if let pid = environment["WATCHDOG_PID"], Int32(pid) != getpid() { return nil }
        return .microseconds(microseconds)
    }

    /// `MONOTONIC_USEC=…` for a `RELOADING=1` notification: CLOCK_MONOTONIC in microseconds.
    static func monotonicNow() -> String {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return "MONOTONIC_USEC=\(Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000)"
    }
}

/// When the processing path last made progress: the ingest loop beats it on every turn and for
/// every document, and the watchdog pings systemd only while it is recent, so a hung pipeline (not
/// just a live process) gets the service restarted.
final class Heartbeat: Sendable {
    private let last = Atomic<Int64>(Heartbeat.now())

    func beat() { last.store(Self.now(), ordering: .relaxed) }

    /// Time since the last beat.
    var age: Duration { .nanoseconds(Self.now() - last.load(ordering: .relaxed)) }

    private static func now() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
