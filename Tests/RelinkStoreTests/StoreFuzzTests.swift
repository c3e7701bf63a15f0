import Foundation
import RelinkCore
import RelinkTestSupport
import Testing

@testable import RelinkStore

/// Issue 11's property: one file of store S damaged as an unlucky disk or a careless hand would,
/// over many seeds. For each, relink refuses naming the file, or opens with the data that was
/// written; it never crashes, never changes a file it refuses, and never loses a change it
/// acknowledged, neither one made before the damage nor one made after opening.
///
/// "The data that was written" has two allowances, both stated where they apply:
/// - The journals end wherever a crash may end them: a journal cut short opens with exactly the
///   changes of its complete lines (a torn tail is a write that was never acknowledged).
/// - The snapshots carry no checksum, so a well-formed change of a value (a flipped letter in a
///   name, an event line removed) cannot be told from a person's edit: such a damage may change
///   the one record it touches (a difference of at most 2 in `StoreContent.distance`), never more.
@Suite("Damage to any one file of a store, over many seeds")
struct StoreFuzzTests {
    static let seedsPerFile = 90

    enum Mutation: CaseIterable {
        case flipByte, truncate, deleteLine, duplicateLine, swapLines, changeNumber, changeType, addKey, removeKey
        case deleteFile, linkToDevNull, linkToDevZero, danglingLink, linkToACopy, directory, pipe

        var isNotARegularFile: Bool { [.linkToDevNull, .linkToDevZero, .danglingLink, .linkToACopy, .directory, .pipe].contains(self) }
    }

