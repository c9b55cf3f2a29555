// swift-tools-version:6.2
import PackageDescription

/// Settings shared by every target.
let swiftSettings: [SwiftSetting] = [
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0335-existential-any.md
    .enableUpcomingFeature("ExistentialAny"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0444-member-import-visibility.md
    .enableUpcomingFeature("MemberImportVisibility"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0409-access-level-on-imports.md
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "squall",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Squall", targets: ["Squall"]),
        .library(name: "SquallIO", targets: ["SquallIO"]),
        .library(name: "SquallHTTP", targets: ["SquallHTTP"]),
        .library(name: "SquallEscape", targets: ["SquallEscape"]),
        .library(name: "SquallTemplate", targets: ["SquallTemplate"]),
        .library(name: "SquallLocale", targets: ["SquallLocale"]),
        .library(name: "SquallWebSocket", targets: ["SquallWebSocket"]),
        .library(name: "SquallTesting", targets: ["SquallTesting"]),
        .library(name: "SquallMonitorProtocol", targets: ["SquallMonitorProtocol"]),
        .library(name: "SquallMonitor", targets: ["SquallMonitor"]),
        .library(name: "SquallTop", targets: ["SquallTop"]),
        .executable(name: "squall-demo", targets: ["squall-demo"]),
        .executable(name: "squall-top", targets: ["squall-top"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - Targets
        .target(
            name: "SquallIO",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SquallHTTP",
            dependencies: [
                "SquallIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        // The system zlib (Debian: zlib1g-dev) for gzip output; NIO's own zlib module is not importable.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .target(name: "SquallEscape", swiftSettings: swiftSettings),
        .target(name: "SquallTemplate", dependencies: ["SquallEscape"], swiftSettings: swiftSettings),
        .target(name: "SquallLocale", swiftSettings: swiftSettings),
        .target(
            name: "SquallWebSocket",
            dependencies: [
                "SquallIO", "SquallHTTP", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "SquallMonitorProtocol", swiftSettings: swiftSettings),
        .target(
            name: "SquallMonitor",
            dependencies: [
                "SquallMonitorProtocol", "SquallIO", "SquallHTTP", "SquallWebSocket",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Squall",
            dependencies: [
                "SquallIO", "SquallHTTP", "SquallEscape", "SquallTemplate", "SquallLocale", "SquallWebSocket",
                "SquallMonitor",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                "CZlib",
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "SquallTesting", dependencies: ["Squall"], swiftSettings: swiftSettings),
        // The system ncursesw (Debian: libncursesw5-dev / libncurses-dev) for squall-top's terminal layer.
        .systemLibrary(
            name: "CNcursesw",
            path: "Sources/CNcursesw",
            providers: [.apt(["libncurses-dev"]), .brew(["ncurses"])]
        ),
        .target(
            name: "SquallTop",
            dependencies: ["SquallMonitorProtocol", "SquallWebSocket", "SquallIO", "CNcursesw"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Executables
        .executableTarget(
            name: "squall-demo",
            dependencies: [
                "Squall", "SquallTop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Resources"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "squall-ws-echo", dependencies: ["Squall"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "squall-top",
            dependencies: ["SquallTop", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        // MARK: - Tests
        .testTarget(name: "SquallIOTests", dependencies: ["SquallIO"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SquallTests",
            dependencies: ["Squall", "SquallTesting", "CZlib"],
            exclude: ["Fixtures/generate_web_security_fixtures.py"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SquallHTTPTests",
            dependencies: ["SquallHTTP", "SquallTesting", .product(name: "NIOHTTP1", package: "swift-nio")],
            exclude: ["Fixtures/generate_httputil_fixtures.py"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SquallEscapeTests",
            dependencies: ["SquallEscape"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SquallTemplateTests",
            dependencies: ["SquallTemplate", "Squall", "SquallTesting"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SquallLocaleTests",
            dependencies: ["SquallLocale", "Squall", "SquallTesting"],
            exclude: [
                "Fixtures/generate_locale_fixtures.py", "Fixtures/locale_fixtures.json", "Fixtures/csv",
                "Fixtures/gettext",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SquallWebSocketTests",
            dependencies: ["SquallWebSocket", "Squall", "SquallTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SquallMonitorTests",
            dependencies: [
                "SquallMonitor", "SquallMonitorProtocol", "Squall", "SquallTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SquallTopTests", dependencies: ["SquallTop", "SquallMonitorProtocol"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SquallHTTPClientTests",
            dependencies: ["SquallHTTP", "Squall", "SquallTesting"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
