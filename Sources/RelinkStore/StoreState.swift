import Foundation
import JournaledFiles
import RelinkCore

/// What a store's journal replays onto: a state and the changes that move it on.
protocol JournaledState: Codable, Sendable {
    associatedtype Change: Codable, Sendable
    init()
    mutating func apply(_ change: Change)
    /// The snapshot file's bytes; by default a pretty-printed `Snapshot`.
    func snapshotData(sequence: UInt64) throws -> Data
    /// Reads a snapshot file; by default decodes a `Snapshot`.
    static func decodeSnapshot(_ data: Data, from url: URL) throws(StoreError) -> SnapshotRead<Self>
    /// Reads the snapshot file at `url`; nil when there is none. By default reads it whole and
    /// decodes it with `decodeSnapshot`.
    static func readSnapshot(at url: URL) throws(StoreError) -> SnapshotRead<Self>?
    /// What is contradictory once `changes` are applied (a record pointing at one that is not
    /// there), in words; nil when nothing is.
    func damage(after changes: [Change]) -> String?
    /// Whether this state (a snapshot) already holds what `changes` do: the journal lines a
    /// compaction folded in before a crash kept it from emptying the journal.
    func holds(_ changes: [Change]) -> Bool
    /// Checks what a new snapshot would copy without decoding it.
    ///
    /// - Throws: `SnapshotContentError` naming a record that is damaged.
    mutating func validateBeforeSnapshot() throws
}

extension JournaledState {
    func damage(after changes: [Change]) -> String? { nil }
    mutating func validateBeforeSnapshot() throws {}

    func snapshotData(sequence: UInt64) throws -> Data {
        try StoreCoding.encoder(pretty: true).encode(Snapshot(sequence: sequence, state: self))
    }

    static func readSnapshot(at url: URL) throws(StoreError) -> SnapshotRead<Self>? {
        guard let data = try StoreFile.read(url) else { return nil }
        var read = try decodeSnapshot(data, from: url)
        read.byteCount = data.count
        return read
    }

    static func decodeSnapshot(_ data: Data, from url: URL) throws(StoreError) -> SnapshotRead<Self> {
        do {
            let snapshot = try StoreCoding.decoder().decode(Snapshot<Self>.self, from: data)
            return SnapshotRead(state: snapshot.state, sequence: snapshot.sequence)
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
    var projects = Self.projectTable()
    var connections = Self.connectionTable()
    var events = EventLog()

    static func projectTable(_ decoded: [ProjectKey: Project] = [:]) -> RecordTable<Project> {
        RecordTable(section: "projects", decoded: decoded) { $0.key }
    }

    static func connectionTable(_ decoded: [ProjectKey: Connection] = [:]) -> RecordTable<Connection> {
        RecordTable(section: "connections", decoded: decoded) { $0.projectKey }
    }

    init() {}

    enum Change: Codable, Sendable {
        case putProject(project: Project)
        case deleteProject(key: ProjectKey)
        case putConnection(connection: Connection)
        case recordEvent(event: ConnectionEvent)
    }

    /// A connection belongs to a project: one without it is what remains of a deleted project
    /// line, and would be shown nowhere.
    func damage(after changes: [Change]) -> String? {
        for case .putConnection(let connection) in changes where !projects.contains(connection.projectKey) {
            return "the connection of project \(connection.projectKey) names a project that is not in the store"
        }
        return nil
    }

    /// The records' keys are unique and every connection has its project; `place` names a
    /// record (`line 7` or `projects[3]`) in the problem.
    static func checkRecords(
        _ projectList: [Project], _ connectionList: [Connection], place: (_ section: String, _ index: Int) -> String
    ) throws(SnapshotContentError) -> (projects: [ProjectKey: Project], connections: [ProjectKey: Connection]) {
        // One dictionary per section, as before the check; the first of two equal keys is
        // searched for only when there are two.
        var projects = [ProjectKey: Project](minimumCapacity: projectList.count)
        for (index, project) in projectList.enumerated() where projects.updateValue(project, forKey: project.key) != nil
        {
            let first = projectList.firstIndex { $0.key == project.key }!
            throw SnapshotContentError(
                problem: "\(place("projects", index)): project \(project.key) appears a second time (first at "
                    + "\(place("projects", first))); keep the right one and remove the other")
        }
        var connections = [ProjectKey: Connection](minimumCapacity: connectionList.count)
        for (index, connection) in connectionList.enumerated() {
            let key = connection.projectKey
            if connections.updateValue(connection, forKey: key) != nil {
                let first = connectionList.firstIndex { $0.projectKey == key }!
                throw SnapshotContentError(
                    problem: "\(place("connections", index)): the connection of project \(key) appears a second time "
                        + "(first at \(place("connections", first))); keep the right one and remove the other")
            }
            if projects[key] == nil {
                throw SnapshotContentError(
                    problem: "\(place("connections", index)): the connection of project \(key) has no project line "
                        + "(was it deleted?); put the project back or remove the connection")
            }
        }
        return (projects, connections)
    }

    mutating func apply(_ change: Change) {
        switch change {
        case .putProject(let project): projects.set(project, forKey: project.key)
        case .deleteProject(let key):
            projects.set(nil, forKey: key)
            if connections.contains(key) { connections.set(nil, forKey: key) }
        case .putConnection(let connection): connections.set(connection, forKey: connection.projectKey)
        case .recordEvent(let event): events.appended.append(event)
        }
    }

    /// Events read from the old snapshot are copied as they are, so each must be sound: a
    /// damaged one would otherwise pass into a file that looks whole. Those of a snapshot whose
    /// checksum matched are (`EventLog.vouchedFor`); the others were decoded at open.
    mutating func validateBeforeSnapshot() throws { try events.validate() }

    /// Puts hold when replaying them changes nothing; events when they are the snapshot's last.
    func holds(_ changes: [Change]) -> Bool {
        var replayed = self
        var recorded: [ConnectionEvent] = []
        for change in changes {
            if case .recordEvent(let event) = change { recorded.append(event) } else { replayed.apply(change) }
        }
        guard replayed.projects == projects, replayed.connections == connections else { return false }
        return (try? events.last(recorded.count)) == recorded
    }

    // Arrays sorted by key, one element per entry: readable, and a diff shows what changed.
    enum CodingKeys: String, CodingKey { case projects, connections, events }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let projectList = try c.decode([Project].self, forKey: .projects)
        let connectionList = try c.decode([Connection].self, forKey: .connections)
        let (projects, connections) = try Self.checkRecords(projectList, connectionList) { "\($0)[\($1)]" }
        self.projects = Self.projectTable(projects)
        self.connections = Self.connectionTable(connections)
        events = EventLog(appended: try c.decode([ConnectionEvent].self, forKey: .events))
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(try projects.all().values.sorted { $0.key < $1.key }, forKey: .projects)
        try c.encode(try connections.all().values.sorted { $0.projectKey < $1.projectKey }, forKey: .connections)
        try c.encode(try events.all(), forKey: .events)
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
