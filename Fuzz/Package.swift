// swift-tools-version:6.1
// relink's fuzz targets: a package of their own, so that a plain `swift build` of relink never sees
// them. Each target is an executable that exports LLVMFuzzerTestOneInput; libFuzzer supplies main.
//
//   swift build --package-path Fuzz -c release --sanitize=fuzzer --product FuzzCommandLine
//
// `make fuzz` builds and runs both for a bounded time; see Fuzz/README.md.
import Foundation
import PackageDescription

// A path dependency is named after its directory, which is the checkout's name.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let relink = root.lastPathComponent.lowercased()

let package = Package(
    name: "relink-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzCommandLine",
            dependencies: [.product(name: "RelinkCommands", package: relink)],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "FuzzStoreFiles",
            dependencies: [.product(name: "RelinkStore", package: relink)],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
