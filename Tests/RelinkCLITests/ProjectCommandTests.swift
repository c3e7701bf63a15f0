import Foundation
import RelinkCore
import RelinkStore
import RelinkTestSupport
import Testing

@Suite("Shaping a case by hand: project add, project remove, settings")
struct ProjectCommandTests {
    @Test func addSetAndRemoveEachAnEventInLog() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        let path = "conversationLinking.notificationTriggers.issueCommented.enabled"
        let result = try await runRelink([
            "--fixture", "demo", "--store", store, "-c", #"project add HR "Ressources humaines ✓""#,
            "-c", "settings SUP \(path) false", "-c",
            "settings SUP intercomIssuePanel.visibleFields.company size,industry",
            "-c", "project remove OPS", "-c", "log --limit 4",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let opened = try Store(directory: URL(fileURLWithPath: store))
        #expect(try opened.project("HR")?.name == "Ressources humaines ✓")
        #expect(try opened.project("HR")?.jiraSite == "acme.atlassian.net", "the site the store's projects share")
        #expect(
            try opened.project("SUP")?.settings.conversationLinking.notificationTriggers.issueCommented.enabled == false)
        #expect(try opened.project("SUP")?.settings.intercomIssuePanel.visibleFields.company == ["size", "industry"])
        #expect(try opened.project("OPS") == nil)
        let kinds = try opened.events().suffix(4).map(\.kind)
        #expect(kinds == [.projectAdded, .settingsChanged, .settingsChanged, .projectRemoved])
        // A line longer than 80 columns wraps at a word, its continuation indented.
        #expect(result.stdout.replacingOccurrences(of: "\n  ", with: " ").contains("\(path): true → false"))
        #expect(result.stdout.contains("project removed"))

        let shown = try await runRelink(["--store", store, "-c", "settings SUP \(path)", "-c", "settings BUG"])
        #expect(shown.stdout.hasPrefix("\(path)  false\n"), "\(shown.stdout)")
        #expect(shown.stdout.contains("conversationLinking.notificationTriggers.issueCommented.filterEnabled"))
    }

    /// A note's marker names its item (`[relink SUP.3]`) and stays in the conversation. A project
    /// removed and added again must not hand out SUP.1 again: a delivery looking for an interrupted
    /// attempt's note would take the old one for it and never post the new note.
    @Test func aProjectAddedAgainGoesOnWithItsOutboxSerials() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        let commented = try await runRelink([
            "--fixture", "demo", "--store", store, "-c", "comment SUP-12 Première note ✓", "-c", "comment SUP-12 Second",
        ])
        #expect(commented.status == 0, "\(commented.stderr)")
        let serial = try #require(try Store(directory: URL(fileURLWithPath: store)).project("SUP")?.outboxSerial)
        #expect(serial >= 2)

