import WinnowFuzzing

/// libFuzzer's entry point: one input for `fuzzURLListReader`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzURLListReader(Array(UnsafeBufferPointer(start: start, count: count)))
    return 0
}
