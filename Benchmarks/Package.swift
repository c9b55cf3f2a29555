// swift-tools-version:6.0
import PackageDescription

/// Settings shared by every target, as in the root package.
let swiftSettings: [SwiftSetting] = [
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0335-existential-any.md
    .enableUpcomingFeature("ExistentialAny"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0444-member-import-visibility.md
    .enableUpcomingFeature("MemberImportVisibility"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0409-access-level-on-imports.md
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Squall's benchmarks: a package of its own so that their builds (always release) stay out of the library's
/// dependency graph. Run them with the scripts beside this file; see README.md.
let package = Package(
    name: "squall-benchmarks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "echo-bench", targets: ["echo-bench"]),
        .executable(name: "http-bench-server", targets: ["http-bench-server"]),
        .executable(name: "web-bench-server", targets: ["web-bench-server"]),
        .executable(name: "nio-http-peer", targets: ["nio-http-peer"]),
        .executable(name: "template-bench", targets: ["template-bench"]),
    ],
    dependencies: [
        .package(name: "squall", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // MARK: - Targets
        // What the HTTP benchmark servers share: settings from the command line and environment, READY output.
        .target(name: "HTTPBenchSupport", swiftSettings: swiftSettings),

        // MARK: - Executables
        .executableTarget(
            name: "echo-bench",
            dependencies: [
                "HTTPBenchSupport",
                .product(name: "SquallIO", package: "squall"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "http-bench-server",
            dependencies: [
                "HTTPBenchSupport",
                .product(name: "SquallHTTP", package: "squall"),
                .product(name: "SquallIO", package: "squall"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "web-bench-server",
            dependencies: [
                "HTTPBenchSupport",
                .product(name: "Squall", package: "squall"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SquallIO", package: "squall"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "nio-http-peer",
            dependencies: [
                "HTTPBenchSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Template rendering against Tornado; template.sh runs both sides.
        .executableTarget(
            name: "template-bench",
            dependencies: [.product(name: "Squall", package: "squall")],
            path: "template-bench",
            exclude: ["tornado_template_bench.py", "templates"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
