import Foundation
import RelinkStore
import RelinkTestSupport
import Testing

/// The mock's faults, journal and world outlast the process that changed them, and two processes
/// on one store never lose each other's changes (DESIGN §4; issue 15 §3).
@Suite("The mock's activity between commands and processes")
struct MockActivityProcessTests {
    @Test("a fault added by one relink -c is drawn by the next; its count and the journal reach the third")
    func faultOutlastsItsCommand() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        let add = try await runRelink([
            "--fixture", "demo", "--store", store, "-c", "mock fault add /me status --status 503 --times 1",
        ])
        #expect(add.status == 0, "\(add.stderr)")
        let check = try await runRelink(["--store", store, "-c", "check SUP"])
        #expect(check.status == 0, "\(check.stderr)")
        let seen = try await runRelink(["--store", store, "--json", "-c", "mock fault list", "-c", "mock journal"])
        #expect(seen.status == 0, "\(seen.stderr)")
        let documents = seen.stdout.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        }
        let faults = try #require(documents.first?["faults"] as? [[String: Any]], "\(seen.stdout)")
        #expect(faults.map { $0["triggered"] as? Int } == [1], "the check's request hit the fault")
        let journal = try #require(documents.last?["journal"] as? [[String: Any]], "\(seen.stdout)")
        #expect(journal.map { $0["status"] as? Int } == [503, 200], "the 503, then the check's retry")
        #expect(journal.first?["fault"] as? String == "f1:status 503")
    }

    @Test("two processes at once keep every fault, journal line and world change of the other")
    func twoProcessesLoseNothing() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        #expect(try await runRelink(["--fixture", "demo", "--store", store, "-c", "world"]).status == 0)
        func run(breaking key: String) async throws -> RunResult {
            var arguments = ["--store", store]
            for _ in 0..<12 {
                arguments += ["-c", "mock fault add /admins status --status 500 --probability 0", "-c", "check \(key)"]
            }
            arguments += ["-c", "break \(key) token-revoked"]
            return try await runRelink(arguments)
        }
        async let first = run(breaking: "SUP")
        async let second = run(breaking: "BUG")
        let (one, two) = try await (first, second)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(two.status == 0, "\(two.stderr)")

        let after = try await runRelink([
            "--store", store, "--json", "-c", "mock fault list", "-c", "mock journal --limit 100",
        ])
        let documents = after.stdout.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        }
        let ids = (documents.first?["faults"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.count == 24 && Set(ids) == Set((1...24).map { "f\($0)" }), "\(ids)")
        let journal = documents.last?["journal"] as? [[String: Any]] ?? []
        let sequences = journal.compactMap { $0["sequence"] as? Int }
        #expect(journal.count == 24, "one /me per check, from both processes")
        #expect(sequences == Array(1...24), "numbered in one order, none lost or repeated")

        // Both breaks are in the world: each project's token is dead, as a check finds.
        let checked = try await runRelink(["--store", store, "-c", "check --all"])
        #expect(checked.stdout.contains("SUP") && checked.stdout.contains("BUG"))
        let opened = try Store(directory: URL(fileURLWithPath: store))
        #expect(try opened.connection(for: "SUP").state.name == .broken, "\(checked.stdout)")
        #expect(try opened.connection(for: "BUG").state.name == .broken, "\(checked.stdout)")
    }
}
