import Foundation
import IntercomMockStore
import IntercomMockWorld
import JournaledFiles
import RelinkCore
import RelinkStore

extension SupportBundle {
    /// What an import rebuilt.
    public struct ImportSummary: Sendable, Equatable {
        public var projects: Int
        /// Connections holding a token (connected or broken).
        public var connections: Int
        public var events: Int
        /// Fresh fake secrets: one token per token of the world (and per connection it lacked),
        /// one password per teammate, one OAuth client secret.
        public var tokensMinted: Int
        public var passwordsMinted: Int
        /// Broken connections whose cause the bundle did not know (no ground truth, as from the
        /// real API): the mock kills their token by a cause that fits the recorded evidence.
        public var guessedCauses: [GuessedCause]
        /// Whether the bundle held the mock's world, or the import made one from the connections.
        public var worldFromBundle: Bool
        /// Projects the store held before (`--replace`).
        public var replacedProjects: Int
    }

    public struct GuessedCause: Sendable, Equatable {
        public var project: ProjectKey
        public var cause: BreakCause
    }

    /// The store's files rebuilt from a bundle, before they are written.
    struct Rebuilt {
        var records = StoreContents()
        var world = MockWorld()
        var summary: ImportSummary
    }

    /// A client id for a world that names no OAuth app (a bundle without the mock's world).
    static let importedClientID = "relink-imported-client"

    /// Rebuilds the records as the bundle holds them and a mock world in which each token is alive
    /// or dead as recorded, with fresh fake secrets throughout.
    static func rebuild(_ contents: Contents, now: Date) -> Rebuilt {
        var rebuilt = Rebuilt(
            summary: ImportSummary(
                projects: contents.projects.count, connections: 0, events: contents.events.count, tokensMinted: 0,
                passwordsMinted: 0, guessedCauses: [], worldFromBundle: contents.world != nil, replacedProjects: 0))
        var world = MockWorld()
        var passwords: [String: String] = [:]
        /// Bundle token id → the fresh token standing in for it.
        var minted: [String: (id: String, plaintext: String)] = [:]

        func mintToken() -> (id: String, plaintext: String) {
            let plaintext = Secret.random(prefix: "fake_imported_tok_")
            rebuilt.summary.tokensMinted += 1
            return (TokenID.of(token: plaintext), plaintext)
        }
        func addTeammate(id: String, email: String, name: String, workspaces: [String]) {
            let password = "fake-imported-" + Secret.random(prefix: "", bytes: 9)
            passwords[email.lowercased()] = password
            world.addTeammate(id: id, email: email, name: name, password: password, workspaces: workspaces)
        }

        if let recorded = contents.world {
            world.workspaces = recorded.workspaces
            for teammate in recorded.teammates {
                addTeammate(
                    id: teammate.id, email: teammate.email, name: teammate.name, workspaces: teammate.workspaces)
                world.teammates[world.teammates.count - 1].removedFrom = teammate.removedFrom
                world.teammates[world.teammates.count - 1].permissionWithdrawnIn = teammate.permissionWithdrawnIn
            }
            for app in recorded.apps {
                world.registerApp(
                    clientID: app.clientId, clientSecret: "unused", name: app.name, redirectURIs: app.redirectUris,
                    installedIn: app.installedIn, development: app.development == true)
            }
            world.conversations = recorded.conversations
            world.rateLimit = recorded.rateLimit
            for token in recorded.tokens {
                let fresh = mintToken()
                let teammateID = recorded.teammates.first { $0.email == token.teammate }?.id ?? token.teammate
                world.tokens.append(
                    MockWorld.Token(
                        id: fresh.id, digest: Secret.sha256Hex(fresh.plaintext), teammateID: teammateID,
                        workspaceID: token.workspace, clientID: token.clientId, issuedAt: token.issuedAt,
                        death: token.status == "alive"
                            ? nil
                            : .init(
                                cause: token.cause ?? .tokenRevoked, at: token.killedAt ?? token.issuedAt,
                                guessed: token.causeGuessed ?? false),
                        permissionMissing: token.permissionMissing))
                minted[token.id] = fresh
            }
        }
        if world.apps.isEmpty {
            world.registerApp(
                clientID: importedClientID, clientSecret: "unused", name: "Intercom for Jira (imported)",
                // A loopback redirect, which Intercom allows only for a development app.
                redirectURIs: ["http://127.0.0.1/callback"], development: true)
        }
        let clientID = world.apps[0].clientID
        let clientSecret = "fake-imported-client-secret-" + Secret.random(prefix: "", bytes: 9)
        world.apps[0].clientSecret = SaltedDigest(secret: clientSecret)

        for project in contents.projects { rebuilt.records.projects.append(project) }
        for connection in contents.connections {
            guard let authorization = connection.state.authorization else {
                rebuilt.records.connections.append(connection)
                continue
            }
            rebuilt.summary.connections += 1
            let token: (id: String, plaintext: String)
            if let found = minted[authorization.tokenID] {
                token = found
            } else {
                // The world did not hold this connection's token (a bundle from the real API has no
                // world): the mock gets one, alive or killed as the record says.
                token = mintToken()
                let workspace = authorization.workspace
                if !world.workspaces.contains(where: { $0.idCode == workspace.id }) {
                    world.addWorkspace(
                        idCode: workspace.id, name: workspace.name, region: workspace.region, timezone: "UTC")
                }
                let user = authorization.appUser
                if let index = world.teammates.firstIndex(where: { $0.email.lowercased() == user.email.lowercased() }) {
                    if !world.teammates[index].workspaces.contains(workspace.id) {
                        world.teammates[index].workspaces.append(workspace.id)
                    }
                } else {
                    addTeammate(id: user.id, email: user.email, name: user.name, workspaces: [workspace.id])
                }
                if !world.apps[0].installedIn.contains(workspace.id) { world.apps[0].installedIn.append(workspace.id) }
                var death: MockWorld.Token.Death?
                var permissionMissing = false
                if case .broken(_, let breakage) = connection.state {
                    let diagnosis = breakage.diagnosis
                    let guessed = !diagnosis.isGroundTruth
                    let cause = diagnosis.causes.first ?? .tokenRevoked
                    if guessed {
                        rebuilt.summary.guessedCauses.append(.init(project: connection.projectKey, cause: cause))
                    }
                    if cause == .permissionMissing {
                        permissionMissing = true
                        let index = world.teammates.firstIndex { $0.email.lowercased() == user.email.lowercased() }!
                        world.teammates[index].permissionWithdrawnIn =
                            (world.teammates[index].permissionWithdrawnIn ?? []) + [workspace.id]
                    } else {
                        death = .init(cause: cause, at: breakage.at, guessed: guessed)
                    }
                }
                let teammateID =
                    world.teammates.first { $0.email.lowercased() == user.email.lowercased() }?.id ?? user.id
                world.tokens.append(
                    MockWorld.Token(
                        id: token.id, digest: Secret.sha256Hex(token.plaintext), teammateID: teammateID,
                        workspaceID: workspace.id, clientID: clientID, issuedAt: authorization.since, death: death,
                        permissionMissing: permissionMissing))
            }
            rebuilt.records.connections.append(connection.naming(tokenID: token.id))
            rebuilt.records.tokens.append((token.id, token.plaintext))
        }
        for event in contents.events { rebuilt.records.events.append(event) }
        for (email, password) in passwords.sorted(by: { $0.key < $1.key }) {
            rebuilt.records.mockPasswords.append((email, password))
        }
        rebuilt.records.oauthClient = OAuthClientCredentials(clientID: clientID, clientSecret: clientSecret)
        rebuilt.summary.passwordsMinted = passwords.count
        // Serials feed ids the mock makes later (teammates, notes): past every id it was given.
        world.nextSerial = max(world.nextSerial, world.tokens.count + 1)
        rebuilt.world = world
        return rebuilt
    }
}

