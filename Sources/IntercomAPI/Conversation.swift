/// The slice of a conversation (schema `conversation`) relink uses: its id and the parts added to it.
public struct Conversation: Codable, Equatable, Sendable {
    /// Always `"conversation"`.
    public var type: String
    public var id: String
    /// Unix seconds.
    public var createdAt: Int
    public var updatedAt: Int
    public var open: Bool?
    public var state: String?
    public var conversationParts: ConversationPartList?

    enum CodingKeys: String, CodingKey {
        case type, id
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case open, state
        case conversationParts = "conversation_parts"
    }

    public init(
        id: String, createdAt: Int, updatedAt: Int, open: Bool? = true, state: String? = "open",
        parts: [ConversationPart]
    ) {
        self.type = "conversation"
        self.id = id
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.open = open
        self.state = state
        self.conversationParts = ConversationPartList(parts: parts)
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

/// One part of a conversation; relink only writes notes (`part_type: "note"`).
public struct ConversationPart: Codable, Equatable, Sendable {
    /// Always `"conversation_part"`.
    public var type: String
    public var id: String
    public var partType: String
    public var body: String?
    public var createdAt: Int
    public var updatedAt: Int
    public var author: Author

    enum CodingKeys: String, CodingKey {
        case type, id
        case partType = "part_type"
        case body
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case author
    }

    public init(id: String, partType: String, body: String?, createdAt: Int, author: Author) {
        self.type = "conversation_part"
        self.id = id
        self.partType = partType
        self.body = body
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.author = author
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
