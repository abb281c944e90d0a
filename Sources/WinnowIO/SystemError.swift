#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call: which call, on what, and the `errno` text.
public struct SystemError: Error, CustomStringConvertible, Equatable {
    public var call: String
    public var path: String?
    public var errno: Int32

    public init(call: String, path: String? = nil, errno: Int32) {
        self.call = call
        self.path = path
        self.errno = errno
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        if let path { return "\(call)(\(path)): \(reason)" }
        return "\(call): \(reason)"
    }
}

/// Runs a system call, retrying on `EINTR`, and throws a `SystemError` naming the call when it
/// returns -1. Every system call in the daemon goes through here.
@discardableResult
@inline(__always)
public func syscall<T: FixedWidthInteger>(_ call: String, path: String? = nil, _ body: () -> T) throws(SystemError) -> T
{
    while true {
        let result = body()
        if result != -1 { return result }
        let code = Glibc.errno
        if code == EINTR { continue }
        throw SystemError(call: call, path: path, errno: code)
    }
}
