import WinnowCore
import WinnowDaemon
import WinnowIO

/// What a reader harness read from one input, for the regression tests to check.
public struct ReadOutcome: Equatable, Sendable {
    /// How many units the reader gave, refused ones included.
    public var units = 0
    /// The drop reason code of each refused unit, in order.
    public var refusals: [String] = []
    /// The expected error (`InputError`, `InputRefusal`) that ended the input early, described.
    public var error: String?

    public init(units: Int = 0, refusals: [String] = [], error: String? = nil) {
        self.units = units
        self.refusals = refusals
        self.error = error
    }
}

/// The largest document the reader harnesses accept: small, so that inputs of a fuzzer's size reach
/// the too-large paths too (the daemon's default, `limits.max_document_bytes`, is 16 MiB).
private let maximumBytes = 16 << 10

/// The most bytes a compressed input may expand to, so a small "zip bomb" stays cheap to run.
private let maximumDecompressedBytes = 1 << 20

private let identity = InputIdentity(name: "fuzz-input", contentHash: Hash128(high: 0, low: 0))

/// Reads every unit of `input` as a JSONL file.
@discardableResult
public func fuzzJSONLReader(_ input: [UInt8]) -> ReadOutcome {
    read(input) { JSONLDocumentReader(source: $0, identity: identity, maximumBytes: maximumBytes) }
}

/// Reads every unit of `input` as a `.urls` list.
@discardableResult
public func fuzzURLListReader(_ input: [UInt8]) -> ReadOutcome {
    read(input) { URLListReader(source: $0, identity: identity) }
}

/// Reads every unit of `input` as a WARC file.
@discardableResult
public func fuzzWARCReader(_ input: [UInt8]) -> ReadOutcome {
    read(input) { WARCDocumentReader(source: $0, identity: identity, maximumBytes: maximumBytes) }
}

/// Feeds `input` from memory to the reader `makeReader` builds, decompressed first when it starts with
/// a gzip or zstd magic number (as the daemon decides by content), and reads until the end or an
/// expected error. Any other error stops the daemon as a fault of the machine, so it traps here, as
/// do unit indices that fail to increase (resuming after a crash relies on them).
private func read(_ input: [UInt8], _ makeReader: (any ByteSource) -> any DocumentReader) -> ReadOutcome {
    var outcome = ReadOutcome()
    do {
        let memory = MemoryByteSource(input)
        var source: any ByteSource = memory
        if input.starts(with: [0x1F, 0x8B]) {
            source = LimitedByteSource(try GzipByteSource(memory), limit: maximumDecompressedBytes)
        } else if input.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) {
            source = LimitedByteSource(try ZstdByteSource(memory), limit: maximumDecompressedBytes)
        }
        let reader = makeReader(source)
        var lastIndex = -1
        while let unit = try reader.next() {
            precondition(unit.index > lastIndex, "unit index \(unit.index) after \(lastIndex)")
            lastIndex = unit.index
            outcome.units += 1
            if case .refused(_, let reason, _) = unit { outcome.refusals.append(reason.code) }
        }
    } catch let error as InputError {
        outcome.error = error.description
    } catch let error as InputRefusal {
        outcome.error = error.description
    } catch {
        preconditionFailure("unexpected \(type(of: error)): \(error)")
    }
    return outcome
}
