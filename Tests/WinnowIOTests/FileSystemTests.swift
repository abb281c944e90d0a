import Foundation
import Testing
import WinnowIO

@Suite struct FileSystemTests {
    @Test func moveAsideNeverReplaces() throws {
        let directory = try TemporaryDirectory()
        let target = directory.path + "/out"
        try FileSystem.makeDirectory(target)
        let first = try FileSystem.moveAside(directory.write("a", [1]), into: target, name: "a")
        let second = try FileSystem.moveAside(directory.write("a", [2]), into: target, name: "a")
        #expect(first == target + "/a" && second == target + "/a.1")
        #expect(try Data(contentsOf: URL(fileURLWithPath: second)) == Data([2]))
    }

    @Test func leaseSeesAnOpenWriter() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("busy", Array("x".utf8))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        // Root or the owner may take leases; elsewhere the answer is "unknown" (nil), never "not open".
        #expect(FileSystem.isOpenForWriting(path) != false)
        try handle.close()
        #expect(FileSystem.isOpenForWriting(path) != true)
    }

    @Test func statusDoesNotFollowLinks() throws {
        let directory = try TemporaryDirectory()
        let target = try directory.write("target", [1, 2, 3])
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/link", withDestinationPath: target)
        #expect(try FileSystem.status(directory.path + "/link")?.kind == .symlink)
        #expect(try FileSystem.status(target)?.kind == .regular)
        #expect(try FileSystem.status(directory.path + "/missing") == nil)
    }
}
