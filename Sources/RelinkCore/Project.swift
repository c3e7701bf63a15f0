import Foundation

/// A Jira project (a "space" in Jira's newer wording) as the Intercom for Jira app sees it.
///
/// The settings and the conversation links belong to the project, not to its connection: they
/// survive revoking, reconnecting and changing the app user.
public struct Project: Codable, Equatable, Sendable, Identifiable {
    public var key: ProjectKey
    public var name: String
    /// The Jira site, e.g. `acme.atlassian.net`.
    public var jiraSite: String
    /// The project property `intercom.connection.configuration`.
    public var settings: ConnectionConfiguration
    /// The issue properties `intercom.conversation.links`, one entry per linked Jira issue.
    public var links: [IssueLinks]
    /// relink's own: the app's work waiting for Intercom, oldest first (see ``OutboxItem``).
    public var outbox: [OutboxItem] = []
    /// The last serial given to an outbox item of this project; serials never repeat, so a note's
    /// marker names one item only.
    public var outboxSerial: Int = 0

    /// The largest serial a record may hold: past 2^53 other JSON readers lose precision, and
    /// long before it a number means a damaged or hand-made record, whose next item would overflow.
    public static var maximumOutboxSerial: Int { 1 << 53 }

    public var id: ProjectKey { key }

    enum CodingKeys: String, CodingKey { case key, name, jiraSite, settings, links, outbox, outboxSerial }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(ProjectKey.self, forKey: .key)
        name = try c.decode(String.self, forKey: .name)
        jiraSite = try c.decode(String.self, forKey: .jiraSite)
        settings = try c.decodeIfPresent(ConnectionConfiguration.self, forKey: .settings) ?? .defaults
        links = try c.decodeIfPresent([IssueLinks].self, forKey: .links) ?? []
        outbox = try c.decodeIfPresent([OutboxItem].self, forKey: .outbox) ?? []
        outboxSerial = try c.decodeIfPresent(Int.self, forKey: .outboxSerial) ?? 0
        guard (0...Self.maximumOutboxSerial).contains(outboxSerial) else {
            throw DecodingError.dataCorruptedError(
                forKey: .outboxSerial, in: c,
                debugDescription: "\(outboxSerial) is out of range (0 to \(Self.maximumOutboxSerial))")
        }
    }

    /// Writes every field, except that a store (`CodingUserInfoKey.omitDefaults`) leaves out
    /// default settings and empty links: a large store stays small and quick to open.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let omitDefaults = encoder.userInfo[.omitDefaults] as? Bool == true
        try c.encode(key, forKey: .key)
        try c.encode(name, forKey: .name)
        try c.encode(jiraSite, forKey: .jiraSite)
        if !(omitDefaults && settings == .defaults) { try c.encode(settings, forKey: .settings) }
        if !(omitDefaults && links.isEmpty) { try c.encode(links, forKey: .links) }
        // Absent in stores written before the outbox, and left out while unused.
        if !outbox.isEmpty { try c.encode(outbox, forKey: .outbox) }
        if outboxSerial != 0 { try c.encode(outboxSerial, forKey: .outboxSerial) }
    }

    public init(
        key: ProjectKey, name: String, jiraSite: String,
        settings: ConnectionConfiguration = .defaults, links: [IssueLinks] = []
    ) {
        self.key = key
        self.name = name
        self.jiraSite = jiraSite
        self.settings = settings
        self.links = links
    }
}

/// A Jira project key such as `SUP`: upper-case letters and digits, starting with a letter.
public struct ProjectKey: RawRepresentable, Codable, Hashable, Comparable, Sendable,
    CustomStringConvertible, ExpressibleByStringLiteral
{
    public let rawValue: String

    /// Accepts what Jira accepts, case-insensitively, and normalises to upper case.
    public init?(rawValue: String) {
        // Byte by byte: a large store decodes a key per record, and the general Unicode
        // path (uppercased(), scalar ranges) cost more than the rest of the record.
        var hasLowercase = false
        var count = 0
        for byte in rawValue.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): break
            case UInt8(ascii: "a")...UInt8(ascii: "z"): hasLowercase = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): if count == 0 { return nil }
            default: return nil
            }
            count += 1
        }
        guard count > 0, count <= 32 else { return nil }
        self.rawValue = hasLowercase ? rawValue.uppercased() : rawValue
    }

    public init(stringLiteral value: String) {
        guard let key = ProjectKey(rawValue: value) else { preconditionFailure("invalid project key literal \(value)") }
        self = key
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let key = ProjectKey(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(raw)\" is not a Jira project key")
        }
        self = key
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The conversation links of one Jira issue: ids only, with no workspace — which is why links
/// work again only after reconnecting to the same workspace.
public struct IssueLinks: Codable, Equatable, Sendable {
    public var issueKey: String
    public var conversationIds: [String]
    public var count: Int { conversationIds.count }

    public init(issueKey: String, conversationIds: [String]) {
        self.issueKey = issueKey
        self.conversationIds = conversationIds
    }
}

extension CodingUserInfoKey {
    /// Set to `true` to leave out of an encoding what equals its default (see `Project.encode`).
    public static let omitDefaults = CodingUserInfoKey(rawValue: "relink.omitDefaults")!
}
