import IntercomMockWorld
import RelinkCore
import RelinkService

/// What a command of the app's work did (links, Jira events, the outbox, a mock conversation),
/// for a presenter to render as text or JSON.
enum WorkReport {
    /// `links`: the projects whose links are shown, and the issue when one was named.
    case links([Project], issue: IssueKey?)
    case linked(LinkOutcome)
    case unlinked(LinkOutcome)
    case notified(WorkOutcome)
    /// `outbox`: each project with its connection, for the reasons.
    case outbox([(project: Project, connection: Connection)])
    case delivered([DeliveryReport])
    case discarded([OutboxItem])
    /// `mock conversation ID`: the conversation and the teammates, to name authors.
    case conversation(MockWorld.ConversationRecord, teammates: [RedactedWorld.Teammate])
}
