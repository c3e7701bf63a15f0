import Foundation
import RelinkTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("relink on the command line")
struct CommandLineTests {
    func demoStore() async throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        let result = try await runRelink(["--fixture", "demo", "--store", store, "-c", "projects"])
        #expect(result.status == 0, "\(result.stderr)")
        return (directory, store)
    }

    @Test func projectsAndShowAsJSONFollowTheDesign() async throws {
        let (directory, store) = try await demoStore()
        _ = directory
        let result = try await runRelink(["--store", store, "--json", "-c", "show WEB", "-c", "projects"])
        #expect(result.status == 0)
        let documents = result.stdout.split(separator: "\n")
        #expect(documents.count == 2, "one JSON document per command")
        let show = try #require(try JSONSerialization.jsonObject(with: Data(documents[0].utf8)) as? [String: Any])
        for key in ["key", "name", "indicator", "state", "warning", "workspace", "appUser", "settings", "links"] {
            #expect(show.keys.contains(key), "show --json lacks \(key)")
        }
        #expect(show["indicator"] as? String == "yellow" && show["state"] as? String == "broken")
        #expect((show["warning"] as? String)?.contains("Reconnect") == true)
        #expect((show["workspace"] as? [String: Any])?["region"] as? String == "US")
        #expect((show["appUser"] as? [String: Any])?.keys.sorted() == ["email", "id", "name"])
        let projects = try #require(try JSONSerialization.jsonObject(with: Data(documents[1].utf8)) as? [String: Any])
        let list = try #require(projects["projects"] as? [[String: Any]])
        #expect(list.map { $0["key"] as? String } == ["BUG", "OPS", "SUP", "WEB"])
        #expect(list.first { $0["key"] as? String == "OPS" }?["workspace"] is NSNull)
    }

    /// SIGINT in `-c` mode cancels the running command (a check waiting on a 60 s latency fault)
    /// and ends relink with exit status 130 after its clean-up, without waiting for the mock.
    @Test func sigintEndsACommandWithExitStatus130() async throws {
        let (directory, store) = try await demoStore()
        _ = directory
        let process = Process()
        process.executableURL = try relinkExecutable()
        process.arguments = [
            "--store", store, "-c", "mock fault add /me latency --latency-ms 60000", "-c", "check SUP",
        ]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errors = ErrorCollector(stderr.fileHandleForReading)
        // Any time after relink catches SIGINT will do: a signal that comes before `check` starts
        // waits on the pipe and cancels it as soon as it does.
        #expect(await waitUntilCatching(SIGINT, pid: process.processIdentifier, executable: try relinkExecutable()))
        let clock = ContinuousClock()
        let sent = clock.now
        kill(process.processIdentifier, SIGINT)
        _ = await stdout.readToEnd()
        await process.waitForExit()
        let elapsed = clock.now - sent
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130, "\(errors.text())")
        // Not a timing test: the bound only tells "did not wait for the 60-s answer" apart, with
        // room for a machine loaded to a load average of 36 (where 10 s was once too short).
        #expect(elapsed < .seconds(45), "relink took \(elapsed) to end")
        #expect(errors.text().contains("interrupted"))
        // Nothing was recorded for the interrupted check.
        let log = try await runRelink(["--store", store, "-c", "log SUP"])
        #expect(!log.stdout.contains("relink check"), "\(log.stdout)")
    }

    @Test func exitCodesAreZeroOneAndTwo() async throws {
        let (directory, store) = try await demoStore()
        _ = directory
        #expect(try await runRelink(["--store", store, "-c", "show SUP"]).status == 0)
        let unknown = try await runRelink(["--store", store, "-c", "show SUPP"])
        #expect(unknown.status == 1 && unknown.stderr.contains("did you mean SUP?"))
        let usage = try await runRelink(["--store", store, "-c", "shwo SUP"])
        #expect(usage.status == 2 && usage.stderr.contains(#"did you mean "show"?"#))
        #expect(try await runRelink(["--store", store, "--bogus"]).status == 2)
        let refused = try await runRelink(["--store", store, "-c", "revoke OPS"])
        #expect(refused.status == 1 && refused.stderr.contains("not connected"))
    }

    @Test func aScriptStopsAtItsFirstFailureUnlessToldToKeepGoing() async throws {
        let (directory, store) = try await demoStore()
        let script = directory.file("script.relink")
        try "show SUP\nshow NOPE\nshow BUG\n".write(to: script, atomically: true, encoding: .utf8)
        let stopped = try await runRelink(["--store", store, "--script", script.path])
        #expect(stopped.status == 1)
        #expect(stopped.stdout.contains("Customer Support") && !stopped.stdout.contains("Bug Tracker"))
        #expect(stopped.stderr.contains("line 2"))
        let kept = try await runRelink(["--store", store, "--keep-going", "--script", script.path])
        #expect(kept.status == 1 && kept.stdout.contains("Bug Tracker"))
        let piped = try await runRelink(["--store", store], input: "show SUP\nshow BUG\n")
        #expect(piped.status == 0 && piped.stdout.contains("Bug Tracker"))
    }

    @Test func noColourOffATerminal() async throws {
        let (directory, store) = try await demoStore()
        _ = directory
        let result = try await runRelink(["--store", store, "-c", "projects"])
        #expect(!result.stdout.contains("\u{1B}["))
        #expect(result.stdout.contains("● yellow"))
    }

    @Test func aDamagedStoreIsNamedAndExitsNonZeroWithItsBytesKept() async throws {
        let (directory, store) = try await demoStore()
        _ = directory
        let state = URL(fileURLWithPath: store).appendingPathComponent("state.json")
        let damaged = Data(try Data(contentsOf: state).prefix(200))
        try damaged.write(to: state)
        let result = try await runRelink(["--store", store, "-c", "projects"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(state.path) && result.stderr.contains("truncated"))
        #expect(try Data(contentsOf: state) == damaged)
    }

    @Test func theFixtureItselfIsLeftUntouched() async throws {
        let before = try FileManager.default.contentsOfDirectory(
            atPath: fixturesDirectory.appendingPathComponent("demo").path
        ).sorted()
        let state = try Data(contentsOf: fixturesDirectory.appendingPathComponent("demo/state.json"))
        let result = try await runRelink(["--fixture", "demo", "-c", "revoke SUP", "-c", "show SUP"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Not connected"))
        #expect(try Data(contentsOf: fixturesDirectory.appendingPathComponent("demo/state.json")) == state)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: fixturesDirectory.appendingPathComponent("demo").path)
                .sorted() == before)
    }
}

@Suite("check --exit-code")
struct CheckExitCodeTests {
    @Test("exit 3 when a connection checked is broken, 0 when all are healthy; a chain goes on after it")
    func exitCodeSaysSomethingIsBroken() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        #expect(try await runRelink(["--fixture", "demo", "--store", store, "-c", "projects"]).status == 0)
        // Without the flag a broken connection still exits 0, as before.
        #expect(try await runRelink(["--store", store, "-c", "check WEB"]).status == 0)
        let healthy = try await runRelink(["--store", store, "-c", "check SUP --exit-code"])
        #expect(healthy.status == 0, "\(healthy.stderr)")
        let chain = try await runRelink(["--store", store, "-c", "check --all --exit-code", "-c", "show SUP"])
        #expect(chain.status == 3, "\(chain.stderr)")
        #expect(chain.stdout.contains("Checked 3") && chain.stdout.contains("Intercom integration"), "the chain went on")
        #expect(chain.stderr.isEmpty, "a finding is not an error: \(chain.stderr)")
        let json = try await runRelink(["--store", store, "--json", "-c", "check WEB --exit-code"])
        #expect(json.status == 3)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["notChecked"] != nil && document["error"] == nil, "the check's own document")
        // A failure still wins over the finding: it is the first failure's status.
        let failing = try await runRelink([
            "--store", store, "--keep-going", "-c", "check WEB --exit-code", "-c", "show NOPE",
        ])
        #expect(failing.status == 1)
        // Repaired, the same monitor exits 0.
        #expect(try await runRelink(["--store", store, "-c", "reconnect WEB"]).status == 0)
        #expect(try await runRelink(["--store", store, "-c", "check --all --exit-code"]).status == 0)
    }
}

