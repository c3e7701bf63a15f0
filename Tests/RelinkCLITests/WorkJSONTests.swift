import Foundation
import RelinkTestSupport
import Testing

/// The app's work as `--json` shows it: one document per command, the links in the app's shape,
/// the outbox on `show`, and what a reconnect delivered in the reconnect's own document.
@Suite("The app's work as JSON")
struct WorkJSONTests {
    @Test func heldThenDeliveredByReconnect() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.url.appendingPathComponent("store").path
        #expect(try await runRelink(["--store", store, "--fixture", "demo", "-c", "projects"]).status == 0)
        let result = try await runRelink([
            "--store", store, "--json", "-c", "comment WEB-3 Ünïcode <ok>", "-c", "show WEB", "-c", "reconnect WEB",
            "-c", "outbox WEB",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let documents = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(documents.count == 4, "one JSON document per command")
        #expect(documents[0]["sent"] as? Bool == true && (documents[0]["queued"] as? [Any])?.count == 1)
        #expect(documents[0]["delivery"] is NSNull)
        let links = try #require(documents[1]["links"] as? [[String: Any]])
        #expect(links.first?["count"] as? Int == 1 && links.first?["conversationIds"] as? [String] == ["1005"])
        let outbox = try #require(documents[1]["outbox"] as? [[String: Any]])
        #expect(
            outbox.first?["id"] as? String == "WEB.1"
                && outbox.first?["note"] as? String == "WEB-3 has a new comment: Ünïcode <ok>")
        #expect((documents[1]["warning"] as? String)?.contains("Held up until then: 1 note") == true)
        #expect((documents[2]["event"] as? [String: Any])?["kind"] as? String == "reconnected")
        let delivery = try #require((documents[2]["outboxDelivery"] as? [[String: Any]])?.first)
        #expect(delivery["delivered"] as? [String] == ["WEB.1"] && delivery["held"] as? [String] == [])
        #expect((documents[3]["outbox"] as? [Any])?.isEmpty == true)
    }
}
