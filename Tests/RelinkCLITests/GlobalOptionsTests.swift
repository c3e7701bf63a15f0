import Foundation
import Testing

@Suite("relink's process arguments")
struct GlobalOptionsTests {
    @Test func globalOptionsAndBareCommands() throws {
        let bare = try runRelink(["--fixture", "demo", "--json", "show", "SUP"])
        #expect(bare.status == 0 && bare.stdout.contains(#""key":"SUP""#))
        let repeated = try runRelink(["--fixture", "demo", "-c", "projects", "-c", "show SUP"])
        #expect(repeated.status == 0 && repeated.stdout.contains("OPS") && repeated.stdout.contains("App user"))
        #expect(try runRelink(["--region", "EU", "-c", "help"]).status == 0)
        #expect(try runRelink(["--region", "mars", "-c", "help"]).status == 2)
        let typo = try runRelink(["--stor", "/tmp", "-c", "help"])
        #expect(typo.status == 2 && typo.stderr.contains("--store"))
        #expect(try runRelink(["--script", "f", "-c", "projects"]).status == 2)
    }
}