@Suite("--echo")
struct EchoTests {
    @Test("each command is printed before its output; comments are not; a secret is redacted; JSON stays clean")
    func echoesCommands() async throws {
        let directory = try TemporaryDirectory()
        let script = directory.file("echo.relink")
        try "# a comment\n\nprojects\nreconnect SUP --as alice@acme.test --password hunter2-secret\nshow SUP\n"
            .write(to: script, atomically: true, encoding: .utf8)
        let text = try await runRelink(["--fixture", "demo", "--echo", "--keep-going", "--script", script.path])
        let lines = text.stdout.split(separator: "\n").map(String.init)
        let echoed = lines.filter { $0.hasPrefix("relink> ") }
        #expect(
            echoed == [
                "relink> projects", "relink> reconnect SUP --as alice@acme.test --password [redacted]",
                "relink> show SUP",
            ], "\(echoed)")
        #expect(lines.first == "relink> projects" && lines[1].hasPrefix("KEY"), "the echo comes before the output")
        #expect(!text.stdout.contains("hunter2") && !text.stderr.contains("hunter2"))
        let json = try await runRelink(["--fixture", "demo", "-e", "--json", "-c", "projects", "-c", "show SUP"])
        #expect(json.status == 0)
        for line in json.stdout.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "\(line)")
        }
        #expect(json.stderr.contains("relink> projects") && json.stderr.contains("relink> show SUP"))
    }
}

