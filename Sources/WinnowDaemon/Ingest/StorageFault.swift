import WinnowIO
import WinnowStore

#if canImport(Glibc)
    import Glibc
#endif

/// Tells the one fault of the machine that passes by itself from the others: a full file system
/// (or a reached quota). The daemon then holds its work and retries instead of stopping.
enum StorageFault {
    static func isOutOfSpace(_ error: any Error) -> Bool {
        if let error = error as? SystemError { return error.errno == ENOSPC || error.errno == EDQUOT }
        return WinnowDatabase.isOutOfSpace(error)
    }
}
