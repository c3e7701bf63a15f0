import IntercomAPI

/// What the mock does with `POST /conversations/{id}/reply`, `POST /conversations/{id}/parts` and
/// `GET /conversations/{id}`, as values: the live mock and the in-memory Intercom of the tests
/// answer with the same world edits.
extension MockWorld {
    /// A refusal shaped as Intercom's error list: status, code and message.
    public struct ConversationRefusal: Error, Equatable, Sendable {
        public var status: Int
        public var code: IntercomErrorCode
        public var message: String

        public init(_ status: Int, _ code: IntercomErrorCode, _ message: String) {
            self.status = status
            self.code = code
            self.message = message
        }

        static let notFound = ConversationRefusal(404, .notFound, "Resource Not Found")
    }

    /// The conversation `id` of the workspace, with every part (Intercom's answer to `GET`).
    /// The conversation as `GET /conversations/{id}` answers it: with its 500 most recent parts at
    /// most, as Intercom does ("If you have more than that we will return the 500 most recent
    /// conversation parts", OpenAPI 2.14 `retrieveConversation`).
    public func conversation(id: String, workspaceID: String) throws(ConversationRefusal) -> Conversation {
        guard let index = conversationIndex(id, workspaceID: workspaceID) else { throw .notFound }
        return wire(conversations[index], parts: Array(conversations[index].parts.suffix(Self.maximumReturnedParts)))
    }

    /// The most parts `GET /conversations/{id}` returns.
    public static let maximumReturnedParts = 500

    /// Adds a note or comment by an admin. `id` may be `last`: the workspace's conversation with
    /// the latest part (or, with no parts anywhere, the latest created). The answer is the
    /// conversation with only the new part, as in Intercom's examples.
    public mutating func reply(
        conversationID id: String, workspaceID: String, _ request: AdminReplyRequest, at time: Int
    ) throws(ConversationRefusal) -> Conversation {
        guard let index = conversationIndex(id, workspaceID: workspaceID) else { throw .notFound }
        guard request.type == "admin" else {
            throw ConversationRefusal(400, .parameterInvalid, "The mock serves replies by admins only (type admin)")
        }
        guard request.messageType == "note" || request.messageType == "comment" else {
            throw ConversationRefusal(
                400, .parameterInvalid, "message_type must be note or comment (the mock serves no quick_reply)")
        }
        guard let body = request.body, !body.isEmpty else {
            throw ConversationRefusal(400, .parameterInvalid, "Body is required")
        }
        try requireAdmin(request.adminID, in: workspaceID)
        let part = ConversationRecord.Part(
            id: "\(takeSerial())", partType: request.messageType, adminID: request.adminID, body: body,
            createdAt: time)
        conversations[index].parts.append(part)
        return wire(conversations[index], parts: [part])
    }

    /// Opens, closes, snoozes or assigns (`assignee_id` 0 unassigns). Assigning a closed or
    /// snoozed conversation reopens it (`assign_and_reopen`, as in Intercom's example). Opening an
    /// open conversation, or closing a closed one, adds no part.
    public mutating func manage(
        conversationID id: String, workspaceID: String, _ request: ManageConversationRequest, at time: Int
    ) throws(ConversationRefusal) -> Conversation {
        guard let index = conversationIndex(id, workspaceID: workspaceID) else { throw .notFound }
        try requireAdmin(request.adminID, in: workspaceID)
        var record = conversations[index]
        var part = ConversationRecord.Part(
            id: "", partType: request.messageType, adminID: request.adminID, body: nil, createdAt: time)
        switch request.messageType {
        case "open", "close":
            let target: ConversationRecord.State = request.messageType == "open" ? .open : .closed
            guard record.state != target else { return wire(record, parts: []) }
            record.state = target
            part.body = request.body
        case "snoozed":
            guard request.snoozedUntil.map({ $0 > time }) == true else {
                throw ConversationRefusal(400, .parameterInvalid, "snoozed_until must be a time in the future")
            }
            record.state = .snoozed
        case "assignment":
            guard let assignee = request.assigneeID else {
                throw ConversationRefusal(400, .parameterInvalid, "assignee_id is required")
            }
            if assignee == "0" {
                record.assigneeID = nil
            } else {
                guard isAdmin(assignee, in: workspaceID) else {
                    throw ConversationRefusal(404, .adminNotFound, "Assignee not found")
                }
                record.assigneeID = assignee
                part.assigneeID = assignee
            }
            if record.state != .open {
                record.state = .open
                part.partType = "assign_and_reopen"
            }
        default:
            throw ConversationRefusal(
                400, .parameterInvalid, "message_type must be one of open, close, snoozed, assignment")
        }
        part.id = "\(takeSerial())"
        record.parts.append(part)
        conversations[index] = record
        return wire(record, parts: [part])
    }

    private func conversationIndex(_ id: String, workspaceID: String) -> Int? {
        if id == "last" {
            let candidates = conversations.indices.filter { conversations[$0].workspaceID == workspaceID }
            return candidates.max { latest(conversations[$0]) < latest(conversations[$1]) }
        }
        return conversations.firstIndex { $0.id == id && $0.workspaceID == workspaceID }
    }

    /// When a conversation last changed, and its position as a tie-break.
    private func latest(_ record: ConversationRecord) -> (Int, Int) {
        (record.parts.last?.createdAt ?? record.createdAt, Int(record.parts.last?.id ?? "") ?? 0)
    }

    private func isAdmin(_ id: String, in workspaceID: String) -> Bool {
        teammates.contains { $0.id == id && $0.workspaces.contains(workspaceID) }
    }

    private func requireAdmin(_ id: String, in workspaceID: String) throws(ConversationRefusal) {
        guard isAdmin(id, in: workspaceID) else { throw ConversationRefusal(404, .adminNotFound, "Admin not found") }
    }

    /// A record as Intercom's `conversation`, with the given parts.
    public func wire(_ record: ConversationRecord, parts: [ConversationRecord.Part]) -> Conversation {
        let wireParts = parts.map { part in
            let author = teammate(id: part.adminID)
            return ConversationPart(
                id: part.id, partType: part.partType, body: part.body, createdAt: part.createdAt,
                author: .init(type: "admin", id: part.adminID, name: author?.name, email: author?.email),
                assignedTo: part.assigneeID.map { .init(type: "admin", id: $0) })
        }
        return Conversation(
            id: record.id, createdAt: record.createdAt, updatedAt: record.parts.last?.createdAt ?? record.createdAt,
            open: record.state != .closed, state: record.state.rawValue,
            adminAssigneeID: record.assigneeID.flatMap { Int($0) }, parts: wireParts)
    }
}
