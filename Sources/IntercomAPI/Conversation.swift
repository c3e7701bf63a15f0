/// The slice of a conversation (schema `conversation`) relink uses: its id and the parts added to it.
public struct Conversation: Codable, Equatable, Sendable {
    /// Always `"conversation"`.
    public var type: String
    public var id: String
    /// Unix seconds.
    public var createdAt: Int
    public var updatedAt: Int
    public var open: Bool?
    /// `open`, `closed` or `snoozed`.
    public var state: String?
    /// The admin the conversation is assigned to; Intercom sends an integer, or null when unassigned.
    public var adminAssigneeID: Int?
    public var conversationParts: ConversationPartList?

    enum CodingKeys: String, CodingKey {
        case type, id
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case open, state
        case adminAssigneeID = "admin_assignee_id"
        case conversationParts = "conversation_parts"
    }

    public init(
        id: String, createdAt: Int, updatedAt: Int, open: Bool? = true, state: String? = "open",
        adminAssigneeID: Int? = nil, parts: [ConversationPart]
    ) {
        self.type = "conversation"
        self.id = id
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.open = open
        self.state = state
        self.adminAssigneeID = adminAssigneeID
        self.conversationParts = ConversationPartList(parts: parts)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        id = try c.decode(LenientID.self, forKey: .id).value
        createdAt = try c.decode(Int.self, forKey: .createdAt)
        updatedAt = try c.decode(Int.self, forKey: .updatedAt)
        open = try c.decodeIfPresent(Bool.self, forKey: .open)
        state = try c.decodeIfPresent(String.self, forKey: .state)
        adminAssigneeID = try c.decodeIfPresent(LenientID.self, forKey: .adminAssigneeID).flatMap { Int($0.value) }
        conversationParts = try c.decodeIfPresent(ConversationPartList.self, forKey: .conversationParts)
    }

    /// Whether the conversation holds a part that `isMatch` accepts.
    public func containsPart(where isMatch: (ConversationPart) -> Bool) -> Bool {
        conversationParts?.conversationParts.contains(where: isMatch) ?? false
    }
}

/// An id Intercom sends as a string in one answer and as a number in another (conversation part
/// ids are both in the OpenAPI examples; `admin_id` in requests is documented as a string and
/// shown as a number).
public struct LenientID: Codable, Equatable, Sendable {
    public var value: String

    public init(_ value: String) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            value = text
        } else if let number = try? container.decode(Int64.self) {
            value = String(number)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a string or integer id")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// `{"type":"conversation_part.list","conversation_parts":[…],"total_count":N}`.
public struct ConversationPartList: Codable, Equatable, Sendable {
    public var type: String
    public var conversationParts: [ConversationPart]
    public var totalCount: Int

    enum CodingKeys: String, CodingKey {
        case type
        case conversationParts = "conversation_parts"
        case totalCount = "total_count"
    }

    public init(parts: [ConversationPart]) {
        self.type = "conversation_part.list"
        self.conversationParts = parts
        self.totalCount = parts.count
    }
}

/// One part of a conversation: a note, a comment, or an action such as `open`, `close`,
/// `assignment` (`part_type`).
public struct ConversationPart: Codable, Equatable, Sendable {
    /// Always `"conversation_part"`.
    public var type: String
    public var id: String
    public var partType: String
    public var body: String?
    public var createdAt: Int
    public var updatedAt: Int
    public var author: Author
    /// Whom an assignment part assigned the conversation to (null for other parts).
    public var assignedTo: Assignee?

    enum CodingKeys: String, CodingKey {
        case type, id
        case partType = "part_type"
        case body
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case author
        case assignedTo = "assigned_to"
    }

    public init(
        id: String, partType: String, body: String?, createdAt: Int, author: Author, assignedTo: Assignee? = nil
    ) {
        self.type = "conversation_part"
        self.id = id
        self.partType = partType
        self.body = body
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.author = author
        self.assignedTo = assignedTo
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        id = try c.decode(LenientID.self, forKey: .id).value
        partType = try c.decode(String.self, forKey: .partType)
        body = try c.decodeIfPresent(String.self, forKey: .body)
        createdAt = try c.decode(Int.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(Int.self, forKey: .updatedAt) ?? createdAt
        author = try c.decode(Author.self, forKey: .author)
        assignedTo = try c.decodeIfPresent(Assignee.self, forKey: .assignedTo)
    }

    /// `{"type":"admin","id":"991267715"}`.
    public struct Assignee: Codable, Equatable, Sendable {
        public var type: String
        public var id: String

        public init(type: String, id: String) {
            self.type = type
            self.id = id
        }

        enum CodingKeys: String, CodingKey { case type, id }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decode(String.self, forKey: .type)
            id = try c.decode(LenientID.self, forKey: .id).value
        }
    }

    /// Who wrote a part.
    public struct Author: Codable, Equatable, Sendable {
        /// `"admin"`, `"user"`, `"bot"`, …
        public var type: String
        public var id: String
        public var name: String?
        public var email: String?

        public init(type: String, id: String, name: String?, email: String?) {
            self.type = type
            self.id = id
            self.name = name
            self.email = email
        }

        enum CodingKeys: String, CodingKey { case type, id, name, email }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decode(String.self, forKey: .type)
            id = try c.decode(LenientID.self, forKey: .id).value
            name = try c.decodeIfPresent(String.self, forKey: .name)
            email = try c.decodeIfPresent(String.self, forKey: .email)
        }
    }
}

