import Foundation

/// What a successful authorization binds a project to.
public struct Authorization: Codable, Equatable, Sendable {
    public var workspace: Workspace
    public var appUser: AppUser
    /// Names the token in the secrets file; the token itself never lives in a record.
    public var tokenID: String
    /// When this authorization was made.
    public var since: Date

    public init(workspace: Workspace, appUser: AppUser, tokenID: String, since: Date) {
        self.workspace = workspace
        self.appUser = appUser
        self.tokenID = tokenID
        self.since = since
    }
}

/// When and why a connection broke.
public struct Breakage: Codable, Equatable, Sendable {
    public var at: Date
    public var diagnosis: Diagnosis

    public init(at: Date, diagnosis: Diagnosis) {
        self.at = at
        self.diagnosis = diagnosis
    }
}

/// The last health check, whatever it found.
public struct CheckRecord: Codable, Equatable, Sendable {
    public enum Result: String, Codable, Sendable {
        /// Intercom accepted the token.
        case healthy
        /// Intercom refused the token or its permissions (401/403).
        case rejected
        /// Intercom could not answer properly (429, 5xx, timeout, unreachable, not JSON); the state was kept.
        case transientFailure = "transient_failure"
    }

    public var at: Date
    public var result: Result
    /// A person-readable reason for anything but `healthy`, e.g. "Intercom answered 503".
    public var reason: String?

    public init(at: Date, result: Result, reason: String? = nil) {
        self.at = at
        self.result = result
        self.reason = reason
    }
}

/// The lifecycle state of a project's connection (DESIGN.md §1).
public enum ConnectionState: Equatable, Sendable {
    case notConnected
    case connected(Authorization)
    case broken(Authorization, Breakage)

    public var name: StateName {
        switch self {
        case .notConnected: .notConnected
        case .connected: .connected
        case .broken: .broken
        }
    }

    public var authorization: Authorization? {
        switch self {
        case .notConnected: nil
        case .connected(let authorization), .broken(let authorization, _): authorization
        }
    }

    public enum StateName: String, Codable, Sendable, CaseIterable {
        case notConnected = "not_connected"
        case connected
        case broken

        /// The settings view's indicator for this state.
        public var indicator: Indicator {
            switch self {
            case .notConnected: .grey
            case .connected: .green
            case .broken: .yellow
            }
        }
    }
}

/// The coloured dot of the project's settings view.
public enum Indicator: String, Codable, Sendable {
    case green, yellow, grey
}

/// A project's connection record: its state and what relink remembers across transitions.
public struct Connection: Equatable, Sendable {
    public var projectKey: ProjectKey
    public internal(set) var state: ConnectionState
    public internal(set) var lastCheck: CheckRecord?
    /// The workspace of the last authorization, kept after a revoke so that a later connect can
    /// tell whether the project's links (conversation ids of that workspace) still make sense.
    public internal(set) var lastWorkspace: Workspace?

    public init(projectKey: ProjectKey) {
        self.init(projectKey: projectKey, state: .notConnected, lastCheck: nil, lastWorkspace: nil)
    }

    /// Restores a record as stored; the store and fixtures use this, the lifecycle does not.
    public init(projectKey: ProjectKey, state: ConnectionState, lastCheck: CheckRecord?, lastWorkspace: Workspace?) {
        self.projectKey = projectKey
        self.state = state
        self.lastCheck = lastCheck
        self.lastWorkspace = lastWorkspace ?? state.authorization?.workspace
    }
}
