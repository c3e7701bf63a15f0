import CRelinkChecksum
import Foundation
import JournaledFiles

/// The secret part of the store, kept in files of mode 0600: tokens by id, the OAuth client.
///
/// A `secrets.json` relink wrote carries a CRC-32C of its bytes (`SecretSeal`): opening the store
/// checks it and leaves the file to be decoded on first use, so that a command that reads no
/// secret (`show`, `projects`, `log`) does not decode a hundred thousand tokens. Journal changes
/// read before then wait to be applied to what is decoded. A file without the checksum (written
/// by hand, or by an older relink) is decoded at open, as is one whose checksum does not match,
/// so that damage a decode can name is named.
struct SecretState: JournaledState, Equatable {
    struct Content: Equatable, Sendable {
        var tokens: [String: String] = [:]
        var oauthClient: OAuthClientCredentials?
        /// Passwords of the mock's teammates (fake ones, from fixtures or typed once), so that
        /// `connect --as EMAIL` against the mock needs no password each time.
        var mockPasswords: [String: String] = [:]
        /// The OAuth app's client secret as `config set client-secret` keeps it (its client id is
        /// in the shareable `settings.json`). Older stores keep both in `oauthClient` instead.
        var clientSecret: String?

        mutating func apply(_ change: Change) {
            switch change {
            case .putMockPassword(let email, let password): mockPasswords[email.lowercased()] = password
            case .putToken(let id, let token): tokens[id] = token
            case .forgetToken(let id): tokens[id] = nil
            case .setOAuthClient(let client): oauthClient = client
            case .setClientSecret(let secret): clientSecret = secret
            }
        }
    }

    private var storage: Storage

    init() { storage = Storage(decoded: Content()) }

    /// A sealed snapshot whose checksum matched, decoded on first use.
    private init(undecoded data: Data, url: URL) {
        storage = Storage(decoded: nil)
        storage.undecoded = (data, url)
    }

    /// The secrets, decoding the file on first use.
    ///
    /// - Throws: `StoreError.damaged` naming the file when it cannot be decoded (see `decoded()`).
    var tokens: [String: String] { get throws(StoreError) { try decoded().tokens } }

    var oauthClient: OAuthClientCredentials? { get throws(StoreError) { try decoded().oauthClient } }

    var mockPasswords: [String: String] { get throws(StoreError) { try decoded().mockPasswords } }

    var clientSecret: String? { get throws(StoreError) { try decoded().clientSecret } }

    /// Whether the file's content has been decoded (for tests).
    var isDecoded: Bool { storage.lock.withLock { storage.decoded != nil } }

    /// What the state holds, decoding the file on first use. A file that passed its checksum and
    /// still cannot be decoded (a checksum written by hand over a file that does not read) is
    /// damage naming the file, as at open.
    ///
    /// - Throws: `StoreError.damaged` naming the file and what is wrong.
    func decoded() throws(StoreError) -> Content {
        storage.lock.lock()
        defer { storage.lock.unlock() }
        if let decoded = storage.decoded { return decoded }
        guard let (data, url) = storage.undecoded else { return Content() }
        var content: Content
        do {
            content = try StoreCoding.decoder().decode(Snapshot<SecretState>.self, from: data).state.decoded()
        } catch let error as SchemaVersionError {
            throw error.storeError(file: url)
        } catch {
            throw StoreError.damaged(url, decoding: error, data: data)
        }
        for change in storage.pending { content.apply(change) }
        storage.decoded = content
        storage.undecoded = nil
        storage.pending = []
        return content
    }

