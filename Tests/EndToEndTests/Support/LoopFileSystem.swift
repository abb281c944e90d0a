import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A small ext4 file system in an image file, loop-mounted, so a test can fill a disk for real.
/// Needs root (mount) and e2fsprogs; `unavailableReason` says why not when they are missing.
final class LoopFileSystem {
    let image: String
    private(set) var mountPoint: String?

    /// Nil when loop mounts work here, else why they do not (checked once, with a real mount).
    static let unavailableReason: String? = {
        guard getuid() == 0 else { return "needs root to mount a file system" }
        guard tool("mkfs.ext4") != nil, tool("mount") != nil else {
            return "needs mkfs.ext4 (e2fsprogs) and mount (util-linux)"
        }
        do {
            let probe = try LoopFileSystem(megabytes: 8)
            defer { probe.remove() }
            let point = probe.image + ".mnt"
            try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
            defer {
                probe.remove()  // unmounts, so that the mount point can go
                rmdir(point)
            }
            try probe.mount(at: point)
            return nil
        } catch {
            return "cannot loop-mount an ext4 image here: \(error)"
        }
    }()

    /// Makes an ext4 image of `megabytes`, with no blocks reserved for root (the tests run as root,
    /// and the daemon must see the disk full, not a reserve it may still use).
    init(megabytes: Int) throws {
        image = FileManager.default.temporaryDirectory.path + "/winnow-fs-\(UUID().uuidString.prefix(8)).img"
        guard FileManager.default.createFile(atPath: image, contents: nil), truncate(image, off_t(megabytes) << 20) == 0
        else { throw HarnessError("cannot create the image \(image): errno \(errno)") }
        try Self.run("mkfs.ext4", ["-q", "-F", "-m", "0", image])
    }

    func mount(at path: String) throws {
        try Self.run("mount", ["-o", "loop", image, path])
        mountPoint = path
    }

    /// Unmounts (if mounted) and deletes the image. Safe to call twice.
    func remove() {
        if let mountPoint { _ = try? Self.run("umount", [mountPoint]) }
        mountPoint = nil
        unlink(image)
    }

    /// Bytes an unprivileged writer could still use.
    var freeBytes: Int {
        var info = statvfs()
        guard let mountPoint, statvfs(mountPoint, &info) == 0 else { return 0 }
        return Int(info.f_bavail) * Int(info.f_frsize)
    }

    /// Allocates a ballast file that leaves about `bytes` free, and returns its path.
    func fill(leaving bytes: Int) throws -> String {
        guard let mountPoint else { throw HarnessError("not mounted") }
        let path = mountPoint + "/ballast"
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HarnessError("open \(path): errno \(errno)") }
        defer { close(fd) }
        let size = max(0, freeBytes - bytes)
        let result = posix_fallocate(fd, 0, off_t(size))
        guard result == 0 else { throw HarnessError("posix_fallocate \(size) bytes: errno \(result)") }
        fsync(fd)
        return path
    }

    /// `name` on PATH, or in the sbin directories a test runner's PATH may leave out.
    private static func tool(_ name: String) -> String? {
        Command.which(name)
            ?? ["/usr/sbin/", "/sbin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func run(_ name: String, _ arguments: [String]) throws {
        guard let path = tool(name) else { throw HarnessError("\(name) is not installed") }
        let result = try Command.run(path, arguments, scratch: FileManager.default.temporaryDirectory.path)
        guard result.status == 0 else { throw HarnessError("\(name) \(arguments.joined(separator: " ")): \(result)") }
    }
}