extension Store {
    /// Replaces everything in the store with the case a bundle holds: the records, the mock's
    /// world and fresh fake secrets, landing whole or not at all (`AtomicChange`; the replaced
    /// files are kept in `backups/`).
    ///
    /// - Parameter replace: whether a store that holds projects may be replaced.
    /// - Throws: `SupportBundle.ImportError` when the store holds projects and `replace` is false;
    ///   `StoreError` when the files cannot be written (the store is then as it was).
    public func importBundle(_ contents: SupportBundle.Contents, replace: Bool, now: Date = Date()) throws
        -> SupportBundle.ImportSummary
    {
        var rebuilt = SupportBundle.rebuild(contents, now: now)
        let worldData = try MockWorld.encoder.encode(rebuilt.world)
        rebuilt.summary.replacedProjects = try replaceAll(
            with: rebuilt.records,
            companions: [(worldFile.url.lastPathComponent, worldData, 0o644), (worldBaselineFile.url.lastPathComponent, worldData, 0o644)],
            // The case starts without the faults and requests of whatever the store held before.
            removing: MockActivityFiles.fileNames, label: "import"
        ) { existing in
            if existing > 0, !replace {
                throw SupportBundle.ImportError(
                    "the store \(directory.path) holds \(existing) project(s); importing replaces all of it: add "
                        + "--replace (the old files are kept in backups/), or import into an empty store; nothing was imported"
                )
            }
        }
        return rebuilt.summary
    }
}
