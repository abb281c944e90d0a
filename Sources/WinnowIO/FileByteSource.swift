#if canImport(Glibc)
    import Glibc
#endif

/// A regular file opened without following links, read with `read(2)`.
public final class FileByteSource: ByteSource {
    private let descriptor: Int32
    private let path: String

    /// Opens `path` read-only (`O_NOFOLLOW`: a link in its place is an error, never followed).
    public init(path: String) throws(SystemError) {
        self.path = path
        descriptor = try syscall("open", path: path) { open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
    }

    deinit { close(descriptor) }

    /// The size `fstat` reports.
    public func size() throws(SystemError) -> Int {
        var info = stat()
        try syscall("fstat", path: path) { fstat(descriptor, &info) }
        return Int(info.st_size)
    }

    /// How far the file has been read.
    public func position() -> Int {
        max(0, Int(lseek(descriptor, 0, SEEK_CUR)))
    }

    /// Moves back to the start, to read the file a second time.
    public func rewind() throws(SystemError) {
        try syscall("lseek", path: path) { lseek(descriptor, 0, SEEK_SET) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try syscall("read", path: path) { Glibc.read(descriptor, buffer.baseAddress, buffer.count) }
    }
}
