import Foundation
import RelinkCore
import RelinkTestSupport
import Testing

@_spi(Benchmarks) @testable import RelinkStore

/// Issue 11's reproducers, each on store S (see `StoreS`).
@Suite("The store refuses damage and never loses data")
struct HardeningTests {
    let directory: TemporaryDirectory
    let contents: [StoreContent]
    var store: URL { directory.url }
    func file(_ name: String) -> URL { directory.file(name) }

    init() throws {
        directory = try TemporaryDirectory()
        contents = try StoreS.make(in: directory.url)
    }

    func files() throws -> [String: Data] { try storeFiles(in: store) }

    /// Opening the store is refused with an error naming `name` and containing `words`; no file changes.
    func expectRefusal(
        naming name: String, _ words: String..., sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try files()
        do {
            _ = try Store(directory: store)
            Issue.record("the store opened", sourceLocation: sourceLocation)
        } catch let error as StoreError {
            let text = error.description
            #expect(text.hasPrefix(file(name).path + ":"), "\(text)", sourceLocation: sourceLocation)
            for word in words { #expect(text.contains(word), "\(text)", sourceLocation: sourceLocation) }
        }
        #expect(try files() == before, "a refused store was changed", sourceLocation: sourceLocation)
    }

    func replace(in name: String, _ old: String, with new: String) throws {
        let text = try String(contentsOf: file(name), encoding: .utf8)
        #expect(text.contains(old), "\(name) does not contain \(old)")
        try text.replacingOccurrences(of: old, with: new).write(to: file(name), atomically: false, encoding: .utf8)
    }

    // MARK: Migration

    @Test func schemaVersion1InSecretsIsRefusedNamingSecretsAndNothingIsRewritten() throws {
        try replace(in: "secrets.json", #""schemaVersion" : 2"#, with: #""schemaVersion" : 1"#)
        try expectRefusal(naming: "secrets.json", "never wrote this file", "set it back to 2")
        #expect(!FileManager.default.fileExists(atPath: file("backups").path))
    }

    @Test func schemaVersion1InAStateJSONThatIsSchema2IsRefused() throws {
        try replace(in: "state.json", #"{"schemaVersion":2,"#, with: #"{"schemaVersion":1,"#)
        try expectRefusal(naming: "state.json", "also holds secrets.json and secrets.jsonl and journal.jsonl", "set it back to 2")
        #expect(!FileManager.default.fileExists(atPath: file("backups").path))
    }

    @Test func aSchema1FileWithSchema2ContentIsRefusedEvenAlone() throws {
        for name in ["journal.jsonl", "secrets.json", "secrets.jsonl"] { try FileManager.default.removeItem(at: file(name)) }
        try replace(in: "state.json", #"{"schemaVersion":2,"#, with: #"{"schemaVersion":1,"#)
        try expectRefusal(naming: "state.json", #"it has "sequence", "connections", "events""#)
    }

    @Test func anAtomicChangeBacksUpEveryFileItReplacesOrRemovesAndLandsThemTogether() throws {
        let state = try Data(contentsOf: file("state.json"))
        let secrets = try Data(contentsOf: file("secrets.json"))
        let journal = try Data(contentsOf: file("journal.jsonl"))
        var change = AtomicChange(directory: store, label: "test")
        change.write(Data("new state".utf8), to: "state.json", mode: 0o644)
        change.write(Data("new secrets".utf8), to: "secrets.json", mode: 0o600)
        change.write(Data("new file".utf8), to: "world.json", mode: 0o644)
        change.remove("journal.jsonl")
        let backups = try change.commit()

        #expect(try Data(contentsOf: file("state.json")) == Data("new state".utf8))
        #expect(try Data(contentsOf: file("secrets.json")) == Data("new secrets".utf8))
        #expect(!FileManager.default.fileExists(atPath: file("journal.jsonl").path))
        #expect(try FileManager.default.attributesOfItem(atPath: file("secrets.json").path)[.posixPermissions] as? Int == 0o600)
        #expect(backups.map(\.lastPathComponent).map { $0.split(separator: ".").first! }.sorted() == ["journal", "secrets", "state"])
        let kept = Dictionary(uniqueKeysWithValues: try backups.map { ($0.lastPathComponent.split(separator: ".")[0], try Data(contentsOf: $0)) })
        #expect(kept["state"] == state && kept["secrets"] == secrets && kept["journal"] == journal)
        for backup in backups {
            #expect(try FileManager.default.attributesOfItem(atPath: backup.path)[.posixPermissions] as? Int == 0o600)
        }
        #expect(!AtomicChange.isPending(in: store))
    }

    /// A change that died after its record was written is completed by the next open; one that
    /// died before leaves the old files, and its temporaries are cleared.
    @Test func anInterruptedAtomicChangeIsCompletedOrForgottenAtOpen() throws {
        let state = try Data(contentsOf: file("state.json"))
        let empty = try Data(contentsOf: StoreS.fixture.appendingPathComponent("state.json"))
        // Died before deciding: a temporary, no record.
        try Data("half".utf8).write(to: file(".state.json.change"))
        #expect(AtomicChange.isPending(in: store))
        #expect(try StoreContent(try Store(directory: store)) == contents.last)
        #expect(!FileManager.default.fileExists(atPath: file(".state.json.change").path))
        #expect(try Data(contentsOf: file("state.json")) == state)

        // Died after deciding, before renaming: the record and the temporaries are there.
        try empty.write(to: file(".state.json.change"))
        let record = AtomicChange.Record(
            label: "test",
            files: [.init(name: "state.json", temporary: ".state.json.change", bytes: empty.count),
                    .init(name: "journal.jsonl", temporary: nil, bytes: nil)])
        try StoreCoding.encoder(pretty: true).encode(record).write(to: AtomicChange.recordURL(in: store))
        let reopened = try Store(directory: store)
        #expect(try Data(contentsOf: file("state.json")) == empty)
        #expect(!FileManager.default.fileExists(atPath: file("journal.jsonl").path))
        #expect(!AtomicChange.isPending(in: store))
        #expect(try reopened.connection(for: "OPS") == Connection(projectKey: "OPS"))
    }

    // MARK: Sequences, duplicates, orphans

    @Test func aSnapshotSequenceAboveTheJournalsLinesIsRefused() throws {
        try replace(in: "state.json", #""sequence":1,"#, with: #""sequence":9,"#)
        try expectRefusal(naming: "state.json", #""sequence" is 9"#, "ends at sequence 4")
    }

    @Test func aSnapshotSequenceRaisedIntoTheJournalIsRefused() throws {
        try replace(in: "state.json", #""sequence":1,"#, with: #""sequence":3,"#)
        try expectRefusal(naming: "state.json", #""sequence" is 3"#, "lacks changes")
    }

    @Test func aCrashBetweenCompactionAndEmptyingTheJournalStillOpens() throws {
        let journal = try Data(contentsOf: file("journal.jsonl"))
        let secrets = try Data(contentsOf: file("secrets.jsonl"))
        try Store(directory: store).compact()
        try journal.write(to: file("journal.jsonl"))
        try secrets.write(to: file("secrets.jsonl"))
        #expect(try StoreContent(try Store(directory: store)) == contents.last)
    }

    @Test func aDuplicateProjectKeyIsRefusedNamingBothLines() throws {
        let text = try String(contentsOf: file("state.json"), encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let ops = try #require(lines.firstIndex { $0.contains(#""key":"OPS""#) })
        lines.insert(#"{"jiraSite":"elsewhere.atlassian.net","key":"OPS","name":"Other"},"#, at: ops + 1)
        try lines.joined(separator: "\n").write(to: file("state.json"), atomically: false, encoding: .utf8)
        try expectRefusal(naming: "state.json", "line \(ops + 2): project OPS appears a second time (first at line \(ops + 1))")
    }

    @Test func aDuplicateProjectKeyInAPrettyPrintedSnapshotIsRefused() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file("state.json"))) as? [String: Any])
        var projects = try #require(object["projects"] as? [[String: Any]])
        projects.append(projects[0])
        object["projects"] = projects
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: file("state.json"))
        try expectRefusal(naming: "state.json", "projects[4]: project BUG appears a second time (first at projects[0])")
    }

    @Test func aConnectionWhoseProjectLineWasDeletedIsRefused() throws {
        let text = try String(contentsOf: file("state.json"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        try lines.filter { !$0.contains(#""key":"BUG""#) }.joined(separator: "\n")
            .write(to: file("state.json"), atomically: false, encoding: .utf8)
        let connection = try #require(lines.firstIndex { $0.contains(#""project":"BUG""#) })
        try expectRefusal(naming: "state.json", "line \(connection): the connection of project BUG has no project line")
    }

    @Test func aJournalLineConnectingAProjectThatIsNotThereIsRefused() throws {
        try replace(in: "journal.jsonl", #""project":"OPS","state":"connected""#, with: #""project":"OPZ","state":"connected""#)
        try expectRefusal(naming: "journal.jsonl", "line 3: the connection of project OPZ names a project that is not in the store")
    }

    // MARK: The journal's last line

    @Test func aLastLineWithoutItsNewlineIsAppliedAndTheNextCommitWritesTheNewlineFirst() throws {
        let journal = try Data(contentsOf: file("journal.jsonl"))
        try journal.dropLast().write(to: file("journal.jsonl"))
        let opened = try Store(directory: store)
        #expect(try StoreContent(opened) == contents.last, "the complete last line is applied")
        try opened.update { $0.put(Project(key: "NEW", name: "New", jiraSite: "acme.atlassian.net")) }
        let after = try Data(contentsOf: file("journal.jsonl"))
        #expect(after.prefix(journal.count) == journal, "the newline is written before the new line")
        #expect(after.split(separator: UInt8(ascii: "\n")).count == 4)
        let reopened = try Store(directory: store)
        #expect(try reopened.project("NEW") != nil)
        #expect(try reopened.connection(for: "OPS").state.name == .connected)
    }

    @Test func aProcessThatReadTheLineWithoutNewlineSeesTheNextCommitOfAnother() throws {
        let journal = try Data(contentsOf: file("journal.jsonl"))
        try journal.dropLast().write(to: file("journal.jsonl"))
        let reader = try Store(directory: store)
        try Store(directory: store).update { $0.put(Project(key: "NEW", name: "New", jiraSite: "acme.atlassian.net")) }
        try reader.refresh()
        #expect(try reader.project("NEW") != nil)
        #expect(try reader.connection(for: "OPS").state.name == .connected)
    }

    @Test func aCompleteLastLineFollowedByStrayBytesIsRefusedNotCut() throws {
        var journal = try Data(contentsOf: file("journal.jsonl"))
        journal[journal.count - 1] = UInt8(ascii: "J")  // the newline, one bit flipped
        try journal.write(to: file("journal.jsonl"))
        try expectRefusal(naming: "journal.jsonl", "line 3, the last, is a journal entry followed by stray bytes")
    }

    @Test func aLastLineWithoutNewlineAndAWrongSequenceIsRefused() throws {
        let text = try String(contentsOf: file("journal.jsonl"), encoding: .utf8)
        try String(text.dropLast()).replacingOccurrences(of: #""seq":4"#, with: #""seq":7"#)
            .write(to: file("journal.jsonl"), atomically: false, encoding: .utf8)
        try expectRefusal(naming: "journal.jsonl", "line 3 has sequence 7 where 4 was expected")
    }

    // MARK: Only regular files

    @Test(arguments: ["state.json", "journal.jsonl", "secrets.json", "secrets.jsonl", ".lock"])
    func aLinkToDevNullInPlaceOfAFileIsRefused(name: String) throws {
        try? FileManager.default.removeItem(at: file(name))
        try FileManager.default.createSymbolicLink(atPath: file(name).path, withDestinationPath: "/dev/null")
        try expectRefusal(naming: name, "a symbolic link to /dev/null, not a regular file", "Put the real file in its place")
    }

    @Test(arguments: ["state.json", "journal.jsonl", "secrets.json", "secrets.jsonl", ".lock"])
    func aDanglingLinkIsRefusedAndItsTargetNeverCreated(name: String) throws {
        let target = directory.file("elsewhere-\(name)")
        try? FileManager.default.removeItem(at: file(name))
        try FileManager.default.createSymbolicLink(atPath: file(name).path, withDestinationPath: target.path)
        try expectRefusal(naming: name, "a symbolic link to \(target.path), which does not exist")
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test func devZeroADirectoryAndAPipeAreRefusedInWords() throws {
        try FileManager.default.removeItem(at: file("state.json"))
        try FileManager.default.createSymbolicLink(atPath: file("state.json").path, withDestinationPath: "/dev/zero")
        try expectRefusal(naming: "state.json", "a symbolic link to /dev/zero")
        try FileManager.default.removeItem(at: file("state.json"))
        try FileManager.default.createDirectory(at: file("state.json"), withIntermediateDirectories: false)
        try expectRefusal(naming: "state.json", "this is a directory, not a regular file")
        try FileManager.default.removeItem(at: file("state.json"))
        #expect(mkfifo(file("state.json").path, 0o644) == 0)
        try expectRefusal(naming: "state.json", "this is a named pipe, not a regular file")
    }

    @Test func aLinkThatAppearsWhileTheStoreIsOpenIsNeverWrittenThrough() throws {
        let opened = try Store(directory: store)
        let target = directory.file("elsewhere")
        try FileManager.default.removeItem(at: file("journal.jsonl"))
        try FileManager.default.createSymbolicLink(atPath: file("journal.jsonl").path, withDestinationPath: target.path)
        #expect(throws: StoreError.self) {
            try opened.update { $0.put(Project(key: "NEW", name: "New", jiraSite: "s")) }
        }
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test func historyIsAppendedOnlyToARegularFile() throws {
        let history = file("history")
        try StoreFile.append(Data("projects\n".utf8), to: history, mode: 0o600)
        try StoreFile.append(Data("show SUP\n".utf8), to: history, mode: 0o600)
        #expect(try StoreFile.read(history) == Data("projects\nshow SUP\n".utf8))
        #expect(try FileManager.default.attributesOfItem(atPath: history.path)[.posixPermissions] as? Int == 0o600)

        let target = directory.file("elsewhere")
        try FileManager.default.removeItem(at: history)
        try FileManager.default.createSymbolicLink(atPath: history.path, withDestinationPath: target.path)
        #expect(throws: StoreError.notARegularFile(file: history.path, found: "a symbolic link to \(target.path), which does not exist")) {
            try StoreFile.append(Data("projects\n".utf8), to: history, mode: 0o600)
        }
        #expect(throws: StoreError.self) { try StoreFile.read(history) }
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    // MARK: Text after the end, numbers out of range, missing files

    @Test func aBlankLineThenGarbageAfterTheSnapshotIsRefused() throws {
        let lines = try String(contentsOf: file("state.json"), encoding: .utf8).split(separator: "\n").count
        let handle = try FileHandle(forWritingTo: file("state.json"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\ngarbage\n".utf8))
        try handle.close()
        try expectRefusal(naming: "state.json", "line \(lines + 2): unexpected content after the end of the snapshot")
    }

    @Test(arguments: [("state.json", #""sequence":1,"#, #""sequence":18446744073709551615,"#),
                      ("secrets.json", #""sequence" : 1"#, #""sequence" : 18446744073709551615"#)])
    func aSequenceOutOfRangeIsRefusedRatherThanOverflowing(name: String, old: String, new: String) throws {
        try FileManager.default.removeItem(at: file(name == "state.json" ? "journal.jsonl" : "secrets.jsonl"))
        try replace(in: name, old, with: new)
        try expectRefusal(naming: name, #""sequence" is 18446744073709551615, out of range"#)
    }

    @Test func aJournalSequenceOutOfRangeIsRefused() throws {
        try replace(in: "journal.jsonl", #""seq":2"#, with: #""seq":18446744073709551615"#)
        try expectRefusal(naming: "journal.jsonl", "line 1 has sequence 18446744073709551615, out of range")
    }

    @Test func aMissingStateJSONIsNamedAsMissingNotAsAJournalGap() throws {
        try FileManager.default.removeItem(at: file("state.json"))
        try expectRefusal(naming: "state.json", "the file is missing", "journal.jsonl continues from sequence 2", "restore the file")
    }
}
