import Foundation
import RelinkCore

enum Sample {
    static let acme = Workspace(id: "drzzt019", name: "Acme Support", region: .us)
    static let europe = Workspace(id: "eu4k2x9a", name: "Acme Europe", region: .eu)
    static let bot = AppUser(id: "2633609", email: "jira-bot@acme.test", name: "Jira Bot")
    static let alice = AppUser(id: "2633610", email: "alice@acme.test", name: "Alice")
    static let t0 = Date(timeIntervalSince1970: 1_780_000_000)

    static func authorization(
        _ workspace: Workspace = acme, _ user: AppUser = bot, token: String = "tok-1", at offset: TimeInterval = 0
    ) -> Authorization {
        Authorization(workspace: workspace, appUser: user, tokenID: token, since: t0.addingTimeInterval(offset))
    }

    static func connected(_ key: ProjectKey = "SUP") throws -> Connection {
        var connection = Connection(projectKey: key)
        _ = try connection.connect(authorization(), by: "test")
        return connection
    }

    static let revoked = Diagnosis(
        evidence: Evidence(status: 401, code: "token_revoked", message: "Token revoked", requestID: "req-1"),
        causes: [.tokenRevoked], isGroundTruth: true)
}
