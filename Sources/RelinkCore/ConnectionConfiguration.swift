/// The app's project property `intercom.connection.configuration`, with the app's defaults.
///
/// Field names follow the property as the app stores it, so a record can be compared with what a
/// customer's Jira holds. Every field is optional on decoding and falls back to the default, the
/// way the app reads a property written by an older version of itself.
public struct ConnectionConfiguration: Codable, Equatable, Sendable {
    public var intercomIssuePanel: IssuePanel
    public var conversationLinking: ConversationLinking
    public var version: Int

    public static let defaults = ConnectionConfiguration(
        intercomIssuePanel: IssuePanel(), conversationLinking: ConversationLinking(), version: 0)

    public init(intercomIssuePanel: IssuePanel, conversationLinking: ConversationLinking, version: Int) {
        self.intercomIssuePanel = intercomIssuePanel
        self.conversationLinking = conversationLinking
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case intercomIssuePanel, conversationLinking
        case version = "_version"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        intercomIssuePanel = try c.decodeIfPresent(IssuePanel.self, forKey: .intercomIssuePanel) ?? IssuePanel()
        conversationLinking =
            try c.decodeIfPresent(ConversationLinking.self, forKey: .conversationLinking) ?? ConversationLinking()
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 0
    }

    /// The Intercom panel on a Jira issue.
    public struct IssuePanel: Codable, Equatable, Sendable {
        public var enabled = true
        public var allowConversationView = true
        public var visibleFields = VisibleFields()

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
            allowConversationView = try c.decodeIfPresent(Bool.self, forKey: .allowConversationView) ?? true
            visibleFields = try c.decodeIfPresent(VisibleFields.self, forKey: .visibleFields) ?? VisibleFields()
        }
    }

    /// Which Intercom data fields the panel shows for users, leads and companies.
    public struct VisibleFields: Codable, Equatable, Sendable {
        public static let defaultPersonFields = [
            "email", "phone", "user_id", "created_at", "last_request_at", "session_count",
        ]
        public static let defaultCompanyFields = ["size", "website"]

        public var user = VisibleFields.defaultPersonFields
        public var lead = VisibleFields.defaultPersonFields
        public var company = VisibleFields.defaultCompanyFields

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            user = try c.decodeIfPresent([String].self, forKey: .user) ?? Self.defaultPersonFields
            lead = try c.decodeIfPresent([String].self, forKey: .lead) ?? Self.defaultPersonFields
            company = try c.decodeIfPresent([String].self, forKey: .company) ?? Self.defaultCompanyFields
        }
    }

    /// Linking Jira issues to Intercom conversations, and the notes the app posts on changes.
    public struct ConversationLinking: Codable, Equatable, Sendable {
        public var enabled = true
        public var unassignOnOpen = false
        public var notificationTriggers = NotificationTriggers()

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
            unassignOnOpen = try c.decodeIfPresent(Bool.self, forKey: .unassignOnOpen) ?? false
            notificationTriggers =
                try c.decodeIfPresent(NotificationTriggers.self, forKey: .notificationTriggers)
                ?? NotificationTriggers()
        }
    }

    /// The notification rules: which issue updates notify linked conversations.
    public struct NotificationTriggers: Codable, Equatable, Sendable {
        public var issueAssignmentChanged = Trigger()
        public var issueCommented = Trigger(filterEnabled: false)
        public var issueTransitioned = Trigger()

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            issueAssignmentChanged = try c.decodeIfPresent(Trigger.self, forKey: .issueAssignmentChanged) ?? Trigger()
            issueCommented =
                try c.decodeIfPresent(Trigger.self, forKey: .issueCommented) ?? Trigger(filterEnabled: false)
            issueTransitioned = try c.decodeIfPresent(Trigger.self, forKey: .issueTransitioned) ?? Trigger()
        }
    }

    /// One notification rule. `transitions`, when present, limits a transition rule to the named
    /// Jira transitions (e.g. "Done"); absent means every transition.
    public struct Trigger: Codable, Equatable, Sendable {
        public var enabled: Bool
        public var reopenConversations: Bool
        public var filterEnabled: Bool?
        public var transitions: [String]?

        public init(
            enabled: Bool = true, reopenConversations: Bool = false, filterEnabled: Bool? = nil,
            transitions: [String]? = nil
        ) {
            self.enabled = enabled
            self.reopenConversations = reopenConversations
            self.filterEnabled = filterEnabled
            self.transitions = transitions
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
            reopenConversations = try c.decodeIfPresent(Bool.self, forKey: .reopenConversations) ?? false
            filterEnabled = try c.decodeIfPresent(Bool.self, forKey: .filterEnabled)
            transitions = try c.decodeIfPresent([String].self, forKey: .transitions)
        }
    }
}
