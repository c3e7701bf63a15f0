import Foundation
import IntercomMockStore
import IntercomMockWorld
import RelinkCore
import RelinkStore

/// `Fixtures/demo` as DESIGN.md §5 describes it: the Jira site acme.atlassian.net with SUP and BUG
/// connected (same workspace, same app user), WEB broken (its token was revoked) and OPS not
/// connected; the workspaces "Acme Support" (US) and "Acme Europe" (EU); the dedicated app user
/// jira-bot@acme.test and the teammates alice@ and bob@acme.test.
///
/// Every password, token and secret here is fake and says so.
public enum DemoFixture {
    public static let site = "acme.atlassian.net"
    public static let support = Workspace(id: "acme4sup", name: "Acme Support", region: .us)
    public static let europe = Workspace(id: "acmeeu01", name: "Acme Europe", region: .eu)
    public static let bot = AppUser(id: "2633609", email: "jira-bot@acme.test", name: "Jira Bot")
    public static let alice = AppUser(id: "2633610", email: "alice@acme.test", name: "Alice Adams")
    public static let bob = AppUser(id: "2633611", email: "bob@acme.test", name: "Bob Brown")
    public static let clientID = "relink-demo-client"
    public static let clientSecret = "fake-demo-client-secret"
    public static func password(_ user: AppUser) -> String {
        "fake-password-" + user.email.prefix { $0 != "@" }
    }

    /// Writes the fixture into an empty store directory.
    public static func write(to store: Store) throws {
        let base = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18
        var world = MockWorld()
        world.addWorkspace(idCode: support.id, name: support.name, region: support.region, timezone: "America/New_York")
        world.addWorkspace(idCode: europe.id, name: europe.name, region: europe.region, timezone: "Europe/Dublin")
        world.addTeammate(
            id: bot.id, email: bot.email, name: bot.name, password: password(bot), workspaces: [support.id, europe.id])
        world.addTeammate(
            id: alice.id, email: alice.email, name: alice.name, password: password(alice), workspaces: [support.id])
        world.addTeammate(
            id: bob.id, email: bob.email, name: bob.name, password: password(bob), workspaces: [support.id, europe.id])
        world.registerApp(
            clientID: clientID, clientSecret: clientSecret, name: "Intercom for Jira (relink demo)",
            redirectURIs: ["http://127.0.0.1/callback"], development: true)
        for (id, workspace) in [
            ("1001", support), ("1002", support), ("1003", support), ("1004", support), ("1005", support),
            ("2001", europe),
        ] {
            world.addConversation(id: id, workspaceID: workspace.id)
        }

        var supSettings = ConnectionConfiguration.defaults
        supSettings.conversationLinking.notificationTriggers.issueTransitioned = .init(
            enabled: true, reopenConversations: true, transitions: ["Done"])
        var bugSettings = ConnectionConfiguration.defaults
        bugSettings.conversationLinking.notificationTriggers.issueCommented.filterEnabled = true
        bugSettings.intercomIssuePanel.visibleFields.company.append("industry")
        let projects = [
            Project(
                key: "SUP", name: "Customer Support", jiraSite: site, settings: supSettings,
                links: [
                    .init(issueKey: "SUP-12", conversationIds: ["1001", "1002"]),
                    .init(issueKey: "SUP-40", conversationIds: ["1003"]),
                ]),
            Project(
                key: "BUG", name: "Bug Tracker", jiraSite: site, settings: bugSettings,
                links: [.init(issueKey: "BUG-7", conversationIds: ["1004"])]),
            Project(
                key: "WEB", name: "Website", jiraSite: site,
                links: [.init(issueKey: "WEB-3", conversationIds: ["1005"])]),
            Project(key: "OPS", name: "Operations", jiraSite: site),
        ]

        try store.update { transaction in
            transaction.setOAuthClient(OAuthClientCredentials(clientID: clientID, clientSecret: clientSecret))
            for user in [bot, alice, bob] { transaction.rememberMockPassword(password(user), for: user.email) }
            for project in projects { transaction.put(project) }
            for (offset, key) in ["SUP", "BUG", "WEB"].enumerated() {
                let since = base.addingTimeInterval(Double(offset) * 3600)
                let token = "fake-demo-token-\(key.lowercased())"
                _ = try world.issueToken(
                    teammateEmail: bot.email, workspaceID: support.id, clientID: clientID, issuedAt: since,
                    plaintext: token)
                var connection = Connection(projectKey: ProjectKey(rawValue: key)!)
                let tokenID = "tok-demo-\(key.lowercased())"
                transaction.record(
                    try connection.connect(
                        Authorization(workspace: support, appUser: bot, tokenID: tokenID, since: since), by: "fixture"))
                transaction.storeToken(token, id: tokenID)
                if key == "WEB" {
                    let revokedAt = base.addingTimeInterval(5 * 86_400)
                    _ = try world.revokeToken(token, at: revokedAt)
                    let evidence = Evidence(
                        status: 401, code: "token_revoked", message: "Token revoked", requestID: "demo-req-web-1")
                    if let event = try connection.recordCheck(
                        .rejected(Diagnosis(evidence: evidence, causes: [.tokenRevoked], isGroundTruth: true)),
                        at: revokedAt.addingTimeInterval(600), by: "fixture")
                    {
                        transaction.record(event)
                    }
                }
                transaction.put(connection)
            }
        }
        try store.compact()
        try store.replaceWorld(with: world)
    }
}
