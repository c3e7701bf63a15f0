import Foundation
import RelinkCore

/// The builder API for fixtures and tests. Each method replaces an existing entry with the same key.
extension MockWorld {
    /// Adds (or replaces) a workspace.
    public mutating func addWorkspace(
        idCode: String, name: String, region: Region = .us, timezone: String = "Europe/Dublin",
        createdAt: Int = 1_661_876_617
    ) {
        let workspace = Workspace(idCode: idCode, name: name, region: region, timezone: timezone, createdAt: createdAt)
        if let index = workspaces.firstIndex(where: { $0.idCode == idCode }) {
            workspaces[index] = workspace
        } else {
            workspaces.append(workspace)
        }
    }

    /// Adds (or replaces, by email) a teammate; the password is stored as a salted digest.
    public mutating func addTeammate(id: String, email: String, name: String, password: String, workspaces: [String]) {
        let teammate = Teammate(
            id: id, email: email, name: name, password: SaltedDigest(secret: password), workspaces: workspaces)
        if let index = teammates.firstIndex(where: { $0.email.lowercased() == email.lowercased() }) {
            teammates[index] = teammate
        } else {
            teammates.append(teammate)
        }
    }

    /// Registers (or replaces) an OAuth app; the client secret is stored as a salted digest.
    public mutating func registerApp(
        clientID: String, clientSecret: String, name: String, redirectURIs: [String], installedIn: [String] = [],
        development: Bool = false
    ) {
        let app = OAuthApp(
            clientID: clientID, clientSecret: SaltedDigest(secret: clientSecret), name: name,
            redirectURIs: redirectURIs, installedIn: installedIn, development: development ? true : nil)
        if let index = apps.firstIndex(where: { $0.clientID == clientID }) {
            apps[index] = app
        } else {
            apps.append(app)
        }
    }

    /// Issues a token without the OAuth dance and returns its plaintext, the only time it is seen.
    ///
    /// Throws ``MockError`` when the teammate, workspace or app is unknown, or the teammate is not
    /// a member of the workspace. Installs the app in the workspace, as an authorization would.
    /// `plaintext` fixes the token for a checked-in fixture (fake, and named so); by default it is random.
    public mutating func issueToken(
        teammateEmail: String, workspaceID: String, clientID: String, issuedAt: Date = Date(), plaintext: String? = nil
    ) throws -> String {
        let teammate = try requireTeammate(email: teammateEmail)
        _ = try requireWorkspace(workspaceID)
        guard let appIndex = apps.firstIndex(where: { $0.clientID == clientID }) else {
            throw MockError(.notFound, "no OAuth app with client_id \(clientID)")
        }
        guard teammate.workspaces.contains(workspaceID) else {
            throw MockError(.invalid, "\(teammate.email) is not a member of workspace \(workspaceID)")
        }
        if !apps[appIndex].installedIn.contains(workspaceID) {
            apps[appIndex].installedIn.append(workspaceID)
        }
        let plaintext = plaintext ?? Secret.random(prefix: "mock_tok_")
        tokens.append(
            Token(
                id: TokenID.of(token: plaintext), digest: Secret.sha256Hex(plaintext), teammateID: teammate.id,
                workspaceID: workspaceID, clientID: clientID, issuedAt: issuedAt))
        return plaintext
    }

    /// Adds (or replaces) a conversation with no notes.
    public mutating func addConversation(id: String, workspaceID: String, createdAt: Int = 1_700_000_000) {
        let record = ConversationRecord(id: id, workspaceID: workspaceID, createdAt: createdAt)
        if let index = conversations.firstIndex(where: { $0.id == id }) {
            conversations[index] = record
        } else {
            conversations.append(record)
        }
    }

    // MARK: Look-ups shared by the causes, the API and the control API.

    public mutating func takeSerial() -> Int {
        defer { nextSerial += 1 }
        return nextSerial
    }

    public func requireTeammate(email: String) throws -> Teammate {
        guard let teammate = teammates.first(where: { $0.email.lowercased() == email.lowercased() }) else {
            throw MockError(.notFound, "no teammate with email \(email)")
        }
        return teammate
    }

    public func requireWorkspace(_ idCode: String) throws -> Workspace {
        guard let workspace = workspaces.first(where: { $0.idCode == idCode }) else {
            throw MockError(.notFound, "no workspace with id_code \(idCode)")
        }
        return workspace
    }

    public func teammate(id: String) -> Teammate? {
        teammates.first { $0.id == id }
    }

    /// The index of the token whose plaintext is `plaintext`, or whose public id is `plaintext`.
    public func tokenIndex(plaintextOrID value: String) -> Int? {
        let positions = tokenPositions.positions(in: tokens)
        return positions.byID[value] ?? positions.byDigest[Secret.sha256Hex(value)]
    }
}
