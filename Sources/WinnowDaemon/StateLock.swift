import WinnowIO

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on `<state>/winnowd.lock`, held for the daemon's life, so two daemons never
/// share one state directory. The file holds the owner's pid, for the error message.
final class StateLock {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = try syscall("open", path: path) { open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) }
        if flock(descriptor, LOCK_EX | LOCK_NB) == -1 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = read(descriptor, &buffer, 32)
            let owner = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).trimmingNewlines
            close(descriptor)
            throw ConfigurationError(
                "another winnowd (pid \(owner.isEmpty ? "unknown" : owner)) is using this state directory (\(path))")
        }
        _ = ftruncate(descriptor, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pwrite(descriptor, pid, pid.count, 0)
    }

    deinit { close(descriptor) }
}

extension String {
    fileprivate var trimmingNewlines: String {
        var result = self
        while result.last == "\n" { result.removeLast() }
        return result
    }
}