        let readded = try await runRelink([
            "--store", store, "-c", "project remove SUP --force", "-c", #"project add SUP "Support, again""#,
            "-c", "project remove SUP", "-c", "project add SUP Support",
        ])
        #expect(readded.status == 0, "\(readded.stderr)")
        let opened = try Store(directory: URL(fileURLWithPath: store))
        #expect(try opened.project("SUP")?.outboxSerial == serial, "twice removed, twice added: the serials go on")
        let removals = try opened.events(for: "SUP").filter { $0.kind == .projectRemoved }
        #expect(removals.map(\.outboxSerial) == [serial, serial])
        let additions = try opened.events(for: "SUP").filter { $0.kind == .projectAdded }
        #expect(additions.last?.detail?.hasSuffix("; outbox serials go on after SUP.\(serial)") == true, "log says so")
        // A key never removed starts at nothing, as before.
        let fresh = try await runRelink(["--store", store, "-c", "project add NEW Newcomer"])
        #expect(fresh.status == 0)
        #expect(try Store(directory: URL(fileURLWithPath: store)).project("NEW")?.outboxSerial == 0)
    }

    /// A removal whose recorded serial was edited past what a serial may be is refused, not
    /// carried into a project whose next note would overflow it.
    @Test func aRemovalRecordingAnImpossibleSerialIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        #expect(try await runRelink(["--fixture", "demo", "--store", store, "-c", "project remove OPS"]).status == 0)
        try Store(directory: URL(fileURLWithPath: store)).update { transaction in
            transaction.record(
                ConnectionEvent(
                    at: Date(), project: "OPS", kind: .projectRemoved, from: .notConnected, to: .notConnected,
                    actor: "a hand", outboxSerial: .max))
        }
        let added = try await runRelink(["--store", store, "-c", "project add OPS Opérations"])
        #expect(added.status == 1)
        #expect(added.stderr.contains("records outbox serial \(Int.max), out of range"), "\(added.stderr)")
        #expect(try Store(directory: URL(fileURLWithPath: store)).project("OPS") == nil, "nothing was added")
    }

    @Test func eachCommandPrintsOneFullDocumentWithJSON() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        let path = "intercomIssuePanel.visibleFields.company"
        let result = try await runRelink([
            "--fixture", "demo", "--store", store, "--json", "-c", "project add HR People",
            "-c", "settings SUP \(path) size,industry", "-c", "settings SUP \(path)", "-c", "settings SUP",
            "-c", "project remove HR",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let documents = result.stdout.split(separator: "\n").map {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:]
        }
        #expect(documents.count == 5, "\(result.stdout)")
        let added = documents[0]
        #expect((added["event"] as? [String: Any])?["kind"] as? String == "project_added", "\(added)")
        #expect((added["project"] as? [String: Any])?["indicator"] as? String == "grey")
        let changed = documents[1]
        #expect(changed["after"] as? [String] == ["size", "industry"], "\(changed)")
        #expect((changed["event"] as? [String: Any])?["kind"] as? String == "settings_changed")
        let one = documents[2]["settings"] as? [[String: Any]]
        #expect(one?.count == 1 && one?.first?["value"] as? [String] == ["size", "industry"], "\(documents[2])")
        let all = documents[3]["settings"] as? [[String: Any]] ?? []
        #expect(all.count > 10 && all.allSatisfy { ["boolean", "integer", "list"].contains($0["takes"] as? String) })
        #expect(all.first { $0["path"] as? String == "conversationLinking.enabled" }?["value"] as? Bool == true)
        let removed = documents[4]
        #expect((removed["event"] as? [String: Any])?["kind"] as? String == "project_removed", "\(removed)")
        #expect(removed["project"] is NSNull)
    }

    @Test func refusalsAndUsageErrors() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        #expect(try await runRelink(["--fixture", "demo", "--store", store, "-c", "projects"]).status == 0)
        let before = try storeFiles(in: URL(fileURLWithPath: store))
        let connected = try await runRelink(["--store", store, "-c", "project remove SUP"])
        #expect(connected.status == 1 && connected.stderr.contains("--force"), "\(connected.stderr)")
        let exists = try await runRelink(["--store", store, "-c", "project add SUP Again"])
        #expect(exists.status == 1 && exists.stderr.contains("exists already"), "\(exists.stderr)")
        let wrongType = try await runRelink(["--store", store, "-c", "settings SUP conversationLinking.enabled 1"])
        #expect(wrongType.status == 2 && wrongType.stderr.contains("takes true or false"), "\(wrongType.stderr)")
        let number = try await runRelink(["--store", store, "-c", "settings SUP _version -99999999999999999999"])
        #expect(number.status == 2 && number.stderr.contains("takes a whole number"), "\(number.stderr)")
        let unknown = try await runRelink(["--store", store, "-c", "settings SUP conversationLinking.enabld true"])
        #expect(unknown.status == 2 && unknown.stderr.contains("did you mean \"conversationLinking.enabled\""))
        #expect(try storeFiles(in: URL(fileURLWithPath: store)) == before, "nothing written by a refusal")

        let forced = try await runRelink(["--store", store, "-c", "project remove SUP --force", "-c", "world"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let opened = try Store(directory: URL(fileURLWithPath: store))
        #expect(try opened.project("SUP") == nil && opened.connection(for: "SUP").state == .notConnected)
        #expect(
            tokenRows(forced.stdout).contains { $0.contains("no project holds it") }, "SUP's token is forgotten, not killed")
        let lonely = directory.file("lonely").path
        let noSite = try await runRelink(["--store", lonely, "-c", "project add HR People"])
        #expect(noSite.status == 1 && noSite.stderr.contains("--site"), "\(noSite.stderr)")
        #expect(
            try await runRelink(["--store", lonely, "-c", "project add HR People --site people.atlassian.net"]).status == 0)
    }

    /// `mock reset` returns to the fixture's world in every later process, not to the world the
    /// last `relink -c` loaded, and says that records change only with a check.
    @Test func mockResetReturnsToTheFixturesWorld() async throws {
        let directory = try TemporaryDirectory()
        let store = directory.file("store").path
        #expect(try await runRelink(["--fixture", "demo", "--store", store, "-c", "break SUP token-revoked"]).status == 0)
        let reset = try await runRelink(["--store", store, "-c", "mock reset", "-c", "check SUP", "-c", "world"])
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(reset.stdout.contains("Project records are unchanged until a check"))
        #expect(reset.stdout.contains("SUP   ● green  healthy"), "\(reset.stdout)")
        #expect(!reset.stdout.contains("dead: token-revoked (simulated) at <now>"))
    }
}
