import Foundation

/// A flat, readable record: `{"project":"SUP","state":"broken","authorization":{…},"breakage":{…}}`.
extension Connection: Codable {
    enum CodingKeys: String, CodingKey {
        case project, state, authorization, breakage, lastCheck, lastWorkspace
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let key = try c.decode(ProjectKey.self, forKey: .project)
        let name = try c.decode(ConnectionState.StateName.self, forKey: .state)
        let state: ConnectionState
        switch name {
        case .notConnected:
            state = .notConnected
        case .connected:
            state = .connected(try c.decode(Authorization.self, forKey: .authorization))
        case .broken:
            state = .broken(
                try c.decode(Authorization.self, forKey: .authorization),
                try c.decode(Breakage.self, forKey: .breakage))
        }
        self.init(
            projectKey: key, state: state,
            lastCheck: try c.decodeIfPresent(CheckRecord.self, forKey: .lastCheck),
            lastWorkspace: try c.decodeIfPresent(Workspace.self, forKey: .lastWorkspace))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(projectKey, forKey: .project)
        try c.encode(state.name, forKey: .state)
        try c.encodeIfPresent(state.authorization, forKey: .authorization)
        try c.encodeIfPresent(breakage, forKey: .breakage)
        try c.encodeIfPresent(lastCheck, forKey: .lastCheck)
        // The last workspace is the current one while connected: written only when it differs.
        if lastWorkspace != state.authorization?.workspace { try c.encodeIfPresent(lastWorkspace, forKey: .lastWorkspace) }
    }
}
