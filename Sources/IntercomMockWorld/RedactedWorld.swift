import Foundation
import RelinkCore

/// The world as `GET /__mock/world` shows it: no digests, no plaintext, ever.
public struct RedactedWorld: Codable, Equatable, Sendable {
    public struct Teammate: Codable, Equatable, Sendable {
        public var id: String
        public var email: String
        public var name: String
        public var workspaces: [String]
        public var removedFrom: [String]
        /// Where `permission-missing` withdrew the teammate's permission; absent when nowhere.
        public var permissionWithdrawnIn: [String]?
    }

    public struct App: Codable, Equatable, Sendable {
        public var clientId: String
        public var name: String
        public var redirectUris: [String]
        public var installedIn: [String]
        /// May register loopback http redirect URLs.
        public var development: Bool?
    }

    public struct Token: Codable, Equatable, Sendable {
        public var id: String
        public var teammate: String
        public var workspace: String
        public var clientId: String
        public var issuedAt: Date
        /// `alive` or `dead`.
        public var status: String
        public var cause: BreakCause?
        /// The cause was guessed from recorded evidence on import; absent (false) otherwise.
        public var causeGuessed: Bool?
        public var killedAt: Date?
        public var permissionMissing: Bool
    }

    public var workspaces: [MockWorld.Workspace]
    public var teammates: [Teammate]
    public var apps: [App]
    public var tokens: [Token]
    public var conversations: [MockWorld.ConversationRecord]
    public var rateLimit: MockWorld.RateLimit
}

extension MockWorld {
    /// The world without any secret or digest.
    public var redacted: RedactedWorld {
        RedactedWorld(
            workspaces: workspaces,
            teammates: teammates.map {
                .init(
                    id: $0.id, email: $0.email, name: $0.name, workspaces: $0.workspaces, removedFrom: $0.removedFrom,
                    permissionWithdrawnIn: $0.permissionWithdrawnIn.flatMap { $0.isEmpty ? nil : $0 })
            },
            apps: apps.map {
                .init(
                    clientId: $0.clientID, name: $0.name, redirectUris: $0.redirectURIs, installedIn: $0.installedIn,
                    development: $0.isDevelopment)
            },
            tokens: tokens.map { token in
                .init(
                    id: token.id, teammate: teammate(id: token.teammateID)?.email ?? token.teammateID,
                    workspace: token.workspaceID, clientId: token.clientID, issuedAt: token.issuedAt,
                    status: token.isAlive ? "alive" : "dead", cause: token.death?.cause,
                    causeGuessed: token.death?.guessed == true ? true : nil, killedAt: token.death?.at,
                    permissionMissing: token.permissionMissing)
            },
            conversations: conversations,
            rateLimit: rateLimit)
    }
}
