import Foundation

/// One piece of the app's work on one linked conversation, held in the project's durable outbox
/// until Intercom took it: optionally reopen (and unassign) the conversation, then post a note.
///
/// Every item is delivered through the outbox, connected or not, so that one path gives the
/// promise: in order, each note once. The note carries ``marker``; an item whose ``attempt`` is
/// recorded may have reached Intercom before relink died, so its delivery first looks for the
/// marker among the conversation's parts (by the attempt's author) and posts only when it is not
/// there.
public struct OutboxItem: Codable, Equatable, Sendable {
    /// `SUP.7`: the project's key and a serial that never repeats within the project.
    public var id: String
    public var issueKey: String
    public var conversationID: String
    /// The workspace the conversation belongs to: the connection's when the work arose. Ids are
    /// per workspace, so the item is delivered only while the project is connected to it.
    public var workspaceID: String
    public var trigger: NotificationTrigger
    /// The note's text, without the marker.
    public var note: String
    /// Open the conversation first when it is closed or snoozed (`reopenConversations`).
    public var reopen: Bool
    /// Unassign it when it is opened (`unassignOnOpen`).
    public var unassignOnOpen: Bool
    public var queuedAt: Date
    /// Set, durably, before anything is sent for the item.
    public var attempt: Attempt?
    /// Why the item is still here after the last delivery tried it; nil before any try.
    public var held: String?

    public init(
        id: String, issueKey: String, conversationID: String, workspaceID: String, trigger: NotificationTrigger,
        note: String, reopen: Bool, unassignOnOpen: Bool, queuedAt: Date
    ) {
        self.id = id
        self.issueKey = issueKey
        self.conversationID = conversationID
        self.workspaceID = workspaceID
        self.trigger = trigger
        self.note = note
        self.reopen = reopen
        self.unassignOnOpen = unassignOnOpen
        self.queuedAt = queuedAt
    }

    /// The delivery attempts as recorded before posting.
    public struct Attempt: Codable, Equatable, Sendable {
        /// The last one.
        public var at: Date
        /// Every admin a note may have been posted as (the app user of each attempt): after a
        /// change of app user, an earlier attempt's note has another author.
        public var authors: [String]
        /// How many attempts were recorded.
        public var count: Int
        /// True once the last attempt's post got an answer from Intercom, or was never sent:
        /// nothing of it can still be in flight. `nil` while unknown (the delivery died, or the
        /// answer was lost), and in records written before this field.
        public var settled: Bool?

        public init(at: Date, authors: [String], count: Int, settled: Bool? = nil) {
            self.at = at
            self.authors = authors
            self.count = count
            self.settled = settled
        }
    }

    /// Records one more attempt, posting as `adminID`.
    public mutating func recordAttempt(at time: Date, as adminID: String) {
        var next = attempt ?? Attempt(at: time, authors: [], count: 0)
        next.at = time
        next.count += 1
        next.settled = nil
        if !next.authors.contains(adminID) { next.authors.append(adminID) }
        attempt = next
    }

    /// The text every delivered note ends with, unique per item: `[relink SUP.7]`.
    public var marker: String { "[relink \(id)]" }

    /// The note's body as posted: the text, HTML-escaped, then the marker.
    public var body: String { Self.escapeHTML(note) + " " + marker }

    /// Whether a part, written by `authorID`, is this item's note as an earlier attempt posted it
    /// (Intercom may wrap a body in `<p>`; the marker survives that).
    public func isNote(body: String?, authorID: String) -> Bool {
        guard let attempt, attempt.authors.contains(authorID) else { return false }
        return body?.contains(marker) ?? false
    }

    /// Why the item is still waiting, given the project's connection now.
    public func waitingReason(connection: Connection) -> String {
        let workspace = connection.state.authorization?.workspace ?? connection.lastWorkspace
        if let workspace, workspace.id != workspaceID {
            return "its conversation belongs to workspace \(workspaceID); the project's is \(workspace.id)"
        }
        let tried = held.map { "; last try: \($0)" } ?? ""
        switch connection.state {
        case .broken: return "waiting for the connection (broken)\(tried)"
        case .notConnected: return "waiting for the connection (not connected)\(tried)"
        case .connected: return held ?? "not tried yet"
        }
    }

    /// Intercom's note bodies are HTML: a `<` in a Jira comment is text, not markup.
    static func escapeHTML(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// The app's notification triggers (`conversationLinking.notificationTriggers`).
public enum NotificationTrigger: String, Codable, Sendable, CaseIterable {
    case issueAssignmentChanged, issueCommented, issueTransitioned
}
