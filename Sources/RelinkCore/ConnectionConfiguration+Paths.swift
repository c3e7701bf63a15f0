import Foundation

/// The fields of `intercom.connection.configuration` by their path, as `settings KEY PATH VALUE`
/// names them (`conversationLinking.notificationTriggers.issueCommented.enabled`), each with its
/// type, so a value is checked when the command is parsed and completion can offer the paths.
extension ConnectionConfiguration {
    /// A setting's value, of the field's type.
    public enum SettingValue: Equatable, Sendable, CustomStringConvertible {
        case bool(Bool)
        case integer(Int)
        /// A list of names; written `a,b,c` (empty: `""`).
        case list([String])
        /// An optional field that is not set.
        case unset

        public var description: String {
            switch self {
            case .bool(let value): String(value)
            case .integer(let value): String(value)
            case .list(let names): names.isEmpty ? "(none)" : names.joined(separator: ",")
            case .unset: "(not set)"
            }
        }
    }

    /// One settable field.
    public struct SettingField: Sendable {
        public enum Kind: String, Sendable {
            case bool = "true or false"
            case integer = "a whole number"
            case list = "a comma-separated list of names"
        }

        public let path: String
        public let kind: Kind
        let get: @Sendable (ConnectionConfiguration) -> SettingValue
        let set: @Sendable (inout ConnectionConfiguration, SettingValue) -> Void

        /// `text` as this field's type, or nil when it is not one.
        public func parse(_ text: String) -> SettingValue? {
            switch kind {
            case .bool: ["true": true, "false": false][text.lowercased()].map(SettingValue.bool)
            case .integer: Int(text).map(SettingValue.integer)
            case .list:
                .list(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            }
        }
    }

    /// Every settable field, in the order the configuration lists them.
    public static let settingFields: [SettingField] = {
        func bool(_ path: String, _ keyPath: WritableKeyPath<ConnectionConfiguration, Bool> & Sendable) -> SettingField
        {
            SettingField(
                path: path, kind: .bool, get: { .bool($0[keyPath: keyPath]) },
                set: { configuration, value in
                    if case .bool(let flag) = value { configuration[keyPath: keyPath] = flag }
                })
        }
        func optionalBool(_ path: String, _ keyPath: WritableKeyPath<ConnectionConfiguration, Bool?> & Sendable)
            -> SettingField
        {
            SettingField(
                path: path, kind: .bool, get: { $0[keyPath: keyPath].map(SettingValue.bool) ?? .unset },
                set: { configuration, value in
                    if case .bool(let flag) = value { configuration[keyPath: keyPath] = flag }
                })
        }
        func list(_ path: String, _ keyPath: WritableKeyPath<ConnectionConfiguration, [String]> & Sendable)
            -> SettingField
        {
            SettingField(
                path: path, kind: .list, get: { .list($0[keyPath: keyPath]) },
                set: { configuration, value in
                    if case .list(let names) = value { configuration[keyPath: keyPath] = names }
                })
        }
        func optionalList(_ path: String, _ keyPath: WritableKeyPath<ConnectionConfiguration, [String]?> & Sendable)
            -> SettingField
        {
            SettingField(
                path: path, kind: .list, get: { $0[keyPath: keyPath].map(SettingValue.list) ?? .unset },
                set: { configuration, value in
                    if case .list(let names) = value { configuration[keyPath: keyPath] = names }
                })
        }
        var fields = [
            bool("intercomIssuePanel.enabled", \.intercomIssuePanel.enabled),
            bool("intercomIssuePanel.allowConversationView", \.intercomIssuePanel.allowConversationView),
            list("intercomIssuePanel.visibleFields.user", \.intercomIssuePanel.visibleFields.user),
            list("intercomIssuePanel.visibleFields.lead", \.intercomIssuePanel.visibleFields.lead),
            list("intercomIssuePanel.visibleFields.company", \.intercomIssuePanel.visibleFields.company),
            bool("conversationLinking.enabled", \.conversationLinking.enabled),
            bool("conversationLinking.unassignOnOpen", \.conversationLinking.unassignOnOpen),
        ]
        fields += [
            bool(
                "conversationLinking.notificationTriggers.issueAssignmentChanged.enabled",
                \.conversationLinking.notificationTriggers.issueAssignmentChanged.enabled),
            bool(
                "conversationLinking.notificationTriggers.issueAssignmentChanged.reopenConversations",
                \.conversationLinking.notificationTriggers.issueAssignmentChanged.reopenConversations),
            optionalBool(
                "conversationLinking.notificationTriggers.issueAssignmentChanged.filterEnabled",
                \.conversationLinking.notificationTriggers.issueAssignmentChanged.filterEnabled),
            optionalList(
                "conversationLinking.notificationTriggers.issueAssignmentChanged.transitions",
                \.conversationLinking.notificationTriggers.issueAssignmentChanged.transitions),
            bool(
                "conversationLinking.notificationTriggers.issueCommented.enabled",
                \.conversationLinking.notificationTriggers.issueCommented.enabled),
            bool(
                "conversationLinking.notificationTriggers.issueCommented.reopenConversations",
                \.conversationLinking.notificationTriggers.issueCommented.reopenConversations),
            optionalBool(
                "conversationLinking.notificationTriggers.issueCommented.filterEnabled",
                \.conversationLinking.notificationTriggers.issueCommented.filterEnabled),
            optionalList(
                "conversationLinking.notificationTriggers.issueCommented.transitions",
                \.conversationLinking.notificationTriggers.issueCommented.transitions),
            bool(
                "conversationLinking.notificationTriggers.issueTransitioned.enabled",
                \.conversationLinking.notificationTriggers.issueTransitioned.enabled),
            bool(
                "conversationLinking.notificationTriggers.issueTransitioned.reopenConversations",
                \.conversationLinking.notificationTriggers.issueTransitioned.reopenConversations),
            optionalBool(
                "conversationLinking.notificationTriggers.issueTransitioned.filterEnabled",
                \.conversationLinking.notificationTriggers.issueTransitioned.filterEnabled),
            optionalList(
                "conversationLinking.notificationTriggers.issueTransitioned.transitions",
                \.conversationLinking.notificationTriggers.issueTransitioned.transitions),
        ]
        fields.append(
            SettingField(
                path: "_version", kind: .integer, get: { .integer($0.version) },
                set: { configuration, value in if case .integer(let number) = value { configuration.version = number } }
            ))
        return fields
    }()

    public static func settingField(_ path: String) -> SettingField? {
        settingFields.first { $0.path == path }
    }

    public func value(of field: SettingField) -> SettingValue { field.get(self) }

    public mutating func set(_ field: SettingField, to value: SettingValue) { field.set(&self, value) }
}
