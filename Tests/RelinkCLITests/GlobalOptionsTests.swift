import Foundation
import RelinkCommands
import RelinkTestSupport
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

@Suite("One line, one command, wherever it comes from")
struct SameLineEverywhereTests {
    @Test(
        "A line gives the same output and status through -c, --script, standard input and bare words",
        arguments: ["show SUP", "log WEB --limit 1", "show 'SUP'", "check --all --bogus", "help mock fault add"])
    func sameEverywhere(line: String) throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        #expect(try runRelink(["--fixture", "demo", "--store", store, "-c", "projects"]).status == 0)
        let script = directory.file("one.relink")
        try (line + "\n").write(to: script, atomically: true, encoding: .utf8)
        let viaC = try runRelink(["--store", store, "-c", line])
        let viaScript = try runRelink(["--store", store, "--script", script.path])
        let viaStdin = try runRelink(["--store", store], input: line + "\n")
        let viaWords = try runRelink(["--store", store] + (try Words.split(line)))
        // A script also says where it stopped; the command's own words are the same.
        func own(_ stderr: String) -> String {
            stderr.split(separator: "\n").filter { !$0.hasPrefix("relink: stopped at") }.joined(separator: "\n")
        }
        for other in [viaScript, viaStdin, viaWords] {
            #expect(other.status == viaC.status)
            #expect(other.stdout == viaC.stdout)
            #expect(own(other.stderr) == own(viaC.stderr))
        }
    }
}
