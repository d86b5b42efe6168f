// swift-tools-version:6.0
import PackageDescription

// One module per pipeline stage. Stages depend on FeedwatchModel only; the
// daemon and the executable compose them. Only the C modules touch C.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "feedwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "feedwatch", targets: ["feedwatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Alert templates; no dependencies of its own.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The daemon's lifecycle: its engines as services in one group, signals, graceful shutdown.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C at the border.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShim", dependencies: ["CCurl"], path: "Sources/CCurlShim"),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        // Values that flow between stages.
        .target(name: "FeedwatchModel", swiftSettings: strict),

        // Stages.
        .target(name: "FeedwatchHTTP",
                dependencies: ["FeedwatchModel", "CCurlShim", .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        .target(name: "FeedwatchParse", dependencies: ["FeedwatchModel", "CLibXML2"], swiftSettings: strict),
        .target(name: "FeedwatchText", dependencies: ["FeedwatchModel", "CLibXML2"], swiftSettings: strict),
        .target(name: "FeedwatchExtract", dependencies: ["FeedwatchModel", "FeedwatchText", "CLibXML2", "CZlib"],
                swiftSettings: strict),
        .target(name: "FeedwatchDedup", dependencies: ["FeedwatchModel", "FeedwatchText"], swiftSettings: strict),
        .target(name: "FeedwatchClassify",
                dependencies: ["FeedwatchModel", "FeedwatchText", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        .target(name: "FeedwatchConfig",
                dependencies: ["FeedwatchModel", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        .target(name: "FeedwatchStore", dependencies: ["FeedwatchModel", "CSQLite"], swiftSettings: strict),
        // The shared store: the same Store protocol over libpq, for several instances on one database.
        .target(name: "FeedwatchPostgres", dependencies: ["FeedwatchModel", "FeedwatchStore", "CLibPQ"],
                swiftSettings: strict),
        .target(name: "FeedwatchAlert",
                dependencies: ["FeedwatchModel", "FeedwatchHTTP", "COpenSSL",
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "Mustache", package: "swift-mustache")],
                swiftSettings: strict),
        .target(name: "FeedwatchDaemon",
                dependencies: ["FeedwatchModel", "FeedwatchHTTP", "FeedwatchParse", "FeedwatchText",
                               "FeedwatchDedup", "FeedwatchClassify", "FeedwatchConfig", "FeedwatchStore",
                               "FeedwatchPostgres", "FeedwatchAlert", "FeedwatchExtract", "CMalloc",
                               .product(name: "Logging", package: "swift-log"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "UnixSignals", package: "swift-service-lifecycle")],
                swiftSettings: strict),

        // The thin executable: one subcommand per file.
        .executableTarget(name: "feedwatch",
                          dependencies: ["FeedwatchDaemon", "FeedwatchModel", "FeedwatchHTTP", "FeedwatchParse",
                                         "FeedwatchText", "FeedwatchDedup", "FeedwatchClassify",
                                         "FeedwatchConfig", "FeedwatchStore", "FeedwatchPostgres", "FeedwatchAlert", "FeedwatchExtract",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "Logging", package: "swift-log")],
                          swiftSettings: strict),

        // Benchmarks print figures; they never run under `swift test`.
        .executableTarget(name: "feedwatch-bench",
                          dependencies: ["FeedwatchModel", "FeedwatchHTTP", "FeedwatchParse", "FeedwatchText",
                                         "FeedwatchDedup", "FeedwatchClassify", "FeedwatchConfig", "FeedwatchTestSupport",
                                         "FeedwatchExtract", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Benchmarks/FeedwatchBench", swiftSettings: strict),

        // Fuzz targets: `scripts/fuzz` builds this with libFuzzer; an ordinary build replays inputs.
        .executableTarget(name: "feedwatch-fuzz",
                          dependencies: ["FeedwatchModel", "FeedwatchParse", "FeedwatchText", "FeedwatchDedup",
                                         "FeedwatchClassify", "FeedwatchConfig", "FeedwatchExtract", "FeedwatchHTTP"],
                          path: "Sources/FeedwatchFuzz", swiftSettings: strict),

        // What several test targets and the benchmarks share: loopback servers (feed server, webhook and
        // SMTP receivers), a fake transport and a manual clock, temporary directories, sample alerts, the
        // dev sets. The model and the HTTP seam only, never the daemon.
        .target(name: "FeedwatchTestSupport", dependencies: ["FeedwatchModel", "FeedwatchHTTP"], swiftSettings: strict),

        .testTarget(name: "FeedwatchModelTests", dependencies: ["FeedwatchModel"], swiftSettings: strict),
        .testTarget(name: "FeedwatchHTTPTests", dependencies: ["FeedwatchHTTP", "FeedwatchTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "FeedwatchParseTests", dependencies: ["FeedwatchParse"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        // The labelled dev sets the text, dedup and classify tests share are in Tests/DevSet (see DevSet).
        .testTarget(name: "FeedwatchTextTests", dependencies: ["FeedwatchText", "FeedwatchModel", "FeedwatchTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "FeedwatchDedupTests",
                    dependencies: ["FeedwatchDedup", "FeedwatchText", "FeedwatchModel", "FeedwatchTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "FeedwatchClassifyTests",
                    dependencies: ["FeedwatchClassify", "FeedwatchText", "FeedwatchModel", "FeedwatchTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "FeedwatchExtractTests", dependencies: ["FeedwatchExtract", "CZlib"], swiftSettings: strict),
        .testTarget(name: "FeedwatchConfigTests", dependencies: ["FeedwatchConfig", "FeedwatchModel", "FeedwatchTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "FeedwatchStoreTests", dependencies: ["FeedwatchStore", "FeedwatchModel", "FeedwatchTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "FeedwatchPostgresTests",
                    dependencies: ["FeedwatchPostgres", "FeedwatchStore", "FeedwatchModel"], swiftSettings: strict),
        .testTarget(name: "FeedwatchAlertTests",
                    dependencies: ["FeedwatchAlert", "FeedwatchHTTP", "FeedwatchModel", "FeedwatchTestSupport"],
                    swiftSettings: strict),
        // The daemon in process, and the built `feedwatch` binary end to end (E2E, BuiltCLI).
        .testTarget(name: "FeedwatchDaemonTests",
                    dependencies: ["FeedwatchDaemon", "FeedwatchConfig", "FeedwatchStore", "FeedwatchPostgres",
                                   "FeedwatchAlert", "FeedwatchTestSupport"],
                    swiftSettings: strict),
    ]
)
