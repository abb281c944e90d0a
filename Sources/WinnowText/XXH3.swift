import CXXHash
import WinnowCore

/// XXH3-128 from libxxhash: one-shot over a buffer, or streaming over a file.
public enum XXH3 {
    /// The XXH3-128 of `bytes`.
    public static func hash128(_ bytes: UnsafeRawBufferPointer) -> Hash128 {
        let value = XXH3_128bits(bytes.baseAddress, bytes.count)
        return Hash128(high: value.high64, low: value.low64)
    }

    /// The XXH3-128 of `bytes`.
    public static func hash128(_ bytes: [UInt8]) -> Hash128 {
        bytes.withUnsafeBytes { hash128($0) }
    }

    /// The XXH3-128 of a string's UTF-8 bytes.
    public static func hash128(_ string: String) -> Hash128 {
        var copy = string
        return copy.withUTF8 { hash128(UnsafeRawBufferPointer($0)) }
    }
}

/// Incremental XXH3-128, for hashing a file while it is read in chunks.
public final class XXH3Hasher {
    private let state: OpaquePointer

    public init() {
        guard let state = XXH3_createState() else { fatalError("XXH3_createState: out of memory") }
        self.state = state
        XXH3_128bits_reset(state)
    }

    deinit { XXH3_freeState(state) }

    /// Feeds more bytes.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        XXH3_128bits_update(state, bytes.baseAddress, bytes.count)
    }

    /// The hash of everything fed so far.
    public func finalize() -> Hash128 {
        let value = XXH3_128bits_digest(state)
        return Hash128(high: value.high64, low: value.low64)
    }
}
