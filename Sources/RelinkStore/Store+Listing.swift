import Foundation
import JournaledFiles
import RelinkCore

extension Store {
    /// Every project as the `projects` list shows it, sorted by key. Records decoded already give
    /// their rows; the others are read on every core for the fields the list shows only (no
    /// settings, links, breakages or times, most of a record's decoding) and are not kept, so a
    /// listing leaves the store as lazy as it was.
    ///
    /// - Throws: `StoreError.damaged` naming the file and the line of a record whose bytes changed
    ///   in the file since the open (a program rewrote it in place) or that cannot be read.
    public var projectListings: [ProjectListing] {
        get throws(StoreError) { try listings() }
    }

    private func listings() throws(StoreError) -> [ProjectListing] {
        let (projects, connections) = lock.withLock { (publicFileState.projects, publicFileState.connections) }
        let connectionParts = try connections.parts(ListedConnection.self, key: \.project) { ListedConnection($0) }
        let connectionRows = Dictionary(
            connectionParts.map { ($0.project, $0) }, uniquingKeysWith: { first, _ in first })
        let projectRows = try projects.parts(ListedProject.self, key: \.key) { ListedProject($0) }
        return projectRows.map { project in
            let connection = connectionRows[project.key]
            return ProjectListing(
                key: project.key, name: project.name, state: connection?.state ?? .notConnected,
                workspace: connection?.authorization?.workspace, appUser: connection?.authorization?.appUser)
        }
    }
}

/// What the list reads of a project line.
struct ListedProject: Decodable, Sendable {
    var key: ProjectKey
    var name: String
}

extension ListedProject {
    init(_ project: Project) {
        key = project.key
        name = project.name
    }
}

/// What the list reads of a connection line.
struct ListedConnection: Decodable, Sendable {
    struct ListedAuthorization: Decodable, Sendable {
        var workspace: Workspace
        var appUser: AppUser
    }

    var project: ProjectKey
    var state: ConnectionState.StateName
    var authorization: ListedAuthorization?
}

extension ListedConnection {
    init(_ connection: Connection) {
        project = connection.projectKey
        state = connection.state.name
        authorization = connection.state.authorization.map {
            ListedAuthorization(workspace: $0.workspace, appUser: $0.appUser)
        }
    }
}
