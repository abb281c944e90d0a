// swift-tools-version:5.4
import PackageDescription

// The libFuzzer executables, one per harness of the WinnowFuzzing library, in a package of their own
// so that the ordinary build never compiles them. scripts/fuzz/run.sh builds them with
// `-sanitize=fuzzer,address -parse-as-library`: libFuzzer brings `main`, and each executable only
// defines `LLVMFuzzerTestOneInput`. Tools version 5.4 on purpose: from 5.5 on, SwiftPM renames an
// executable's entry point and links `main` to it, which a library-parsed file does not have.
// SwiftPM names a package by its folder, so this one lives in `Fuzzers/`, a name the checkout it
// depends on is unlikely to share; the seeds are in `../Corpus/`.
let harnesses = ["decoder", "html", "jsonl", "text", "urls", "warc"]

let package = Package(
    name: "WinnowFuzz",
    dependencies: [.package(name: "Winnow", path: "../..")],
    targets: harnesses.map { harness in
        .executableTarget(
            name: "fuzz-\(harness)",
            dependencies: [.product(name: "WinnowFuzzing", package: "Winnow")]
        )
    }
)
