import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whether this machine can mount an ext4 image through a loop device, as the power-loss storm
/// (scripts/torture/power_loss.py) does.
enum LoopMount {
    /// Why not, or `nil` when it can: found by mounting a small image once, since root inside a
    /// container may still lack the right to mount.
    static let unavailableReason: String? = {
        if getuid() != 0 { return "loop mounts need root" }
        for tool in ["mkfs.ext4", "losetup", "mount", "umount", "e2fsck"] where Command.which(tool) == nil {
            return "\(tool) is not on PATH"
        }
        var template = Array("/tmp/winnow-loop-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { return "mkdtemp failed: errno \(errno)" }
        let directory = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let image = directory + "/probe.img"
        let mountPoint = directory + "/mnt"
        guard FileManager.default.createFile(atPath: image, contents: nil), truncate(image, 16 << 20) == 0,
            mkdir(mountPoint, 0o755) == 0
        else { return "cannot create a probe image in \(directory)" }
        do {
            let steps = [("mkfs.ext4", ["-q", "-F", image]), ("mount", ["-o", "loop", image, mountPoint])]
            for (tool, arguments) in steps {
                let result = try Command.run(Command.which(tool)!, arguments, scratch: directory)
                guard result.status == 0 else { return "\(tool) failed: \(result.stderr)" }
            }
            // A loop device set up by `mount -o loop` is released by the unmount.
            let unmount = try Command.run(Command.which("umount")!, [mountPoint], scratch: directory)
            return unmount.status == 0 ? nil : "umount failed: \(unmount.stderr)"
        } catch {
            return "\(error)"
        }
    }()
}
