import Foundation
import IntercomMockWorld
import RelinkCore
import RelinkService
import RelinkStore

/// The JSON documents of `--json` (DESIGN.md §5): one per command. Optional fields the design
/// names are written as `null`, never left out, so scripts can rely on the keys.
enum Documents {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .relinkTimestamp
        return encoder
    }()

    static func render(_ document: some Encodable) -> String {
        do {
            return String(decoding: try encoder.encode(document), as: UTF8.self)
        } catch {
            return #"{"error":"could not encode the result as JSON"}"#
        }
    }

    struct ProjectSummary: Encodable {
        var key: ProjectKey
        var name: String
        var indicator: Indicator
        var state: ConnectionState.StateName
        @ExplicitNull var workspace: Workspace? = nil
        @ExplicitNull var appUser: AppUser? = nil

        init(_ view: ProjectListing) {
            key = view.key
            name = view.name
            indicator = view.indicator
            state = view.state
            workspace = view.workspace
            appUser = view.appUser
        }
    }

    struct ProjectList: Encodable {
        var projects: [ProjectSummary]
    }

    /// `show KEY --json`.
    struct Show: Encodable {
        var view: SettingsView
        var project: Project

        enum CodingKeys: String, CodingKey {
            case key, name, jiraSite, indicator, state, headline, warning, notice, workspace, appUser, since
            case lastCheck, actions, settings, links, outbox
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(view.key, forKey: .key)
            try c.encode(view.name, forKey: .name)
            try c.encode(project.jiraSite, forKey: .jiraSite)
            try c.encode(view.indicator, forKey: .indicator)
            try c.encode(view.state, forKey: .state)
            try c.encode(view.headline, forKey: .headline)
            try c.encode(view.warning, forKey: .warning)
            try c.encode(view.notice, forKey: .notice)
            try c.encode(view.workspace, forKey: .workspace)
            try c.encode(view.appUser.map(AppUserDocument.init), forKey: .appUser)
            try c.encode(view.since, forKey: .since)
            try c.encode(view.lastCheck, forKey: .lastCheck)
            try c.encode(view.actions, forKey: .actions)
            try c.encode(project.settings, forKey: .settings)
            try c.encode(project.links.map(LinkDocument.init), forKey: .links)
            try c.encode(project.outbox, forKey: .outbox)
        }
    }

    /// One issue's links in the app's shape, `{count, conversationIds}`, with the issue's key.
    struct LinkDocument: Encodable {
        var issueKey: String
        var count: Int
        var conversationIds: [String]

        init(_ links: IssueLinks) {
            issueKey = links.issueKey
            count = links.count
            conversationIds = links.conversationIds
        }
    }

    struct AppUserDocument: Encodable {
        var id: String
        var email: String
        var name: String
        init(_ user: AppUser) {
            id = user.id
            email = user.email
            name = user.name
        }
    }

    struct EventList: Encodable {
        var events: [ConnectionEvent]
    }

    /// A failed command: the message, its stable code (``ErrorCode``) and the exit status.
    struct Failure: Encodable {
        var error: String
        var code: String
        var exitCode: Int32
    }

    struct Help: Encodable {
        struct Entry: Encodable {
            var name: String
            var synopsis: String
            var summary: String
            var details: String
        }
        var commands: [Entry]
    }

    struct Message: Encodable {
        var ok = true
        var message: String
    }
}

extension Documents {
    /// A transition's event and the settings view after it.
    struct Transition: Encodable {
        var event: ConnectionEvent
        var project: Show
    }

    struct CheckReport: Encodable {
        struct Entry: Encodable {
            var key: ProjectKey
            var result: CheckRecord.Result
            var state: ConnectionState.StateName
            var indicator: Indicator
            @ExplicitNull var reason: String? = nil
            @ExplicitNull var diagnosis: Diagnosis? = nil
            @ExplicitNull var event: ConnectionEvent? = nil
        }

        struct NotChecked: Encodable {
            var key: ProjectKey
            var reason: String
        }

        var checked: [Entry]
        var notChecked: [NotChecked]
        var summary: [String: Int]

        init(results: [CheckResult], notChecked: [(key: ProjectKey, reason: String)] = []) {
            self.notChecked = notChecked.map { NotChecked(key: $0.key, reason: $0.reason) }
            checked = results.map { result in
                switch result.outcome {
                case .healthy:
                    Entry(
                        key: result.key, result: .healthy, state: result.state, indicator: result.state.indicator,
                        event: result.event)
                case .rejected(let diagnosis):
                    Entry(
                        key: result.key, result: .rejected, state: result.state, indicator: result.state.indicator,
                        reason: "Intercom answered \(diagnosis.evidence.summary)", diagnosis: diagnosis,
                        event: result.event)
                case .transientFailure(let reason):
                    Entry(
                        key: result.key, result: .transientFailure, state: result.state,
                        indicator: result.state.indicator,
                        reason: reason, event: result.event)
                }
            }
            summary = ["checked": checked.count]
            for entry in checked { summary[entry.result.rawValue, default: 0] += 1 }
            if !notChecked.isEmpty { summary["notChecked"] = notChecked.count }
        }
    }

    struct Break: Encodable {
        var key: ProjectKey
        var cause: BreakCause
        var target: String
        var killedTokens: [String]
        var restrictedTokens: [String]

        init(outcome: BreakOutcome) {
            key = outcome.key
            cause = outcome.cause
            target = outcome.target
            killedTokens = outcome.killedTokens
            restrictedTokens = outcome.restrictedTokens
        }
    }
}

extension Documents {
    /// `world --json`: the mock's world as its control API shows it, each token with the project
    /// holding it (`null` for a token no project holds).
    struct World: Encodable {
        let world: RedactedWorld
        let holders: [String: ProjectKey]

        struct Token: Encodable {
            let token: RedactedWorld.Token
            let project: ProjectKey?

            func encode(to encoder: any Encoder) throws {
                try token.encode(to: encoder)
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(project, forKey: "project")
            }
        }

        func encode(to encoder: any Encoder) throws {
            try world.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(
                world.tokens.map { Token(token: $0, project: holders[$0.id]) }, forKey: "tokens")
        }
    }
}