    @Test func eachMutationIsRefusedNamingTheFileOrOpensWithTheDataWritten() throws {
        let root = try TemporaryDirectory()
        let template = root.file("S")
        let contents = try StoreS.make(in: template)
        let templateFiles = try storeFiles(in: template)
        var generator = SplitMix64(seed: 11)
        var outcomes: [String: Int] = [:]

        for name in StoreS.files {
            // Every mutation on every file at least once, then random ones.
            let kinds = Mutation.allCases + (0..<Self.seedsPerFile).map { _ in Mutation.allCases.randomElement(using: &generator)! }
            for (index, kind) in kinds.enumerated() {
                let directory = root.file("case-\(name)-\(index)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
                defer { try? FileManager.default.removeItem(at: directory) }
                for (file, data) in templateFiles { try data.write(to: directory.appendingPathComponent(file)) }
                chmod(directory.appendingPathComponent("secrets.json").path, 0o600)
                let original = templateFiles[name]!
                let mutated = try apply(kind, to: directory.appendingPathComponent(name), original: original, in: root, using: &generator)
                let label = "\(name) \(kind) #\(index)"
                let outcome = try check(
                    directory: directory, file: name, kind: kind, original: original, mutated: mutated, contents: contents,
                    label: label)
                outcomes["\(outcome)", default: 0] += 1
            }
        }
        // The property is not vacuous: both outcomes happen.
        #expect(outcomes["refused", default: 0] > 100, "\(outcomes)")
        #expect(outcomes["opened", default: 0] > 30, "\(outcomes)")
    }

    /// Opens the damaged store and checks the property; returns "refused", "opened" or
    /// "refused when read".
    func check(
        directory: URL, file name: String, kind: Mutation, original: Data, mutated: Data?, contents: [StoreContent],
        label: String
    ) throws -> String {
        let before = try storeFiles(in: directory)
        let store: Store
        do {
            store = try Store(directory: directory, options: .init(durable: false))
        } catch let error as StoreError {
            let text = error.description
            let path = directory.appendingPathComponent(name).path
            #expect(text.hasPrefix(path + ":") || text.contains(name), "\(label): refusal names another file: \(text)")
            #expect(try storeFiles(in: directory) == before, "\(label): a refused store was changed")
            return "refused"
        }
        #expect(!kind.isNotARegularFile, "\(label): opened with something else than a regular file in place")
        #expect(try storeFiles(in: directory) == before, "\(label): opening changed a file")
        let opened = try StoreContent(store)
        var outcome = "opened"

        // What may be there: every change, or, for a journal cut short, those of its complete lines.
        let isJournal = name.hasSuffix(".jsonl")
        let publicStates = contents.map(\.publicPart)
        // Commit 1 wrote no secret; commit 2 (the reconnect) two lines: its new token before the
        // records' line, the old token forgotten after it; commit 3 one.
        let reconnectedKeepingOld =
            contents[2].secretPart + contents[1].secretPart.filter { !contents[2].secretPart.contains($0) }
        let secretStates = [
            contents[1].secretPart, reconnectedKeepingOld, contents[2].secretPart, contents[3].secretPart,
        ]
        if isJournal, let completeLines = completeLines(mutated, original: original, kind: kind) {
            let expected = name == "journal.jsonl"
                ? StoreContent(records: publicStates[completeLines] + contents.last!.secretPart)
                : StoreContent(records: contents.last!.publicPart + secretStates[completeLines])
            #expect(opened == expected, "\(label): opened with other than its \(completeLines) complete lines' changes")
        } else if let eventError = opened.eventError {
            // A damaged event is found when the history is read (events are decoded on first use),
            // named by file and line; and no compaction copies it into a new snapshot.
            #expect(name == "state.json" && eventError.hasPrefix(directory.appendingPathComponent(name).path + ": line "), "\(label): \(eventError)")
            #expect(opened.distance(to: contents.last!.withoutEvents) <= 2, "\(label): opened with other data\n\(opened)")
            let damaged = try Data(contentsOf: directory.appendingPathComponent(name))
            #expect(throws: StoreError.self, "\(label): compacted a damaged snapshot") { try store.compact() }
            #expect(try Data(contentsOf: directory.appendingPathComponent(name)) == damaged, "\(label): rewrote a damaged file")
            outcome = "refused when read"
        } else {
            // At most the one record a well-formed edit touches (see the type's comment).
            #expect(opened.distance(to: contents.last!) <= 2, "\(label): opened with other data\n\(opened)")
        }

        // The cross-file oracle (issue 28): a store that opens has every connection's token, or
        // verify names the connection whose token it lacks, and no other.
        if outcome == "opened" {
            let verification = try store.verify()
            for (key, connection) in try store.connections {
                guard let id = connection.state.authorization?.tokenID else { continue }
                let reported = verification.findings.contains { $0.project == key && $0.file == "secrets.json" }
                #expect((try store.token(id: id) != nil) != reported, "\(label): \(key)'s token and verify disagree")
            }
        }

        // A change acknowledged after opening survives, with everything that was there.
        try store.update { transaction in
            transaction.put(Project(key: "FUZZ", name: "Fuzz", jiraSite: "acme.atlassian.net"))
            transaction.storeToken("fuzz-token", id: "tok-fuzz")
        }
        let reopened = try StoreContent(try Store(directory: directory, options: .init(durable: false)))
        #expect(reopened.distance(to: opened) == 2 && reopened.records.contains("secret fuzz-token"), "\(label): \(reopened)")
        #expect(reopened.records.contains { $0.hasPrefix("project FUZZ ") }, "\(label): the commit after opening was lost")
        #expect(try reopened == StoreContent(store), "\(label): the reopened store differs from the one that committed")
        return outcome
    }

    /// For damage that only shortens a journal (a cut, its last line removed, the file gone):
    /// how many of its lines are still complete. nil for any other damage.
    func completeLines(_ mutated: Data?, original: Data, kind: Mutation) -> Int? {
        let lines = original.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        switch kind {
        case .deleteFile:
            return 0
        case .truncate:
            guard let mutated else { return nil }
            var end = 0
            var complete = 0
            for line in lines {
                end += line.count
                if end <= mutated.count { complete += 1 }  // whole, with or without its newline
                end += 1
            }
            return complete
        case .deleteLine:
            guard let mutated, mutated.count + lines.last!.count + 1 == original.count, original.starts(with: mutated) else { return nil }
            return lines.count - 1
        default:
            return nil
        }
    }

    // MARK: Mutations

    /// Damages `url`; returns its new bytes when it is still a regular file.
    func apply(_ kind: Mutation, to url: URL, original: Data, in root: TemporaryDirectory, using generator: inout SplitMix64)
        throws -> Data?
    {
        var bytes = [UInt8](original)
        func write() throws -> Data {
            try Data(bytes).write(to: url)
            return Data(bytes)
        }
        func replaceWithLink(to target: String) throws -> Data? {
            try FileManager.default.removeItem(at: url)
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
            return nil
        }
        var lines = original.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        let endsWithNewline = lines.last?.isEmpty == true
        if endsWithNewline { lines.removeLast() }
        func writeLines() throws -> Data {
            bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")])) + (endsWithNewline ? [UInt8(ascii: "\n")] : [])
            return try write()
        }

        switch kind {
        case .flipByte:
            bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            return try write()
        case .truncate:
            bytes.removeLast(Int.random(in: 1...min(bytes.count, 200), using: &generator))
            return try write()
        case .deleteLine:
            lines.remove(at: Int.random(in: 0..<lines.count, using: &generator))
            return try writeLines()
        case .duplicateLine:
            let index = Int.random(in: 0..<lines.count, using: &generator)
            lines.insert(lines[index], at: index)
            return try writeLines()
        case .swapLines:
            guard lines.count > 1 else { return try writeLines() }
            let first = Int.random(in: 0..<lines.count, using: &generator)
            var second = Int.random(in: 0..<lines.count - 1, using: &generator)
            if second >= first { second += 1 }
            lines.swapAt(first, second)
            return try writeLines()
        case .changeNumber:
            let numbers = ["0", "1", "2", "3", "9", "-1", "1.5", "1e400", "9007199254740993", "18446744073709551615",
                           "99999999999999999999999"]
            let digits = bytes.indices.filter { (48...57).contains(bytes[$0]) && ($0 == 0 || !(48...57).contains(bytes[$0 - 1])) }
            guard let start = digits.randomElement(using: &generator) else { return try write() }
            var end = start
            while end < bytes.count, (48...57).contains(bytes[end]) { end += 1 }
            bytes.replaceSubrange(start..<end, with: Array(numbers.randomElement(using: &generator)!.utf8))
            return try write()
        case .changeType:
            let values = valueStarts(bytes)
            guard let start = values.randomElement(using: &generator) else { return try write() }
            let end = valueEnd(bytes, from: start)
            let replacement: String
            switch bytes[start] {
            case UInt8(ascii: "\""): replacement = ["12", "true", "null", "[]", "{}"].randomElement(using: &generator)!
            case UInt8(ascii: "{"), UInt8(ascii: "["): replacement = ["\"x\"", "0", "null"].randomElement(using: &generator)!
            default: replacement = ["\"7\"", "[]", "{}", "false"].randomElement(using: &generator)!
            }
            bytes.replaceSubrange(start..<end, with: Array(replacement.utf8))
            return try write()
        case .addKey:
            let objects = bytes.indices.filter { bytes[$0] == UInt8(ascii: "{") }
            guard let brace = objects.randomElement(using: &generator) else { return try write() }
            let empty = bytes[(brace + 1)...].first { $0 != 0x20 && $0 != 0x0A } == UInt8(ascii: "}")
            let key = ["\"fuzz\":1", "\"name\":\"twice\"", "\"key\":\"OPS\"", "\"state\":\"connected\""].randomElement(using: &generator)!
            bytes.insert(contentsOf: Array((key + (empty ? "" : ",")).utf8), at: brace + 1)
            return try write()
        case .removeKey:
            // A `"key":value` that follows a comma, with the comma.
            let pairs = bytes.indices.filter { bytes[$0] == UInt8(ascii: ",") && $0 + 1 < bytes.count && nextNonSpace(bytes, $0 + 1) == UInt8(ascii: "\"") }
                .compactMap { comma -> Range<Int>? in
                    let keyStart = bytes[(comma + 1)...].firstIndex(of: UInt8(ascii: "\""))!
                    guard let keyEnd = bytes[(keyStart + 1)...].firstIndex(of: UInt8(ascii: "\"")),
                        let colon = bytes[(keyEnd + 1)...].firstIndex(where: { $0 != 0x20 }), bytes[colon] == UInt8(ascii: ":"),
                        let value = bytes[(colon + 1)...].firstIndex(where: { $0 != 0x20 })
                    else { return nil }
                    return comma..<valueEnd(bytes, from: value)
                }
            guard let pair = pairs.randomElement(using: &generator) else { return try write() }
            bytes.removeSubrange(pair)
            return try write()
        case .deleteFile:
            try FileManager.default.removeItem(at: url)
            return nil
        case .linkToDevNull: return try replaceWithLink(to: "/dev/null")
        case .linkToDevZero: return try replaceWithLink(to: "/dev/zero")
        case .danglingLink: return try replaceWithLink(to: root.file("nowhere-\(UUID().uuidString)").path)
        case .linkToACopy:
            let copy = root.file("copy-\(UUID().uuidString)")
            try original.write(to: copy)
            return try replaceWithLink(to: copy.path)
        case .directory:
            try FileManager.default.removeItem(at: url)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            return nil
        case .pipe:
            try FileManager.default.removeItem(at: url)
            #expect(mkfifo(url.path, 0o644) == 0)
            return nil
        }
    }

    /// Offsets where a JSON value starts (after a colon).
    func valueStarts(_ bytes: [UInt8]) -> [Int] {
        bytes.indices.compactMap { index in
            guard bytes[index] == UInt8(ascii: ":") else { return nil }
            return bytes[(index + 1)...].firstIndex { $0 != 0x20 }
        }
    }

    func nextNonSpace(_ bytes: [UInt8], _ from: Int) -> UInt8? { bytes[from...].first { $0 != 0x20 && $0 != 0x0A } }

    /// The offset just past the JSON value that starts at `start` (strings, nesting, scalars).
    func valueEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        var depth = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return index + 1 }
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return index }
                    depth -= 1
                    if depth == 0 { return index + 1 }
                case UInt8(ascii: ","), 0x0A, 0x20:
                    if depth == 0 { return index }
                default: break
                }
            }
            index += 1
        }
        return index
    }
}

extension StoreContent {
    private static let secretKinds = ["secret ", "oauth ", "password "]
    var secretPart: [String] { records.filter { record in Self.secretKinds.contains { record.hasPrefix($0) } } }
    var publicPart: [String] { records.filter { record in !Self.secretKinds.contains { record.hasPrefix($0) } } }
}

