import Foundation
import RelinkStore
import RelinkTestSupport
import Testing

@Suite("The support bundle")
struct ExportTests {
    @Test func noSecretsBytesAppearAnywhereInTheBundle() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        let bundle = directory.file("bundle").path
        let result = try await runRelink([
            "--fixture", "demo", "--store", store,
            "-c", "connect OPS --as alice@acme.test", "-c", "break SUP password-changed", "-c", "check --all",
            "-c", "export \(bundle)",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let secrets = try Store(directory: URL(fileURLWithPath: store)).allSecrets
        #expect(secrets.count >= 6, "tokens, mock passwords and the client secret")
        let files = try FileManager.default.contentsOfDirectory(atPath: bundle)
        #expect(Set(files).isSuperset(of: ["projects.json", "connections.json", "events.json", "world.json"]))
        for file in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: bundle).appendingPathComponent(file))
            for secret in secrets {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds a secret")
            }
        }
        let events = try String(contentsOfFile: bundle + "/events.json", encoding: .utf8)
        #expect(events.contains("password-changed"))
        #expect(
            try await runRelink(["--store", store, "-c", "export \(bundle)"]).status == 1, "never exports over a bundle"
        )
    }
}
