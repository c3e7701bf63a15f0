import Foundation
import RelinkCore
import RelinkStore

/// The JSON documents of `--json` (DESIGN.md §5): one per command. Optional fields the design
/// names are written as `null`, never left out, so scripts can rely on the keys.
enum Documents {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
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
        var workspace: Workspace?
        var appUser: AppUser?

        init(_ view: SettingsView) {
            key = view.key
            name = view.name
            indicator = view.indicator
            state = view.state
            workspace = view.workspace
            appUser = view.appUser
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(key, forKey: .key)
            try c.encode(name, forKey: .name)
            try c.encode(indicator, forKey: .indicator)
            try c.encode(state, forKey: .state)
            try c.encode(workspace, forKey: .workspace)
            try c.encode(appUser, forKey: .appUser)
        }

        enum CodingKeys: String, CodingKey { case key, name, indicator, state, workspace, appUser }
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
            case lastCheck, actions, settings, links
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
            try c.encode(project.links, forKey: .links)
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

    struct Failure: Encodable {
        var error: String
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