/// The body of `POST /conversations/{id}/reply` on behalf of an admin (schema
/// `admin_reply_conversation_request`), e.g. a note:
/// `{"message_type":"note","type":"admin","admin_id":"123","body":"…"}`.
public struct AdminReplyRequest: Codable, Equatable, Sendable {
    /// `"comment"`, `"note"` or `"quick_reply"`.
    public var messageType: String
    /// Always `"admin"`.
    public var type: String
    public var adminID: String
    public var body: String?

    enum CodingKeys: String, CodingKey {
        case messageType = "message_type"
        case type
        case adminID = "admin_id"
        case body
    }

    /// A note by `adminID`.
    public static func note(adminID: String, body: String) -> AdminReplyRequest {
        AdminReplyRequest(messageType: "note", type: "admin", adminID: adminID, body: body)
    }

    public init(messageType: String, type: String, adminID: String, body: String?) {
        self.messageType = messageType
        self.type = type
        self.adminID = adminID
        self.body = body
    }

    /// `admin_id` as a string (the schema) or a number (the OpenAPI examples).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        messageType = try c.decode(String.self, forKey: .messageType)
        type = try c.decode(String.self, forKey: .type)
        adminID = try c.decode(LenientID.self, forKey: .adminID).value
        body = try c.decodeIfPresent(String.self, forKey: .body)
    }
}

/// The body of `POST /conversations/{id}/parts` (one of `open_conversation_request`,
/// `close_conversation_request`, `assign_conversation_request`, `snooze_conversation_request`):
/// `{"message_type":"assignment","type":"admin","admin_id":"1","assignee_id":"0"}`. An assignee
/// id of `0` unassigns.
public struct ManageConversationRequest: Codable, Equatable, Sendable {
    /// `open`, `close`, `snoozed` or `assignment`.
    public var messageType: String
    /// `"admin"` (the open and snooze examples leave it out).
    public var type: String?
    public var adminID: String
    public var assigneeID: String?
    public var body: String?
    public var snoozedUntil: Int?

    enum CodingKeys: String, CodingKey {
        case messageType = "message_type"
        case type
        case adminID = "admin_id"
        case assigneeID = "assignee_id"
        case body
        case snoozedUntil = "snoozed_until"
    }

    public init(
        messageType: String, adminID: String, assigneeID: String? = nil, body: String? = nil, snoozedUntil: Int? = nil
    ) {
        self.messageType = messageType
        self.type = "admin"
        self.adminID = adminID
        self.assigneeID = assigneeID
        self.body = body
        self.snoozedUntil = snoozedUntil
    }

    /// Opens a closed or snoozed conversation.
    public static func open(adminID: String) -> ManageConversationRequest {
        ManageConversationRequest(messageType: "open", adminID: adminID)
    }

    /// Assigns to no one (`assignee_id` 0).
    public static func unassign(adminID: String) -> ManageConversationRequest {
        ManageConversationRequest(messageType: "assignment", adminID: adminID, assigneeID: "0")
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        messageType = try c.decode(String.self, forKey: .messageType)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        adminID = try c.decode(LenientID.self, forKey: .adminID).value
        assigneeID = try c.decodeIfPresent(LenientID.self, forKey: .assigneeID)?.value
        body = try c.decodeIfPresent(String.self, forKey: .body)
        snoozedUntil = try c.decodeIfPresent(Int.self, forKey: .snoozedUntil)
    }
}

/// The head of `GET /conversations` (schema `conversation_list`): what a probe needs to see that
/// the token may read conversations.
public struct ConversationList: Codable, Equatable, Sendable {
    /// Always `"conversation.list"`.
    public var type: String
    public var totalCount: Int?

    enum CodingKeys: String, CodingKey {
        case type
        case totalCount = "total_count"
    }

    public init(totalCount: Int?) {
        self.type = "conversation.list"
        self.totalCount = totalCount
    }
}

/// A page of `GET /conversations` as the mock serves it (schema `conversation_list`).
public struct ConversationListPage: Encodable, Sendable {
    public var type = "conversation.list"
    public var conversations: [Conversation]
    public var totalCount: Int
    public var pages: Pages

    /// The `pages` object (schema `cursor_pages`).
    public struct Pages: Encodable, Sendable {
        public var type = "pages"
        public var page = 1
        public var perPage: Int
        public var totalPages: Int

        enum CodingKeys: String, CodingKey {
            case type, page
            case perPage = "per_page"
            case totalPages = "total_pages"
        }

        public init(perPage: Int, totalPages: Int) {
            self.perPage = perPage
            self.totalPages = totalPages
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, conversations, pages
        case totalCount = "total_count"
    }

    public init(conversations: [Conversation], totalCount: Int, pages: Pages) {
        self.conversations = conversations
        self.totalCount = totalCount
        self.pages = pages
    }
}
