// swift-tools-version:6.1
import PackageDescription

// relink builds on Linux only: the line editor, the store's locks and the pseudo-terminal tests use
// Glibc calls. Docs/architecture.md draws the target graph and says what each target owns.
let package = Package(
    name: "relink",
    products: [
        .executable(name: "relink", targets: ["relink"]),
        // For the fuzz targets in Fuzz/, a package of their own that depends on this one.
        .library(name: "RelinkCommands", targets: ["RelinkCommands"]),
        .library(name: "RelinkStore", targets: ["RelinkStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        // Test-time certificates for the real-API stand-in (Tests/RealAPIStandIn): no openssl binary needed.
        // swift-asn1 comes with it already; named here because the stand-in imports it (PEM output).
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.1.0"),
    ],
    targets: [
        // The domain: projects, connections, the lifecycle state machine, token ids (a SHA-256 of the
        // token, hence Crypto). No I/O.
        .target(name: "RelinkCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Intercom's wire shapes and the contract of a client: what the real API and the mock share.
        .target(name: "IntercomAPI", dependencies: ["RelinkCore"]),
        // The mock's fault as a value (FaultSpec): one type for `mock fault add`, the control API and
        // mock-faults.json. Depends on nothing, so the command language can name it and stay cheap.
        .target(name: "IntercomMockFaults"),
        // The mock Intercom's world as values: workspaces, teammates, tokens, break causes, faults and
        // the control API's bodies. No server, no HTTP.
        .target(
            name: "IntercomMockWorld",
            dependencies: [
                "RelinkCore", "IntercomAPI", "IntercomMockFaults", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The file engine beneath the store, knowing no relink type: atomic files, file identity and lock,
        // regular-file-only opens, CRC-32C checksums of files and journal lines, the store's errors.
        .target(name: "JournaledFiles", dependencies: ["CRelinkChecksum"]),
        // The durable JSON store that owns one directory: relink's records, secrets, settings and history.
        .target(name: "RelinkStore", dependencies: ["RelinkCore", "JournaledFiles", "CRelinkChecksum"]),
        // The mock's persistence in relink's store directory: world.json, world-baseline.json, its faults
        // and request journal (WorldPersistence, MockActivityPersistence), under the store's locks.
        .target(
            name: "IntercomMockStore", dependencies: ["RelinkCore", "RelinkStore", "JournaledFiles", "IntercomMockWorld"]
        ),
        // Support bundles: relink's records and the mock's world, redacted for export and rebuilt with
        // fresh fake secrets on import. They model the mock on purpose.
        .target(
            name: "SupportBundles",
            dependencies: ["RelinkCore", "RelinkStore", "JournaledFiles", "IntercomMockStore", "IntercomMockWorld"]
        ),
        // CRC-32C over the store's files (SSE4.2 when the CPU has it): damage found at open
        // without decoding every record.
        .target(name: "CRelinkChecksum"),
        // The client for Intercom's API (real or mock) over AsyncHTTPClient, and the redirect listener.
        .target(
            name: "IntercomClient",
            dependencies: [
                "IntercomAPI", "RelinkCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The mock Intercom's HTTP server: Intercom's routes and the control API under /__mock/.
        .target(
            name: "IntercomMock",
            dependencies: [
                "IntercomAPI", "IntercomMockWorld", "RelinkCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Talks to a running mock: its control API and its simulated login.
        .target(
            name: "IntercomMockControl",
            dependencies: [
                "IntercomAPI", "IntercomMockWorld", "IntercomClient", "RelinkCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The connection lifecycle over the store, reaching Intercom only through IntercomGateway and
        // WorldControl: connect, check, break, reconnect, revoke.
        .target(
            name: "RelinkService",
            dependencies: [
                "RelinkCore", "RelinkStore", "IntercomAPI", "IntercomMockWorld",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The REPL's command language as one table: the command type, the words splitter, the parser,
        // help and completion. Only the domain and the mock's fault value beneath it: cheap to test and
        // to fuzz.
        .target(name: "RelinkCommands", dependencies: ["RelinkCore", "IntercomMockFaults"]),
        // libedit, wrapped by LineEditor in RelinkCLI.
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // SIGINT, SIGTERM and SIGHUP as bytes on a pipe, for the REPL and for stopping a running command.
        .target(name: "CInterrupts"),
        // Running commands: the executor, presenters, the REPL, the script runner and the LineEditor.
        .target(
            name: "RelinkCLI",
            dependencies: [
                "RelinkCommands", "RelinkCore", "RelinkStore", "RelinkService", "IntercomAPI", "IntercomMockWorld",
                "IntercomMockStore", "SupportBundles", "CLibEdit", "CInterrupts",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The settings page in a browser (issue 29): Hummingbird on loopback over the store, live over
        // Server-Sent Events; its actions go through a backend the composition root implements.
        .target(
            name: "RelinkUI",
            dependencies: [
                "RelinkCore", "RelinkStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The composition root: arguments, the store, the built-in mock, the HTTP client and the service.
        .executableTarget(
            name: "relink",
            dependencies: [
                "RelinkCLI", "RelinkCommands", "RelinkCore", "RelinkStore", "RelinkService", "IntercomAPI",
                "IntercomClient", "IntercomMock", "IntercomMockWorld", "IntercomMockControl", "IntercomMockStore",
                // The demo fixture is built in, so that an installed relink has its demo.
                "RelinkFixtures",
                "RelinkUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Fixture generators: the demo fixture and large stores (shared by Fixtures/large and the benchmarks).
        .target(
            name: "RelinkFixtures", dependencies: ["RelinkCore", "RelinkStore", "IntercomMockStore", "IntercomMockWorld"]
        ),
        // Benchmarks: store open/commit at scale, and the load drivers for the mock and `check --all`.
        .executableTarget(
            name: "relink-bench",
            dependencies: [
                "RelinkCore", "RelinkStore", "RelinkFixtures", "RelinkService", "IntercomAPI", "IntercomClient",
                "IntercomMock", "IntercomMockWorld", "IntercomMockControl", "IntercomMockStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A child process for the crash and concurrency tests of the store: commits in a loop.
        .executableTarget(
            name: "store-torture",
            dependencies: ["RelinkCore", "RelinkStore", "IntercomMockStore", "IntercomMockWorld", "SupportBundles"]
        ),

        // Test support, light: temporary directories, built executables, test worlds, in-memory fakes.
        .target(
            name: "RelinkTestSupport",
            dependencies: [
                "RelinkCore", "RelinkStore", "IntercomAPI", "IntercomMockWorld",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/RelinkTestSupport"
        ),
        // Test support with a live mock server: only for the tests that need one.
        .target(
            name: "LiveMockSupport",
            dependencies: [
                "RelinkTestSupport", "RelinkCore", "RelinkStore", "RelinkService", "RelinkFixtures", "IntercomAPI",
                "IntercomClient", "IntercomMock", "IntercomMockWorld", "IntercomMockControl", "IntercomMockStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/LiveMockSupport"
        ),
        // Test support for the end-to-end tests against Intercom's real API (issue 25): a stand-in that
        // speaks only the real API over HTTPS with a certificate made at test time, and a CONNECT proxy.
        // Never the mock's modules: nothing here may reach /__mock/.
        .target(
            name: "RealAPIStandIn",
            dependencies: [
                "IntercomAPI", "RelinkCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/RealAPIStandIn"
        ),
        // forkpty for the REPL's end-to-end test through a pseudo-terminal.
        .target(name: "CPseudoTerminal", path: "Tests/CPseudoTerminal", linkerSettings: [.linkedLibrary("util")]),

        .testTarget(name: "RelinkCoreTests", dependencies: ["RelinkCore"]),
        // Golden/ holds help as a person reads it, compared by path (#filePath), not as a resource.
        .testTarget(
            name: "RelinkCommandsTests", dependencies: ["RelinkCommands", "RelinkCore", "IntercomMockFaults"],
            exclude: ["Golden"]),
        .testTarget(
            name: "RelinkStoreTests",
            dependencies: ["RelinkCore", "RelinkStore", "IntercomMockStore", "IntercomMockWorld", "RelinkTestSupport"]
        ),
        .testTarget(
            name: "IntercomMockTests",
            dependencies: [
                "IntercomMock", "IntercomMockWorld", "IntercomMockStore", "IntercomAPI", "RelinkCore", "RelinkStore",
                "RelinkTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "IntercomClientTests",
            dependencies: [
                "IntercomClient", "IntercomMockControl", "IntercomMockWorld", "IntercomMock", "IntercomAPI", "RelinkCore",
                "LiveMockSupport", "RelinkTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RelinkServiceTests",
            dependencies: [
                "RelinkService", "RelinkCore", "RelinkStore", "RelinkFixtures", "IntercomAPI", "IntercomMockWorld",
                "IntercomMockControl", "IntercomMockStore", "RelinkTestSupport", "LiveMockSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RealAPIStandInTests",
            dependencies: [
                "RealAPIStandIn", "IntercomAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "RelinkUITests",
            dependencies: ["RelinkUI", "RelinkCore", "RelinkStore", "RelinkFixtures", "RelinkTestSupport"]
        ),
        .testTarget(
            name: "RelinkCLITests",
            dependencies: [
                "RelinkCLI", "RelinkCommands", "RelinkCore", "RelinkStore", "RelinkFixtures", "RelinkTestSupport",
                "CPseudoTerminal", "IntercomMockWorld", "IntercomMockControl", "IntercomMockStore", "SupportBundles",
                // The real-API stand-in and CONNECT proxy for the end-to-end tests through the binary (issue 25).
                "RealAPIStandIn",
            ]
        ),
    ]
)
