import Foundation
import RelinkCore
import RelinkStore
import SupportBundles

/// The documents of the commands that shape or move a case: `project`, `settings`, `import`,
/// `export`, `verify`.
extension Documents {
    /// `project add`: the event and the new project's settings view; `project remove`: the event
    /// and no project.
    struct ProjectChange: Encodable {
        var event: ConnectionEvent
        @ExplicitNull var project: Show? = nil
    }

    /// `settings KEY [PATH]`: each field with its value as JSON (true, 3, ["size"], or null when
    /// not set) and the kind of value it takes.
    struct Settings: Encodable {
        struct Field: Encodable {
            var path: String
            var value: Value
            var takes: String
        }

        var project: ProjectKey
        var settings: [Field]

        init(project: Project, fields: [ConnectionConfiguration.SettingField]) {
            self.project = project.key
            settings = fields.map { field in
                Field(path: field.path, value: Value(project.settings.value(of: field)), takes: Self.type(of: field))
            }
        }

        /// The JSON type a field takes: boolean, integer or list (of names).
        static func type(of field: ConnectionConfiguration.SettingField) -> String {
            switch field.kind {
            case .bool: "boolean"
            case .integer: "integer"
            case .list: "list"
            }
        }
    }

    /// `settings KEY PATH VALUE`: the event and the value before and after.
    struct SettingChange: Encodable {
        var event: ConnectionEvent
        var path: String
        var before: Value
        var after: Value
    }

    /// A setting's value, typed as JSON.
    struct Value: Encodable {
        var value: ConnectionConfiguration.SettingValue

        init(_ value: ConnectionConfiguration.SettingValue) { self.value = value }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch value {
            case .bool(let flag): try container.encode(flag)
            case .integer(let number): try container.encode(number)
            case .list(let names): try container.encode(names)
            case .unset: try container.encodeNil()
            }
        }
    }

    /// `import PATH`: what landed, what was minted, and every cause the import had to guess.
    struct Import: Encodable {
        struct Guess: Encodable {
            var project: ProjectKey
            var cause: String
        }

        var path: String
        var exportedAt: Date
        var exportedBy: String
        var projects: Int
        var connections: Int
        var events: Int
        var replacedProjects: Int
        var worldFromBundle: Bool
        var tokensMinted: Int
        var passwordsMinted: Int
        var guessedCauses: [Guess]
        var message: String

        init(_ summary: SupportBundle.ImportSummary, manifest: SupportBundle.Manifest, path: String, message: String) {
            self.path = path
            exportedAt = manifest.exportedAt
            exportedBy = manifest.relinkVersion
            projects = summary.projects
            connections = summary.connections
            events = summary.events
            replacedProjects = summary.replacedProjects
            worldFromBundle = summary.worldFromBundle
            tokensMinted = summary.tokensMinted
            passwordsMinted = summary.passwordsMinted
            guessedCauses = summary.guessedCauses.map { Guess(project: $0.project, cause: $0.cause.rawValue) }
            self.message = message
        }
    }
}

extension Documents {
    /// `export PATH`.
    struct Export: Encodable {
        var path: String
        var projects: Int
        var events: Int
        var includesWorld: Bool
        var message: String
    }

    /// `verify`.
    struct Verification: Encodable {
        var store: String
        var projects: Int
        var connections: Int
        var events: Int
        var tokens: Int
        var message: String
    }
}
