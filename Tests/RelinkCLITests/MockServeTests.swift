import Foundation
import IntercomMockControl
import RelinkTestSupport
import Testing

@Suite("relink mock serve")
struct MockServeTests {
    /// `--store` is also a global option; argument-parser gave it to the root command, and the
    /// mock served the default store's world. The child's default store is an empty directory
    /// here, so serving it shows no teammates.
    @Test("mock serve --store DIR serves DIR's world")
    func servesTheNamedStore() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        #expect(try await runRelink(["--fixture", "demo", "--store", store, "-c", "projects"]).status == 0)
        let emptyHome = directory.file("home").path
        let server = try ChildProcess(
            try relinkExecutable(), ["mock", "serve", "--port", "0", "--store", store, "--quiet"],
            environment: ["HOME": emptyHome, "XDG_DATA_HOME": emptyHome + "/data"])
        let baseURL = try #require(await server.nextLine())
        let world = try await MockControlClient(baseURL: baseURL).world()
        await server.kill()
        #expect(world.teammates.map(\.email).contains("alice@acme.test"))
        #expect(world.workspaces.map(\.idCode).contains("acme4sup"))
    }
}
