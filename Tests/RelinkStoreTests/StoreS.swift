import Foundation
import RelinkCore

@testable import RelinkStore

/// The store of issue 11's reproducers: the demo fixture, then `break SUP token-revoked`,
/// `check --all` (SUP breaks), `reconnect SUP --as jira-bot@acme.test` and
/// `connect OPS --as alice@acme.test`, made with the store's own API. Its snapshots are the
/// fixture's (one in relink's line layout, one pretty-printed) and both journals have lines.
enum StoreS {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fixtures/demo").standardizedFileURL
    static let acme = Workspace(id: "acme4sup", name: "Acme Support", region: .us)
    static let bot = AppUser(id: "2633609", email: "jira-bot@acme.test", name: "Jira Bot")
    static let alice = AppUser(id: "2633610", email: "alice@acme.test", name: "Alice")
    static let files = ["state.json", "journal.jsonl", "secrets.json", "secrets.jsonl"]

    /// Makes S in `directory` and returns what it holds after each commit, oldest first (the
    /// first is the fixture as it was): an acknowledged change is in every later one.
    @discardableResult
    static func make(in directory: URL, options: Store.Options = .init(durable: false)) throws -> [StoreContent] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["state.json", "secrets.json"] {
            try FileManager.default.copyItem(at: fixture.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        chmod(directory.appendingPathComponent("secrets.json").path, 0o600)
        let store = try Store(directory: directory, options: options)
        var contents = [try StoreContent(store)]
        let t0 = Date(timeIntervalSince1970: 1_795_000_000)

        try store.update { transaction in  // break SUP token-revoked, then check --all finds it
            var sup = try transaction.connection(for: "SUP")
            let authorization = sup.state.authorization!
            let evidence = Evidence(status: 401, code: "token_revoked", message: "Token revoked", requestID: "req-1")
            let breakage = Breakage(at: t0, diagnosis: Diagnosis(evidence: evidence, causes: [.tokenRevoked], isGroundTruth: true))
            sup = Connection(
                projectKey: "SUP", state: .broken(authorization, breakage),
                lastCheck: CheckRecord(at: t0, result: .rejected, reason: "Intercom answered 401"), lastWorkspace: acme)
            transaction.put(sup)
            transaction.record(
                ConnectionEvent(
                    at: t0, project: "SUP", kind: .broken, from: .connected, to: .broken, cause: .tokenRevoked,
                    evidence: evidence, workspace: acme, appUser: bot, actor: "relink check"))
        }
        contents.append(try StoreContent(store))

        try store.update { transaction in  // reconnect SUP --as jira-bot@acme.test
            var sup = try transaction.connection(for: "SUP")
            let old = sup.state.authorization?.tokenID
            let event = try sup.reconnect(
                Authorization(workspace: acme, appUser: bot, tokenID: "tok-sup-2", since: t0.addingTimeInterval(60)),
                by: "relink reconnect")
            transaction.put(sup)
            transaction.record(event)
            if let old { transaction.forgetToken(id: old) }
            transaction.storeToken("fake-token-sup-2", id: "tok-sup-2")
        }
        contents.append(try StoreContent(store))

        try store.update { transaction in  // connect OPS --as alice@acme.test
            var ops = try transaction.connection(for: "OPS")
            let event = try ops.connect(
                Authorization(workspace: acme, appUser: alice, tokenID: "tok-ops-1", since: t0.addingTimeInterval(120)),
                by: "relink connect")
            transaction.put(ops)
            transaction.record(event)
            transaction.storeToken("fake-token-ops-1", id: "tok-ops-1")
            transaction.rememberMockPassword("fake-password-alice-2", for: "alice@acme.test")
        }
        contents.append(try StoreContent(store))
        return contents
    }
}

/// Everything a store holds, as records a test can compare and count differences between.
struct StoreContent: Equatable, CustomStringConvertible {
    /// One string per record ("project SUP {…}", "event {…}", "secret …"), sorted: a multiset.
    var records: [String]
    /// Why the events could not be read, when they could not (a damaged event in the snapshot
    /// is found when the history is read; `records` holds no event then).
    var eventError: String?

    init(_ store: Store) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json(_ value: some Encodable) -> String { String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self) }
        var records: [String] = []
        for project in try store.projects {
            records.append("project \(project.key) \(json(project))")
            let connection = try store.connection(for: project.key)
            if connection != Connection(projectKey: project.key) {
                records.append("connection \(project.key) \(json(connection))")
            }
        }
        do {
            for event in try store.events() { records.append("event \(json(event))") }
        } catch {
            eventError = "\(error)"
        }
        for secret in try store.allSecrets { records.append("secret \(secret)") }
        if let client = try store.oauthClient { records.append("oauth \(json(client))") }
        for email in ["alice@acme.test", "bob@acme.test", "jira-bot@acme.test"] {
            if let password = try store.mockPassword(for: email) { records.append("password \(email) \(password)") }
        }
        self.records = records.sorted()
    }

    /// How many records one has that the other has not, both ways (a changed record counts 2).
    func distance(to other: StoreContent) -> Int {
        var counts: [String: Int] = [:]
        for record in records { counts[record, default: 0] += 1 }
        for record in other.records { counts[record, default: 0] -= 1 }
        return counts.values.reduce(0) { $0 + abs($1) }
    }

    var withoutEvents: StoreContent { StoreContent(records: records.filter { !$0.hasPrefix("event ") }) }

    init(records: [String]) { self.records = records.sorted() }

    var description: String { records.joined(separator: "\n") }
}
