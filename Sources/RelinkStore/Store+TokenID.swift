import Foundation
import JournaledFiles
import RelinkCore

extension Store {
    /// The public id of the token an authorization holds, as the mock's world and bundles name it
    /// (`TokenID`). Connections made since ids are derived from the token carry it already; an
    /// older record names its token by an id of its own (`tok-3303f11a-4f8f`), mapped here
    /// through the token the secrets file holds for it, so nothing needs rewriting.
    ///
    /// - Throws: `StoreError.damaged` naming the secrets file when it cannot be read.
    public func publicTokenID(of authorization: Authorization) throws(StoreError) -> String {
        try token(id: authorization.tokenID).map(TokenID.of(token:)) ?? authorization.tokenID
    }

    /// The project holding each token, by public token id: for `world`, which shows who holds
    /// what, and for a bundle's connections.
    ///
    /// - Throws: `StoreError.damaged` naming the file of a record that cannot be read.
    public func tokenHolders() throws(StoreError) -> [String: ProjectKey] {
        var holders: [String: ProjectKey] = [:]
        for (key, connection) in try connections {
            if let authorization = connection.state.authorization {
                holders[try publicTokenID(of: authorization)] = key
            }
        }
        return holders
    }
}

extension Connection {
    /// The same record naming its token by `tokenID` (a bundle's public id, or a minted one).
    public func naming(tokenID: String) -> Connection {
        let state: ConnectionState
        switch self.state {
        case .notConnected: return self
        case .connected(var authorization):
            authorization.tokenID = tokenID
            state = .connected(authorization)
        case .broken(var authorization, let breakage):
            authorization.tokenID = tokenID
            state = .broken(authorization, breakage)
        }
        return Connection(projectKey: projectKey, state: state, lastCheck: lastCheck, lastWorkspace: lastWorkspace)
    }
}
