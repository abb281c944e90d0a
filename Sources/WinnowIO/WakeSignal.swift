import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// An `eventfd` another thread writes to wake a loop that is blocked in `poll`.
public final class WakeSignal: @unchecked Sendable {
    /// The descriptor to poll for readability.
    public let descriptor: Int32

    public init() throws(SystemError) {
        descriptor = try syscall("eventfd") { winnow_eventfd() }
    }

    deinit { close(descriptor) }

    /// Wakes the loop (safe from any thread).
    public func wake() {
        var one: UInt64 = 1
        _ = write(descriptor, &one, 8)
    }

    /// Blocks until woken or until `timeout` has passed, then clears the wake-ups.
    public func wait(for timeout: Duration) {
        var descriptor = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        _ = poll(&descriptor, 1, Int32(clamping: milliseconds))
        reset()
    }

    /// Clears pending wake-ups.
    public func reset() {
        var value: UInt64 = 0
        _ = read(descriptor, &value, 8)
    }
}
