import Foundation
import RelinkCommands
import RelinkTestSupport
import Testing

@Suite("relink's process arguments")
struct GlobalOptionsTests {
    @Test func globalOptionsAndBareCommands() async throws {
        let bare = try await runRelink(["--fixture", "demo", "--json", "show", "SUP"])
        #expect(bare.status == 0 && bare.stdout.contains(#""key":"SUP""#))
        let repeated = try await runRelink(["--fixture", "demo", "-c", "projects", "-c", "show SUP"])
        #expect(repeated.status == 0 && repeated.stdout.contains("OPS") && repeated.stdout.contains("App user"))
        #expect(try await runRelink(["--region", "EU", "-c", "help"]).status == 0)
        #expect(try await runRelink(["--region", "mars", "-c", "help"]).status == 2)
        let typo = try await runRelink(["--stor", "/tmp", "-c", "help"])
        #expect(typo.status == 2 && typo.stderr.contains("--store"))
        #expect(try await runRelink(["--script", "f", "-c", "projects"]).status == 2)
    }
}

@Suite("One line, one command, wherever it comes from")
struct SameLineEverywhereTests {
    @Test(
        "A line gives the same output and status through -c, --script, standard input and bare words",
        arguments: ["show SUP", "log WEB --limit 1", "show 'SUP'", "check --all --bogus", "help mock fault add"])
    func sameEverywhere(line: String) async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        #expect(try await runRelink(["--fixture", "demo", "--store", store, "-c", "projects"]).status == 0)
        let script = directory.file("one.relink")
        try (line + "\n").write(to: script, atomically: true, encoding: .utf8)
        let viaC = try await runRelink(["--store", store, "-c", line])
        let viaScript = try await runRelink(["--store", store, "--script", script.path])
        let viaStdin = try await runRelink(["--store", store], input: line + "\n")
        let viaWords = try await runRelink(["--store", store] + (try Words.split(line)))
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

@Suite("Hostile process arguments")
struct HostileArgumentsTests {
    @Test("--fixture into a file or an unwritable place is refused in words, exit 1")
    func fixtureIntoAFile() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("a-file")
        try Data("x".utf8).write(to: file)
        let result = try await runRelink(["--store", file.path, "--fixture", "demo", "-c", "projects"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is a file, not a directory"))
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test(
        "Option values out of range are usage errors, exit 2, never a crash",
        arguments: [
            "mock fault add / rate_limit --seed -1",
            "mock fault add /me latency --latency-min-ms 0 --latency-max-ms 9223372036854775807",
            "mock fault add /me latency --latency-ms 1000000000000",
            "mock fault add /me latency --latency-ms 5 --status 1000",
            "log --limit 99999999999999999999999",
            "mock journal --limit -3",
        ])
    func outOfRange(line: String) async throws {
        let result = try await runRelink(["--fixture", "demo", "-c", line])
        #expect(result.status == 2, "\(result.stderr)")
    }
}

@Suite("A store without its mock world")
struct MissingWorldTests {
    @Test(
        "A missing or dangling world.json is refused by name; no connection is marked broken",
        arguments: ["missing", "dangling link"])
    func missingWorld(how: String) async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store")
        #expect(try await runRelink(["--fixture", "demo", "--store", store.path, "-c", "projects"]).status == 0)
        let world = store.appendingPathComponent("world.json")
        try FileManager.default.removeItem(at: world)
        if how == "dangling link" {
            try FileManager.default.createSymbolicLink(
                atPath: world.path, withDestinationPath: "/nonexistent/world.json")
        }
        let before = try storeFiles(in: store)
        let result = try await runRelink(["--store", store.path, "-c", "check --all"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(world.path), "\(result.stderr)")
        #expect(try storeFiles(in: store) == before, "nothing was written")
        let projects = try await runRelink(["--store", store.path, "--json", "-c", "show SUP"])
        #expect(projects.stdout.contains(#""state":"connected""#))
    }
}

@Suite("Scripts from anywhere")
struct ScriptSourceTests {
    @Test("--script - and --script /dev/stdin read standard input", arguments: ["-", "/dev/stdin"])
    func standardInput(path: String) async throws {
        let result = try await runRelink(["--fixture", "demo", "--script", path], input: "show SUP\nshow BUG\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Customer Support") && result.stdout.contains("Bug Tracker"))
    }

    @Test("A shell's process substitution is a script too")
    func processSubstitution() async throws {
        let relink = try relinkExecutable().path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "'\(relink)' --fixture demo --script <(printf 'show SUP\\n')"]
        var environment = ProcessInfo.processInfo.environment
        environment["RELINK_FIXTURES"] = fixturesDirectory.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: await output.readToEnd(), as: UTF8.self)
        await process.waitForExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("Customer Support"))
    }

    @Test("A script that is not there is named with the system's reason, exit 2")
    func missingScript() async throws {
        let result = try await runRelink(["--fixture", "demo", "--script", "/nonexistent/script.relink"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("No such file or directory") && !result.stderr.contains("NSCocoaErrorDomain"))
    }
}

@Suite("A store the user cannot write")
struct ReadOnlyStoreTests {
    /// relink as a user who may read the store but not write it: as nobody when the tests run as
    /// root (root writes anywhere), else the store's directory made read-only.
    func runReadOnly(_ store: URL, _ arguments: [String]) async throws -> RunResult {
        if getuid() == 0 {
            return try await runProgram(
                URL(fileURLWithPath: "/usr/bin/setpriv"),
                ["--reuid=65534", "--regid=65534", "--clear-groups", try relinkExecutable().path, "--store", store.path]
                    + arguments)
        }
        return try await runRelink(["--store", store.path] + arguments)
    }

