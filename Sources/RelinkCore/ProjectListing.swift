import Foundation

/// One row of the `projects` list: what it shows of a project and its connection, and no more.
/// A large store reads these from its records without decoding settings, links, breakages or
/// times (`Store.projectListings`), which are most of a record's decoding.
public struct ProjectListing: Equatable, Sendable {
    public var key: ProjectKey
    public var name: String
    public var state: ConnectionState.StateName
    public var workspace: Workspace?
    public var appUser: AppUser?

    public var indicator: Indicator { state.indicator }

    public init(
        key: ProjectKey, name: String, state: ConnectionState.StateName, workspace: Workspace?, appUser: AppUser?
    ) {
        self.key = key
        self.name = name
        self.state = state
        self.workspace = workspace
        self.appUser = appUser
    }

    public init(project: Project, connection: Connection?) {
        let authorization = connection?.state.authorization
        self.init(
            key: project.key, name: project.name, state: connection?.state.name ?? .notConnected,
            workspace: authorization?.workspace, appUser: authorization?.appUser)
    }
}
