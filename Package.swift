// swift-tools-version:6.1
import PackageDescription

// Every executable allocates through mimalloc (Debian's libmimalloc-dev), which replaces malloc and
// free for the whole process when linked: libxml2 builds and frees a node for every element and
// attribute of a page, and HTML extraction runs 20-31% faster with it than with glibc's allocator
// (docs/performance.md). The libraries are left to the executable's choice, so the fuzzers, built
// with AddressSanitizer's allocator, do not get it.
let allocator: [LinkerSetting] = [.linkedLibrary("mimalloc")]

let package = Package(
    name: "Winnow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "winnowd", targets: ["winnowd"]),
        .executable(name: "winnowctl", targets: ["winnowctl"]),
        .executable(name: "winnow-extract", targets: ["winnow-extract"]),
        .executable(name: "winnow-minhash", targets: ["winnow-minhash"]),
        .executable(name: "winnow-index", targets: ["winnow-index"]),
        .executable(name: "winnow-stages", targets: ["winnow-stages"]),
        // The fuzz harnesses, for the libFuzzer executables of Fuzz/Package.swift.
        .library(name: "WinnowFuzzing", targets: ["WinnowFuzzing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // System libraries from Debian, each with a module map and a commented shim header.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CXXHash", pkgConfig: "libxxhash", providers: [.apt(["libxxhash-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CUchardet", pkgConfig: "uchardet", providers: [.apt(["libuchardet-dev"])]),
        .systemLibrary(name: "CLinux"),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // CLD2 from Debian (libcld2-dev) is C++: this small target puts it behind one `extern "C"` call.
        .target(name: "CCLD2", linkerSettings: [.linkedLibrary("cld2")]),
        // The MinHash inner loop, built for several x86-64 levels and chosen at load time.
        .target(name: "CMinHashKernel", cSettings: [.unsafeFlags(["-O3"])]),

        .target(name: "WinnowCore", dependencies: [.product(name: "Logging", package: "swift-log")]),
        .target(
            name: "WinnowText",
            dependencies: ["WinnowCore", "CXXHash", "CLibXML2", "CUchardet", "CCLD2", "CMinHashKernel"]
        ),
        .target(name: "WinnowStages", dependencies: ["WinnowCore", "WinnowText", "CXXHash"]),
        .target(
            name: "WinnowStore",
            dependencies: [
                "WinnowCore", "WinnowIO", "CSQLite", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "WinnowIO", dependencies: ["WinnowCore", "CZstd", "CZlib", "CLinux"]),
        .target(name: "WinnowFetch", dependencies: ["WinnowCore", "CCurl"]),
        .target(
            name: "WinnowDaemon",
            dependencies: [
                "WinnowCore", "WinnowText", "WinnowStages", "WinnowStore", "WinnowIO", "WinnowFetch",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // One entry point per input parser, driven by the fuzzers and by the corpus replay test.
        .target(name: "WinnowFuzzing", dependencies: ["WinnowDaemon", "WinnowText", "WinnowIO", "WinnowCore"]),
        .executableTarget(
            name: "winnowd",
            dependencies: [
                "WinnowDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: allocator
        ),
        .executableTarget(
            name: "winnowctl",
            dependencies: [
                "WinnowDaemon", "WinnowIO", "WinnowCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: allocator
        ),
        .executableTarget(
            name: "winnow-minhash",
            dependencies: ["WinnowText", "WinnowIO", "WinnowCore"],
            path: "Benchmarks/MinHashBench",
            linkerSettings: allocator
        ),
        .executableTarget(
            name: "winnow-index",
            dependencies: ["WinnowStore", "WinnowText", "WinnowCore"],
            path: "Benchmarks/IndexBench",
            linkerSettings: allocator
        ),
        .executableTarget(
            name: "winnow-stages",
            dependencies: ["WinnowStages", "WinnowStore", "WinnowText", "WinnowIO", "WinnowCore"],
            path: "Benchmarks/StageBench",
            linkerSettings: allocator
        ),
        .executableTarget(
            name: "winnow-extract",
            dependencies: ["WinnowText", "WinnowIO"],
            path: "Benchmarks/ExtractionBench",
            linkerSettings: allocator
        ),

        .testTarget(name: "WinnowTextTests", dependencies: ["WinnowText", "WinnowCore"]),
        .testTarget(name: "WinnowStagesTests", dependencies: ["WinnowStages", "WinnowText", "WinnowCore"]),
        .testTarget(name: "WinnowIOTests", dependencies: ["WinnowIO", "WinnowCore", "CZlib", "CZstd"]),
        .testTarget(name: "WinnowFetchTests", dependencies: ["WinnowFetch"]),
        .testTarget(name: "WinnowStoreTests", dependencies: ["WinnowStore", "WinnowText"]),
        .testTarget(
            name: "WinnowDaemonTests",
            dependencies: ["WinnowDaemon", "WinnowFuzzing", "WinnowStages", "WinnowCore", "WinnowIO", "CZlib"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["winnowd", "winnowctl"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