@Suite("Help's entry points say where the others are")
struct HelpEntryPointsTests {
    @Test("relink --help, relink help, relink help mock, relink help mock serve and mock serve --help point to each other")
    func entryPoints() async throws {
        let root = try await runRelink(["--help"])
        #expect(root.status == 0 && root.stdout.contains("relink help GROUP"), "\(root.stdout)")
        let overview = try await runRelink(["help"])
        #expect(overview.status == 0 && overview.stdout.split(separator: "\n").count <= 23)
        #expect(overview.stdout.replacingOccurrences(of: "\n", with: " ").contains("relink mock serve --help"))
        let mock = try await runRelink(["help", "mock"])
        #expect(mock.stdout.contains("mock fault add") && mock.stdout.contains("relink mock serve --help"))
        let serve = try await runRelink(["help", "mock", "serve"])
        #expect(serve.status == 0 && serve.stdout.contains("run from the shell"), "\(serve.stdout) \(serve.stderr)")
        let serveHelp = try await runRelink(["mock", "serve", "--help"])
        #expect(serveHelp.status == 0 && serveHelp.stdout.contains("USAGE: relink mock serve"), "\(serveHelp.stdout)")
    }
}

@Suite("Review findings of issue 27 and 28, pinned")
struct ReviewFindingsTests {
    @Test("a file-size limit (ulimit -f) stops a run of project adds with an error naming journal.jsonl, exit 1; the store verifies")
    func fileSizeLimitIsAnErrorNotASignal() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        #expect(try await runRelink(["--fixture", "demo", "--store", store, "-c", "projects"]).status == 0)
        let script = directory.file("adds.relink")
        try (1...200).map { "project add P\($0) Project number \($0) with a name long enough to grow the journal" }
            .joined(separator: "\n").write(to: script, atomically: true, encoding: .utf8)
        let relink = try relinkExecutable().path
        let result = try await offThePool { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            // 8 blocks of 512 bytes: the journal passes it within a few adds.
            process.arguments = ["-c", "ulimit -f 8; exec \"$0\" --store \"$1\" --script \"$2\"", relink, store, script.path]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationReason == .exit, "ended by a signal (SIGXFSZ?): \(text)")
            return (process.terminationStatus, text)
        }
        #expect(result.0 == 1, "\(result.1)")
        #expect(result.1.contains("journal.jsonl") && result.1.contains("File too large"), "\(result.1)")
        let verify = try await runRelink(["--store", store, "-c", "verify"])
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
        #expect(verify.stdout.contains("Every record reads"))
    }

    @Test("--json help GROUP, all and mock serve answer what the text help lists")
    func jsonHelpOfGroups() async throws {
        for (topic, expected) in [("connections", "reconnect"), ("mock", "world"), ("all", "quit"), ("page", "ui")] {
            let result = try await runRelink(["--json", "-c", "help \(topic)"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("\"name\":\"\(expected)\""), "\(topic): \(result.stdout)")
        }
    }

    @Test("--echo redacts a secret the store holds, wherever it stands on the line")
    func echoRedactsStoredSecrets() async throws {
        let result = try await runRelink(["--fixture", "demo", "--echo", "-c", "show fake-password-alice"])
        #expect(result.stdout.contains("relink> show [redacted]"), "\(result.stdout)")
        #expect(!result.stdout.contains("fake-password-alice") && !result.stderr.contains("fake-password-alice"))
    }
}

@Suite("project add takes the rest of the line as the name")
struct ProjectAddNameTests {
    @Test("a name with spaces needs no quotes; a mistyped option in it is refused, a secret never kept")
    func restOfTheLine() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        let added = try await runRelink([
            "--fixture", "demo", "--store", store, "-c", "project add HR Human Resources Ünïcode - Paris",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("Added HR (Human Resources Ünïcode - Paris)"))
        for line in ["project add QA Team -password hunter2-typed", "project add QA Team --Password=hunter2-typed"] {
            let refused = try await runRelink(["--store", store, "-c", line])
            #expect(refused.status == 2, "\(line): \(refused.stderr)")
            #expect(!refused.stderr.contains("hunter2") && !refused.stdout.contains("hunter2"))
        }
        let site = try await runRelink(["--store", store, "-c", "project add QA Quality -site qa.atlassian.net"])
        #expect(site.status == 2 && site.stderr.contains("did you mean --site?"), "\(site.stderr)")
        let missing = try await runRelink(["--store", store, "-c", "project add QA"])
        #expect(missing.status == 2 && missing.stderr.contains("NAME…"), "\(missing.stderr)")
        // Nothing refused reached the store's files.
        for file in try FileManager.default.contentsOfDirectory(atPath: store) {
            let text = (try? String(contentsOfFile: store + "/" + file, encoding: .utf8)) ?? ""
            #expect(!text.contains("hunter2"), "\(file)")
        }
    }
}
