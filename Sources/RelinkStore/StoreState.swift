import Foundation
import RelinkCore

/// What a store's journal replays onto: a state and the changes that move it on.
protocol JournaledState: Codable, Sendable {
    associatedtype Change: Codable, Sendable
    init()
    mutating func apply(_ change: Change)
    /// The snapshot file's bytes; by default a pretty-printed `Snapshot`.
    func snapshotData(sequence: UInt64) throws -> Data
    /// Reads a snapshot file; by default decodes a `Snapshot`.
    static func decodeSnapshot(_ data: Data, from url: URL) throws(StoreError) -> (state: Self, sequence: UInt64)
}

extension JournaledState {
    func snapshotData(sequence: UInt64) throws -> Data {
        try StoreCoding.encoder(pretty: true).encode(Snapshot(sequence: sequence, state: self))
    }

    static func decodeSnapshot(_ data: Data, from url: URL) throws(StoreError) -> (state: Self, sequence: UInt64) {
        do {
            let snapshot = try StoreCoding.decoder().decode(Snapshot<Self>.self, from: data)
            return (snapshot.state, snapshot.sequence)
        } catch let error as SchemaVersionError {
            throw error.storeError(file: url)
        } catch {
            throw StoreError.damaged(url, decoding: error, data: data)
        }
    }
}

/// The shareable part of the store: projects, their connection records and the event history.
/// No secret lives here.
struct StoreState: JournaledState {
    var projects: [ProjectKey: Project] = [:]
    var connections: [ProjectKey: Connection] = [:]
    var events = EventLog()

    init() {}

    enum Change: Codable, Sendable {
        case putProject(project: Project)
        case deleteProject(key: ProjectKey)
        case putConnection(connection: Connection)
        case recordEvent(event: ConnectionEvent)
    }

    mutating func apply(_ change: Change) {
        switch change {
        case .putProject(let project): projects[project.key] = project
        case .deleteProject(let key):
            projects[key] = nil
            connections[key] = nil
        case .putConnection(let connection): connections[connection.projectKey] = connection
        case .recordEvent(let event): events.appended.append(event)
        }
    }

    // Arrays sorted by key, one element per entry: readable, and a diff shows what changed.
    enum CodingKeys: String, CodingKey { case projects, connections, events }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let projectList = try c.decode([Project].self, forKey: .projects)
        projects = Dictionary(projectList.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        let connectionList = try c.decode([Connection].self, forKey: .connections)
        connections = Dictionary(connectionList.map { ($0.projectKey, $0) }, uniquingKeysWith: { _, last in last })
        events = EventLog(appended: try c.decode([ConnectionEvent].self, forKey: .events))
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(projects.values.sorted { $0.key < $1.key }, forKey: .projects)
        try c.encode(connections.values.sorted { $0.projectKey < $1.projectKey }, forKey: .connections)
        try c.encode(try events.all(), forKey: .events)
    }
}

/// The secret part of the store, kept in files of mode 0600: tokens by id, the OAuth client.
struct SecretState: JournaledState {
    var tokens: [String: String] = [:]
    var oauthClient: OAuthClientCredentials?
    /// Passwords of the mock's teammates (fake ones, from fixtures or typed once), so that
    /// `connect --as EMAIL` against the mock needs no password each time.
    var mockPasswords: [String: String] = [:]

    init() {}

    enum CodingKeys: String, CodingKey { case tokens, oauthClient, mockPasswords }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tokens = try c.decodeIfPresent([String: String].self, forKey: .tokens) ?? [:]
        oauthClient = try c.decodeIfPresent(OAuthClientCredentials.self, forKey: .oauthClient)
        mockPasswords = try c.decodeIfPresent([String: String].self, forKey: .mockPasswords) ?? [:]
    }

    enum Change: Codable, Sendable {
        case putMockPassword(email: String, password: String)
        case putToken(id: String, token: String)
        case forgetToken(id: String)
        case setOAuthClient(client: OAuthClientCredentials?)
    }

    mutating func apply(_ change: Change) {
        switch change {
        case .putMockPassword(let email, let password): mockPasswords[email.lowercased()] = password
        case .putToken(let id, let token): tokens[id] = token
        case .forgetToken(let id): tokens[id] = nil
        case .setOAuthClient(let client): oauthClient = client
        }
    }
}

/// The OAuth app relink authorizes as against the real Intercom.
public struct OAuthClientCredentials: Codable, Equatable, Sendable {
    public var clientID: String
    public var clientSecret: String

    public init(clientID: String, clientSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }
}
