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

    /// Clears pending wake-ups.
    public func reset() {
        var value: UInt64 = 0
        _ = read(descriptor, &value, 8)
    }
}
