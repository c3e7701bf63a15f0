import Foundation
import RelinkTestSupport
import Testing

@Suite("config from the command line", .serialized)
struct ConfigCommandLineTests {
    /// The JSON documents a `--json` run printed, one per line.
    static func documents(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("config set intercom-version reaches the requests: the mock's journal sees the version sent")
    func configuredVersionIsSent() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.url.appendingPathComponent("store").path
        let script = "config set intercom-version 2.11\ncheck SUP\nmock journal --limit 1\n"
        let run = try await runRelink(["--fixture", "demo", "--store", store, "--json", "--script", "-"], input: script)
        #expect(run.status == 0, "\(run.stderr)")
        let journal = try #require(try Self.documents(run.stdout).last?["journal"] as? [[String: Any]])
        #expect(journal.first?["path"] as? String == "/me")
        #expect(journal.first?["intercom_version"] as? String == "2.11")

        // The default once unset, and a change after Intercom was first used counts at once.
        let again = try await runRelink(
            ["--store", store, "--json", "--script", "-"],
            input: "config unset intercom-version\ncheck SUP\nmock journal --limit 1\n"
                + "config set intercom-version Preview\ncheck SUP\nmock journal --limit 1\n")
        let documents = try Self.documents(again.stdout)
        #expect(again.status == 0, "\(again.stderr)")
        let unset = try #require(documents[2]["journal"] as? [[String: Any]])
        #expect(unset.first?["intercom_version"] as? String == "2.14")
        let changed = try #require(documents.last?["journal"] as? [[String: Any]])
        #expect(changed.first?["intercom_version"] as? String == "Preview")
    }

    @Test("config set client-secret reads the secret from standard input, never prints it, keeps it 0600")
    func secretFromStandardInput() async throws {
        let secret = "fake-piped-secret-Qx7"
        let directory = try TemporaryDirectory()
        let store = directory.url.appendingPathComponent("store").path
        let set = try await runRelink(["--store", store, "-c", "config set client-secret"], input: secret + "\n")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(!set.stdout.contains(secret) && !set.stderr.contains(secret))
        let shown = try await runRelink(["--store", store, "--json", "-c", "config"])
        let settings = try #require(try Self.documents(shown.stdout).first?["settings"] as? [[String: Any]])
        let entry = try #require(settings.first { $0["name"] as? String == "client-secret" })
        #expect(entry["value"] as? String == "[redacted]" && entry["source"] as? String == "store")
        #expect(!shown.stdout.contains(secret))
        let secrets = URL(fileURLWithPath: store).appendingPathComponent("secrets.jsonl")
        #expect(try String(contentsOf: secrets, encoding: .utf8).contains(secret))

        // Nothing on standard input: refused, saying how to give it.
        let empty = try await runRelink(["--store", store, "-c", "config set client-secret"])
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("INTERCOM_CLIENT_SECRET"))
    }

    @Test("connecting to the real API without an OAuth app is one clear message, before any request")
    func missingSettingsAreOneMessage() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.url.appendingPathComponent("store").path
        let unset = try await runRelink(
            ["--fixture", "demo", "--store", store, "-c", "config unset client-id", "-c", "config unset client-secret"])
        #expect(unset.status == 0, "\(unset.stderr)")
        let run = try await runRelink(
            ["--store", store, "--endpoint", "https://api.intercom.io", "-c", "connect OPS"],
            environment: ["INTERCOM_CLIENT_ID": "", "INTERCOM_CLIENT_SECRET": ""])
        #expect(run.status == 1)
        let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("config set client-id") && run.stderr.contains("Developer Hub"))
    }

    @Test(
        "An invalid setting value is bad usage: exit 2, with its own code, and nothing is kept",
        arguments: [
            ("config set region mars", "unknown_region"), ("config set intercom-version 9.9", "unknown_intercom_version"),
            ("config set redirect-url http://example.com/cb", "redirect_url_insecure"),
            ("config set authorize-url http://app.intercom.com/oauth", "authorize_url_invalid"),
        ])
    func invalidValuesAreUsage(line: String, code: String) async throws {
        let directory = try TemporaryDirectory()
        let store = directory.url.appendingPathComponent("store").path
        let run = try await runRelink(["--fixture", "demo", "--store", store, "--json", "-c", line])
        #expect(run.status == 2, "\(line): \(run.stdout) \(run.stderr)")
        #expect((run.stdout + run.stderr).contains(#""code":"\#(code)""#), "\(line): \(run.stdout)")
        let shown = try await runRelink(["--store", store, "-c", "config"])
        #expect(!shown.stdout.contains("mars") && !shown.stdout.contains("9.9") && !shown.stdout.contains("example.com"))
    }
}