    enum CodingKeys: String, CodingKey { case tokens, oauthClient, mockPasswords, clientSecret }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var content = Content()
        content.tokens = try c.decodeIfPresent([String: String].self, forKey: .tokens) ?? [:]
        content.oauthClient = try c.decodeIfPresent(OAuthClientCredentials.self, forKey: .oauthClient)
        content.mockPasswords = try c.decodeIfPresent([String: String].self, forKey: .mockPasswords) ?? [:]
        content.clientSecret = try c.decodeIfPresent(String.self, forKey: .clientSecret)
        storage = Storage(decoded: content)
    }

    func encode(to encoder: any Encoder) throws {
        let content = try decoded()
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(content.tokens, forKey: .tokens)
        try c.encodeIfPresent(content.oauthClient, forKey: .oauthClient)
        try c.encode(content.mockPasswords, forKey: .mockPasswords)
        try c.encodeIfPresent(content.clientSecret, forKey: .clientSecret)
    }

    enum Change: Codable, Sendable {
        case putMockPassword(email: String, password: String)
        case putToken(id: String, token: String)
        case forgetToken(id: String)
        case setOAuthClient(client: OAuthClientCredentials?)
        case setClientSecret(secret: String?)
    }

    /// Whether replaying `changes` changes nothing; `false` when the file does not decode.
    func holds(_ changes: [Change]) -> Bool {
        guard let content = try? decoded() else { return false }
        var replayed = content
        for change in changes { replayed.apply(change) }
        return replayed == content
    }

    mutating func apply(_ change: Change) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        storage.lock.withLock {
            if storage.decoded != nil { storage.decoded!.apply(change) } else { storage.pending.append(change) }
        }
    }

    static func == (lhs: Self, rhs: Self) -> Bool { (try? lhs.decoded()) == (try? rhs.decoded()) }

    func snapshotData(sequence: UInt64) throws -> Data {
        SecretSeal.seal(try StoreCoding.encoder(pretty: true).encode(Snapshot(sequence: sequence, state: self)))
    }

    static func decodeSnapshot(_ data: Data, from url: URL) throws(StoreError) -> SnapshotRead<SecretState> {
        var mismatch: String?
        if let seal = SecretSeal(data), seal.schemaVersion == Snapshot<SecretState>.currentVersion {
            if seal.recorded == seal.computed {
                return SnapshotRead(state: SecretState(undecoded: data, url: url), sequence: seal.sequence)
            }
            mismatch =
                "line 2: its checksum (\(SnapshotChecksum.format(seal.recorded))) does not match its content "
                + "(\(SnapshotChecksum.format(seal.computed))): the file was damaged or changed outside relink. If you "
                + "edited it on purpose, delete that line: relink then decodes the file when it opens the store, and "
                + "writes a new checksum when it next rewrites it"
        } else {
            // No checksum on its second line: one moved elsewhere is checked all the same.
            switch SnapshotChecksum.verdict(data) {
            case .none, .matches: break
            case .malformed(let problem):
                throw .damaged(file: url.path, problem: "\(problem): the file was damaged or changed outside relink")
            case .mismatch(let recorded, let computed):
                mismatch =
                    "its checksum (\(SnapshotChecksum.format(recorded))), moved from its second line, does not match "
                    + "its content (\(SnapshotChecksum.format(computed))): the file was damaged or changed outside "
                    + "relink. If you edited it on purpose, delete that field: relink then decodes the file when it "
                    + "opens the store, and writes a new checksum when it next rewrites it"
            }
        }
        do {
            let snapshot = try StoreCoding.decoder().decode(Snapshot<SecretState>.self, from: data)
            if mismatch != nil, case .mismatch(let recorded, _) = SnapshotChecksum.verdict(data),
                let canonical = try? snapshot.state.snapshotData(sequence: snapshot.sequence),
                SecretSeal(canonical)?.recorded == recorded
            {
                // Laid out anew (pretty-printed otherwise, keys reordered) but holding what relink wrote.
                mismatch = nil
            }
            return SnapshotRead(state: snapshot.state, sequence: snapshot.sequence, deferredProblem: mismatch)
        } catch let error as SchemaVersionError {
            throw error.storeError(file: url)
        } catch {
            throw StoreError.damaged(url, decoding: error, data: data)
        }
    }

    private final class Storage: @unchecked Sendable {
        // @unchecked: every member is read and written under `lock`.
        let lock = NSLock()
        var undecoded: (Data, URL)?
        var pending: [Change] = []
        var decoded: Content?

        init(decoded: Content?) { self.decoded = decoded }

        func copy() -> Storage {
            lock.withLock {
                let copy = Storage(decoded: decoded)
                copy.undecoded = undecoded
                copy.pending = pending
                return copy
            }
        }
    }
}

/// The CRC-32C line of a `secrets.json` relink writes: the file is the pretty-printed snapshot
/// with `  "checksum" : "crc32c:…",` as its second line, of every byte but that line. It stays
/// plain JSON (an older relink reads it, ignoring the field), and the schema version and
/// sequence are found without decoding the file: pretty-printed, a top-level field is the only
/// one on a line indented by two spaces.
struct SecretSeal {
    var recorded: UInt32
    var computed: UInt32
    var schemaVersion: Int
    var sequence: UInt64

    private static let opening = Data("{\n".utf8)
    private static let fieldStart = Data(#"  "checksum" : ""#.utf8)
    /// `  "checksum" : "crc32c:01234567",` and its newline.
    private static var lineLength: Int { fieldStart.count + 15 + 3 }

    static func seal(_ plain: Data) -> Data {
        guard plain.starts(with: opening) else { return plain }
        let crc = SnapshotChecksum.update(0, plain)
        var sealed = Data(opening)
        sealed.append(fieldStart)
        sealed.append(contentsOf: Array("\(SnapshotChecksum.format(crc))\",\n".utf8))
        sealed.append(plain.dropFirst(opening.count))
        return sealed
    }

    /// nil when the file carries no checksum line, or its version or sequence cannot be found
    /// without decoding it (the caller decodes it whole then, and names what is wrong).
    init?(_ data: Data) {
        let base = data.startIndex
        guard data.count > Self.opening.count + Self.lineLength, data.starts(with: Self.opening),
            data[(base + Self.opening.count)...].starts(with: Self.fieldStart)
        else { return nil }
        let valueStart = base + Self.opening.count + Self.fieldStart.count
        let lineEnd = base + Self.opening.count + Self.lineLength
        guard data[lineEnd - 3] == UInt8(ascii: "\""), data[lineEnd - 2] == UInt8(ascii: ","),
            data[lineEnd - 1] == UInt8(ascii: "\n"),
            let recorded = SnapshotChecksum.parse(Substring(decoding: data[valueStart..<(lineEnd - 3)], as: UTF8.self)),
            let version = Self.topLevelNumber("schemaVersion", in: data).flatMap({ Int($0) }),
            let sequence = Self.topLevelNumber("sequence", in: data).flatMap({ UInt64($0) })
        else { return nil }
        self.recorded = recorded
        computed = SnapshotChecksum.update(
            SnapshotChecksum.update(0, data[base..<(base + Self.opening.count)]), data[lineEnd...])
        schemaVersion = version
        self.sequence = sequence
    }

    /// The digits of `\n  "name" : 123` (a top-level field, pretty-printed).
    private static func topLevelNumber(_ name: String, in data: Data) -> Substring? {
        let needle = Array("\n  \"\(name)\" : ".utf8)
        return data.withUnsafeBytes { buffer -> Substring? in
            guard let base = buffer.baseAddress,
                let found = relink_find(base, buffer.count, needle, needle.count)
            else { return nil }
            var index = base.distance(to: found) + needle.count
            let start = index
            while index < buffer.count, (48...57).contains(buffer[index]), index - start < 20 { index += 1 }
            guard index > start else { return nil }
            return Substring(decoding: buffer[start..<index], as: UTF8.self)
        }
    }
}
