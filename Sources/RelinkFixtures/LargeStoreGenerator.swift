import Foundation
import IntercomMockWorld
import RelinkCore
import RelinkStore

/// Generates a large, realistic store: projects over several workspaces and regions, in every
/// state, with varied settings, links, events and tokens. Deterministic for a given size, so a
/// generated fixture diffs cleanly and benchmarks compare like with like.
///
/// Used by `Fixtures/large` and by the benchmarks (`relink-bench generate`).
public struct LargeStoreGenerator {
    public var projectCount: Int
    public var site = "large.atlassian.net"
    /// When set, the mock world gets the workspaces, teammates, app and (the live) tokens too.
    public var includeWorld: Bool
    /// How many workspaces the connections spread over; `nil`: one per 500 projects, at least 3.
    /// One workspace puts every connection in one rate-limit budget (the pacing benchmark).
    public var workspaceCount: Int?
    /// Every project connected with a live token (the pacing benchmark: every check is one counted
    /// request); otherwise 70% connected, 15% broken, 15% not connected.
    public var connectedOnly: Bool

    public init(projectCount: Int, includeWorld: Bool, workspaceCount: Int? = nil, connectedOnly: Bool = false) {
        self.projectCount = projectCount
        self.includeWorld = includeWorld
        self.workspaceCount = workspaceCount.map { max($0, 1) }
        self.connectedOnly = connectedOnly
    }

    public static let clientID = "relink-demo-client"
    /// Fake, and says so: fixtures never hold a real secret.
    public static let clientSecret = "fake-client-secret-not-a-real-one"
    public static let teammatePassword = "fake-password-for-fixtures"

    /// Writes the projects into `store` (one transaction, then a snapshot) and returns the world.
    public func generate(into store: Store) throws -> MockWorld {
        let base = Date(timeIntervalSince1970: 1_780_000_000)
        let regions: [Region] = [.us, .eu, .au]
        let workspaceCount = self.workspaceCount ?? max(3, projectCount / 500)
        let workspaces = (0..<workspaceCount).map { index in
            Workspace(
                id: String(format: "ws%06d", index), name: "Workspace \(index + 1)",
                region: regions[index % regions.count])
        }
        func bot(_ workspace: Int) -> AppUser {
            AppUser(
                id: String(3_000_000 + workspace * 10), email: "jira-bot-\(workspace)@large.test",
                name: "Jira Bot \(workspace)")
        }
        var world = MockWorld()
        if includeWorld {
            world.registerApp(
                clientID: Self.clientID, clientSecret: Self.clientSecret, name: "Intercom for Jira (relink)",
                redirectURIs: ["http://127.0.0.1/callback"], development: true)
            for (index, workspace) in workspaces.enumerated() {
                world.addWorkspace(idCode: workspace.id, name: workspace.name, region: workspace.region)
                let user = bot(index)
                world.addTeammate(
                    id: user.id, email: user.email, name: user.name, password: Self.teammatePassword,
                    workspaces: [workspace.id])
                world.addTeammate(
                    id: String(3_000_000 + index * 10 + 1), email: "agent-\(index)@large.test", name: "Agent \(index)",
                    password: Self.teammatePassword, workspaces: [workspace.id])
            }
        }
        let causes = RelinkCore.BreakCause.allCases
        try store.update { transaction in
            if includeWorld {
                transaction.setOAuthClient(
                    OAuthClientCredentials(clientID: Self.clientID, clientSecret: Self.clientSecret))
            }
            for index in 0..<projectCount {
                let key = ProjectKey(rawValue: Self.key(index))!
                var settings = ConnectionConfiguration.defaults
                if index % 10 == 3 { settings.intercomIssuePanel.visibleFields.company.append("industry") }
                if index % 10 == 7 {
                    settings.conversationLinking.notificationTriggers.issueTransitioned.transitions = [
                        "Done", "Won't do",
                    ]
                    settings.conversationLinking.notificationTriggers.issueCommented.enabled = false
                }
                let links =
                    index % 4 == 0
                    ? [
                        IssueLinks(
                            issueKey: "\(key)-1", conversationIds: [String(100_000 + index), String(200_000 + index)])
                    ] : []
                transaction.put(
                    Project(key: key, name: "Project \(index)", jiraSite: site, settings: settings, links: links))

                // 70% connected, 15% broken, 15% not connected (some of them revoked earlier).
                let slot = connectedOnly ? 0 : index % 20
                guard slot < 17 || slot == 19 else { continue }
                let workspaceIndex = index % workspaceCount
                let since = base.addingTimeInterval(Double(index))
                let tokenID = "tok-\(key.rawValue.lowercased())"
                let token = "fake-large-token-\(index)"
                var connection = Connection(projectKey: key)
                transaction.record(
                    try connection.connect(
                        Authorization(
                            workspace: workspaces[workspaceIndex], appUser: bot(workspaceIndex), tokenID: tokenID,
                            since: since),
                        by: "generator"))
                transaction.storeToken(token, id: tokenID)
                if slot >= 14 && slot < 17 {
                    let cause = causes[index % causes.count]
                    let evidence = Evidence(
                        status: cause == .permissionMissing ? 403 : 401,
                        code: cause == .permissionMissing ? "forbidden" : "unauthorized",
                        requestID: "gen-\(index)")
                    if let event = try connection.recordCheck(
                        .rejected(Diagnosis(evidence: evidence, causes: [cause], isGroundTruth: true)),
                        at: since.addingTimeInterval(3600), by: "generator")
                    {
                        transaction.record(event)
                    }
                } else if slot == 19 {
                    transaction.record(try connection.revoke(at: since.addingTimeInterval(7200), by: "generator"))
                    transaction.forgetToken(id: tokenID)
                } else if includeWorld {
                    _ = try world.issueToken(
                        teammateEmail: bot(workspaceIndex).email, workspaceID: workspaces[workspaceIndex].id,
                        clientID: Self.clientID, issuedAt: since, plaintext: token)
                }
                transaction.put(connection)
            }
        }
        try store.compact()
        return world
    }

    /// `P0`, `P1`, … as Jira keys: letters first.
    public static func key(_ index: Int) -> String { "P\(index)" }
}
