// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "relink",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "relink", targets: ["relink"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    ],
    targets: [
        // The domain: projects, connections, the lifecycle state machine. No I/O.
        .target(name: "RelinkCore"),
        // The durable JSON store that owns one directory.
        .target(name: "RelinkStore", dependencies: ["RelinkCore"]),
        // libedit, wrapped by LineEditor in RelinkCLI.
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // Intercom's wire shapes, shared by the client and the mock so they cannot drift apart.
        .target(name: "IntercomAPI"),
        // The mock Intercom: a stateful, fault-injecting HTTP server.
        .target(
            name: "IntercomMock",
            dependencies: [
                "IntercomAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The client for Intercom's API (real or mock), behind a protocol.
        .target(
            name: "IntercomClient",
            dependencies: [
                "IntercomAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The connection lifecycle over the store: connect, check, break, reconnect, revoke.
        .target(
            name: "RelinkService",
            dependencies: [
                "RelinkCore", "RelinkStore", "IntercomClient", "IntercomAPI", "IntercomMock",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command language, rendering, the REPL and the LineEditor.
        .target(
            name: "RelinkCLI",
            dependencies: [
                "RelinkCore", "RelinkStore", "RelinkService", "IntercomClient", "IntercomMock", "CLibEdit",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "relink",
            dependencies: ["RelinkCLI", .product(name: "Logging", package: "swift-log")]
        ),
        // Benchmarks: store open/commit at scale, and the load drivers for the mock and `check --all`.
        // Fixture generators: the demo fixture and large stores (shared by Fixtures/large and the benchmarks).
        .target(name: "RelinkFixtures", dependencies: ["RelinkCore", "RelinkStore", "IntercomMock"]),
        .executableTarget(
            name: "relink-bench",
            dependencies: [
                "RelinkCore", "RelinkStore", "RelinkFixtures", "IntercomMock", "IntercomClient", "RelinkService",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // A child process for the crash and concurrency tests of the store: commits in a loop.
        .executableTarget(name: "store-torture", dependencies: ["RelinkCore", "RelinkStore"]),

        .testTarget(name: "RelinkCoreTests", dependencies: ["RelinkCore"]),
        .testTarget(name: "RelinkStoreTests", dependencies: ["RelinkCore", "RelinkStore"]),
        .testTarget(
            name: "IntercomMockTests",
            dependencies: [
                "IntercomMock", "IntercomAPI",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "IntercomClientTests",
            dependencies: [
                "IntercomClient", "IntercomMock", "IntercomAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RelinkServiceTests",
            dependencies: [
                "RelinkService", "RelinkCore", "RelinkStore", "IntercomClient", "IntercomMock", "RelinkFixtures",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // forkpty for the REPL's end-to-end test through a pseudo-terminal.
        .target(name: "CPseudoTerminal", path: "Tests/CPseudoTerminal", linkerSettings: [.linkedLibrary("util")]),
        .testTarget(
            name: "RelinkCLITests",
            dependencies: ["RelinkCLI", "RelinkCore", "RelinkStore", "RelinkFixtures", "CPseudoTerminal"]
        ),
    ]
)
