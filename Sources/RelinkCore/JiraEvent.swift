import Foundation

/// A change on a Jira issue that the app may turn into notes on the issue's linked conversations.
public enum JiraEvent: Equatable, Sendable {
    case commented(IssueKey, text: String)
    /// `assignee` is an email, or nil when the issue was unassigned.
    case assigned(IssueKey, assignee: String?)
    case transitioned(IssueKey, status: String)

    public var issue: IssueKey {
        switch self {
        case .commented(let issue, _), .assigned(let issue, _), .transitioned(let issue, _): issue
        }
    }

    public var trigger: NotificationTrigger {
        switch self {
        case .commented: .issueCommented
        case .assigned: .issueAssignmentChanged
        case .transitioned: .issueTransitioned
        }
    }
}

/// What the app does with a Jira event, as the project's settings say.
public enum NotificationDecision: Equatable, Sendable {
    /// A note on each conversation, after reopening it when `reopen` says so.
    case notify(note: String, conversations: [String], reopen: Bool, unassignOnOpen: Bool)
    /// Nothing is sent, and why.
    case skip(reason: String)
}

extension ConnectionConfiguration {
    /// The tag a comment must carry to be sent when `issueCommented.filterEnabled` is on.
    public static let commentFilterTag = "#intercom"

    /// Follows `conversationLinking` and its `notificationTriggers` exactly: linking off, or the
    /// event's trigger off, sends nothing; a transition trigger that names transitions sends only
    /// for those (case-insensitively); with `filterEnabled`, a comment is sent only when it carries
    /// ``commentFilterTag`` (as a word, any case), and the note leaves the tag out.
    public func decide(_ event: JiraEvent, conversations: [String]) -> NotificationDecision {
        let trigger = conversationLinking.notificationTriggers[event.trigger]
        guard conversationLinking.enabled else {
            return .skip(reason: "conversation linking is off for \(event.issue.project)")
        }
        guard trigger.enabled else {
            return .skip(reason: "the \(event.trigger.rawValue) trigger is off")
        }
        let note: String
        switch event {
        case .commented(let issue, let text):
            var text = text
            if trigger.filterEnabled == true {
                guard let untagged = Self.removingFilterTag(from: text) else {
                    return .skip(
                        reason: "the issueCommented filter is on and the comment does not carry "
                            + "\(Self.commentFilterTag)")
                }
                text = untagged
            }
            note = "\(issue) has a new comment: \(text)"
        case .assigned(let issue, let assignee):
            note = assignee.map { "\(issue) was assigned to \($0)" } ?? "\(issue) was unassigned"
        case .transitioned(let issue, let status):
            if let named = trigger.transitions, !named.contains(where: { $0.lowercased() == status.lowercased() }) {
                let list = named.isEmpty ? "no transitions" : "only " + named.joined(separator: ", ")
                return .skip(reason: "the issueTransitioned trigger names \(list): no note for \"\(status)\"")
            }
            note = "\(issue) moved to \(status)"
        }
        guard !conversations.isEmpty else {
            return .skip(reason: "\(event.issue) has no linked conversations: nothing to notify")
        }
        return .notify(
            note: note, conversations: conversations, reopen: trigger.reopenConversations,
            unassignOnOpen: conversationLinking.unassignOnOpen)
    }

    /// The comment without its filter tag, or nil when it does not carry it as a word.
    static func removingFilterTag(from text: String) -> String? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        let kept = words.filter { $0.lowercased() != commentFilterTag }
        guard kept.count < words.count else { return nil }
        return kept.joined(separator: " ")
    }
}

extension ConnectionConfiguration.NotificationTriggers {
    public subscript(trigger: NotificationTrigger) -> ConnectionConfiguration.Trigger {
        switch trigger {
        case .issueAssignmentChanged: issueAssignmentChanged
        case .issueCommented: issueCommented
        case .issueTransitioned: issueTransitioned
        }
    }
}

extension Project {
    /// The conversation ids linked to `issue`.
    public func conversations(of issue: IssueKey) -> [String] {
        links.first { $0.issueKey == issue.rawValue }?.conversationIds ?? []
    }

    /// Queues the decision's work, one item per conversation, for `workspaceID`.
    public mutating func enqueue(
        _ decision: NotificationDecision, for event: JiraEvent, workspaceID: String, at time: Date
    ) -> [OutboxItem] {
        guard case .notify(let note, let conversations, let reopen, let unassign) = decision else { return [] }
        let items = conversations.map { conversation in
            outboxSerial += 1
            return OutboxItem(
                id: "\(key).\(outboxSerial)", issueKey: event.issue.rawValue, conversationID: conversation,
                workspaceID: workspaceID, trigger: event.trigger, note: note, reopen: reopen,
                unassignOnOpen: unassign, queuedAt: time)
        }
        outbox.append(contentsOf: items)
        return items
    }

    /// Adds conversations to the issue's links (each once, in the order given).
    public mutating func link(_ issue: IssueKey, _ conversations: [String]) -> [String] {
        var entry =
            links.first { $0.issueKey == issue.rawValue } ?? IssueLinks(issueKey: issue.rawValue, conversationIds: [])
        let added = conversations.reduce(into: [String]()) { added, id in
            if !entry.conversationIds.contains(id), !added.contains(id) { added.append(id) }
        }
        entry.conversationIds += added
        if let index = links.firstIndex(where: { $0.issueKey == issue.rawValue }) {
            links[index] = entry
        } else {
            links.append(entry)
        }
        return added
    }

    /// Removes conversations from the issue's links; an issue left with none has no entry.
    public mutating func unlink(_ issue: IssueKey, _ conversations: [String]) -> [String] {
        guard let index = links.firstIndex(where: { $0.issueKey == issue.rawValue }) else { return [] }
        let removed = links[index].conversationIds.filter { conversations.contains($0) }
        links[index].conversationIds.removeAll { conversations.contains($0) }
        if links[index].conversationIds.isEmpty { links.remove(at: index) }
        return removed
    }
}