    @Test(
        "Reads work and say changes are refused; a change fails with a clear message; nothing is written",
        .enabled(if: getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func readOnly() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store")
        #expect(try await runRelink(["--fixture", "demo", "--store", store.path, "-c", "projects"]).status == 0)
        // Readable by anyone (the secrets too, for this test), writable by nobody but the owner.
        chmod(directory.url.path, 0o755)
        for name in try FileManager.default.contentsOfDirectory(atPath: store.path) {
            chmod(store.appendingPathComponent(name).path, 0o644)
        }
        chmod(store.path, getuid() == 0 ? 0o755 : 0o555)
        defer { chmod(store.path, 0o755) }
        try FileManager.default.removeItem(at: store.appendingPathComponent(".lock"))
        let before = try storeFiles(in: store)

        let read = try await runReadOnly(store, ["-c", "projects", "-c", "show SUP"])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout.contains("Customer Support"))
        #expect(read.stderr.contains("read-only") && read.stderr.contains("changes are refused"))

        let change = try await runReadOnly(store, ["-c", "revoke SUP"])
        #expect(change.status == 1)
        #expect(change.stderr.contains("refuses changes"))
        #expect(!change.stderr.contains("Permission denied."))
        #expect(try storeFiles(in: store) == before, "nothing was written")

        // A check must record its verdict: it refuses before it sends a request, exits 1, and no
        // raw log line reaches the person. The mock's journal shows no request was made.
        for command in ["check SUP", "check --all", "comment SUP-12 refused before it is sent", "mock fault add /me drop"] {
            let refused = try await runReadOnly(store, ["-c", command])
            #expect(refused.status == 1, "\(command): \(refused.stdout) \(refused.stderr)")
            #expect(refused.stderr.contains("refuses changes"), "\(command): \(refused.stderr)")
            #expect(!refused.stdout.contains("transient"), "\(command): \(refused.stdout)")
            #expect(!refused.stderr.contains("relink.service") && !refused.stderr.contains(" error "), "\(refused.stderr)")
        }
        let journal = try await runReadOnly(store, ["-c", "mock journal"])
        #expect(journal.stdout.contains("no request"), "nothing was sent: \(journal.stdout)")
        #expect(try storeFiles(in: store) == before, "nothing was written")
    }
}

@Suite("The demo fixture built in")
struct BuiltInFixtureTests {
    /// Runs a copy of relink from a directory of its own, far from the checkout and its Fixtures,
    /// as an installed relink runs.
    func runInstalled(_ arguments: [String], in directory: TemporaryDirectory) async throws -> RunResult {
        let installed = directory.file("bin/relink")
        try install(try relinkExecutable(), at: installed)
        return try await runProgram(installed, arguments, environment: ["RELINK_FIXTURES": nil], in: directory.url)
    }

    @Test("a relink copied away from its checkout has the demo, the same as Fixtures/demo")
    func installedRelinkHasTheDemo() async throws {
        let directory = try TemporaryDirectory()
        let commands = ["--json", "-c", "projects", "-c", "show WEB", "-c", "log", "-c", "verify"]
        let installed = try await runInstalled(["--fixture", "demo"] + commands, in: directory)
        #expect(installed.status == 0, "\(installed.stderr)")
        let fromFiles = try await runRelink(["--fixture", "demo"] + commands)
        #expect(fromFiles.status == 0)
        // The same records: only the store's path (in verify's document) differs.
        func withoutPaths(_ text: String) -> [String] {
            text.split(separator: "\n").filter { !$0.contains("\"path\"") && !$0.contains("/tmp") }.map(String.init)
        }
        #expect(withoutPaths(installed.stdout) == withoutPaths(fromFiles.stdout))
        #expect(installed.stdout.contains("\"WEB\""))

        // --store DIR --fixture demo keeps the copy; a second run opens it as it was left.
        let kept = directory.file("kept").path
        let first = try await runInstalled(["--store", kept, "--fixture", "demo", "-c", "revoke WEB"], in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        let again = try await runInstalled(["--store", kept, "-c", "show WEB"], in: directory)
        #expect(again.stdout.contains("Not connected"), "\(again.stdout)")

        let unknown = try await runInstalled(["--fixture", "nope", "-c", "projects"], in: directory)
        #expect(unknown.status == 1 && unknown.stderr.contains("built in: demo"), "\(unknown.stderr)")
    }
}

@Suite("relink-bench on its own")
struct BenchOnItsOwnTests {
    @Test("run from PATH, away from the checkout, the store benchmark measures relink; --no-tinydb skips TinyDB")
    func storeBenchFromPath() async throws {
        let directory = try TemporaryDirectory()
        let bin = directory.file("bin")
        try install(try builtExecutable("relink-bench"), at: bin.appendingPathComponent("relink-bench"))
        let path = bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try await runProgram(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["relink-bench", "store", "--sizes", "20", "--commits", "2", "--no-tinydb", "--work", directory.file("work").path],
            environment: ["PATH": path], in: directory.url)
        let stdout = result.stdout
        #expect(result.status == 0, "\(result.stderr)")
        #expect(stdout.contains("TinyDB's rows are skipped: --no-tinydb."))
        #expect(stdout.split(separator: "\n").contains { $0.hasPrefix("20 ") && $0.contains("relink") }, "\(stdout)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }
}
