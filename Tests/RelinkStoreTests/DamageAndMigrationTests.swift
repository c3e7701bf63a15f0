import Foundation
import RelinkCore
import RelinkTestSupport
import Testing

@testable import RelinkStore

@Suite("Damaged, newer and older files")
struct DamageAndMigrationTests {
    static let valid = """
        {"schemaVersion":2,"sequence":0,"projects":[{"key":"SUP","name":"Support","jiraSite":"acme.atlassian.net"}],
         "connections":[],"events":[]}
        """

    struct Damage: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var content: String
        var problem: String
        var testDescription: String { name }
    }

    static let damages: [Damage] = [
        Damage(name: "truncated", file: "state.json", content: String(valid.prefix(60)), problem: "truncated"),
        Damage(name: "not JSON", file: "state.json", content: "projects: SUP\n", problem: "not valid JSON"),
        Damage(
            name: "wrong types", file: "state.json",
            content: valid.replacingOccurrences(of: #""name":"Support""#, with: #""name":42"#),
            problem: "wrong type at projects[0].name: expected a string"),
        Damage(
            name: "future schema", file: "state.json",
            content: valid.replacingOccurrences(of: #""schemaVersion":2"#, with: #""schemaVersion":9"#),
            problem: "written by a newer relink (schema version 9"),
        Damage(
            name: "damaged journal line", file: "journal.jsonl",
            content: #"{"seq":1,"changes":[]}"# + "\nnot json\n" + #"{"seq":3,"changes":[]}"# + "\n",
            problem: "line 2 is a damaged journal entry"),
        Damage(
            name: "missing journal lines", file: "journal.jsonl",
            content: #"{"seq":1,"changes":[]}"# + "\n" + #"{"seq":5,"changes":[]}"# + "\n",
            problem: "line 2 has sequence 5 where 2 was expected"),
        Damage(
            name: "secrets with wrong types", file: "secrets.json",
            content: #"{"schemaVersion":2,"sequence":0,"tokens":["a"]}"#, problem: "wrong type at tokens"),
    ]

    @Test(arguments: damages)
    func aDamagedFileIsNamedWithItsProblemAndLeftUntouched(damage: Damage) throws {
        let directory = try TemporaryDirectory()
        if damage.file != "state.json" { try Data(Self.valid.utf8).write(to: directory.file("state.json")) }
        let bytes = Data(damage.content.utf8)
        try bytes.write(to: directory.file(damage.file))
        do {
            _ = try Store(directory: directory.url)
            Issue.record("opening a store with a \(damage.name) \(damage.file) succeeded")
        } catch let error as StoreError {
            #expect(error.description.contains(directory.file(damage.file).path), "\(error)")
            #expect(error.description.contains(damage.problem), "\(error)")
        }
        #expect(try Data(contentsOf: directory.file(damage.file)) == bytes)
    }

    @Test func aSchema1StoreMigratesForwardKeepingABackupAndMovingTokensToSecrets() throws {
        let directory = try TemporaryDirectory()
        let v1 = """
            {"schemaVersion":1,"projects":[
              {"key":"SUP","name":"Support","site":"acme.atlassian.net",
               "settings":{"intercomIssuePanel":{"enabled":false}},
               "links":[{"issueKey":"SUP-1","conversationIds":["123"]}],
               "connection":{"state":"connected","token":"v1-secret-token",
                 "authorization":{"workspace":{"id":"drzzt019","name":"Acme Support","region":"US"},
                   "appUser":{"id":"1","email":"jira-bot@acme.test","name":"Jira Bot"},"tokenID":"t-sup",
                   "since":"2026-01-02T03:04:05.000Z"}}},
              {"key":"OPS","name":"Operations","site":"acme.atlassian.net"}]}
            """
        try Data(v1.utf8).write(to: directory.file("state.json"))
        let store = try Store(directory: directory.url)
        #expect(store.projectKeys == ["OPS", "SUP"])
        let sup = try #require(try store.project("SUP"))
        #expect(sup.jiraSite == "acme.atlassian.net" && sup.settings.intercomIssuePanel.enabled == false)
        #expect(sup.links.first?.conversationIds == ["123"])
        #expect(try store.connection(for: "SUP").state.name == .connected)
        #expect(try store.token(id: "t-sup") == "v1-secret-token")
        #expect(!(try String(contentsOf: directory.file("state.json"), encoding: .utf8)).contains("v1-secret-token"))

        let backups = try FileManager.default.contentsOfDirectory(atPath: directory.file("backups").path)
        #expect(backups.count == 1)
        let backup = directory.file("backups").appendingPathComponent(backups[0])
        #expect(try String(contentsOf: backup, encoding: .utf8) == v1)
        #expect(try FileManager.default.attributesOfItem(atPath: backup.path)[.posixPermissions] as? Int == 0o600)
        // Reopening does not migrate again.
        _ = try Store(directory: directory.url)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("backups").path).count == 1)
    }
}

@Suite("The one-record-per-line snapshot")
struct LineSnapshotTests {
    func compactedStore() throws -> (TemporaryDirectory, URL) {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url)
        try store.update { transaction in
            for i in 0..<3000 {
                transaction.put(Project(key: ProjectKey(rawValue: "P\(i)")!, name: "p\(i)", jiraSite: "s"))
            }
        }
        try store.compact()
        return (directory, directory.file("state.json"))
    }

    @Test func eachRecordIsOneLineAndReopensTheSame() throws {
        let (directory, state) = try compactedStore()
        let lines = try String(contentsOf: state, encoding: .utf8).split(separator: "\n")
        // The header ends with the checksum of the file (issue 17).
        #expect(lines.first?.wholeMatch(of: /\{"schemaVersion":2,"sequence":1,"checksum":"crc32c:[0-9a-f]{8}",/) != nil)
        #expect(lines[1] == #""projects":["#)
        #expect(lines[2] == #"{"jiraSite":"s","key":"P0","name":"p0"},"#)
        #expect(try Store(directory: directory.url).projectCount == 3000)
    }

    @Test func aTruncatedSnapshotIsNamedAsSuch() throws {
        let (directory, state) = try compactedStore()
        let bytes = try Data(contentsOf: state).prefix(40_000)
        try Data(bytes).write(to: state)
        #expect {
            _ = try Store(directory: directory.url)
        } throws: { error in
            "\(error)".contains("truncated") && "\(error)".contains(state.path)
        }
        #expect(try Data(contentsOf: state) == bytes)
    }

    @Test func aBadRecordIsNamedByItsLineAndField() throws {
        let (directory, state) = try compactedStore()
        let text = try String(contentsOf: state, encoding: .utf8)
            .replacingOccurrences(of: #""name":"p2500""#, with: #""name":false"#)
        try text.write(to: state, atomically: false, encoding: .utf8)
        let index = (0..<3000).map { "P\($0)" }.sorted().firstIndex(of: "P2500")!
        #expect {
            _ = try Store(directory: directory.url)
        } throws: { error in
            "\(error)".contains("line \(index + 3), projects[\(index)]: wrong type at name: expected a string")
        }
    }

    @Test func aSnapshotAPersonPrettyPrintedStillOpens() throws {
        let (directory, state) = try compactedStore()
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: state))
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: state)
        #expect(try Store(directory: directory.url).project("P2999")?.name == "p2999")
    }
}
