import WinnowFuzzing

/// libFuzzer's entry point: one input for `fuzzTextStages`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    fuzzTextStages(Array(UnsafeBufferPointer(start: start, count: count)))
    return 0
}
