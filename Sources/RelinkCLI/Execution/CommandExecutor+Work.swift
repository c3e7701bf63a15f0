import Foundation
import IntercomMockWorld
import RelinkCommands
import RelinkCore
import RelinkService

extension CommandExecutor {
    /// Links, Jira events, the outbox and `mock conversation`: the app's work.
    func workCommand(_ command: Command, actor: String) async throws -> String {
        switch command {
        case .links(let issue, let project):
            if let key = issue?.project ?? project {
                return presenter.work(.links([try store.requireProject(key)], issue: issue))
            }
            return presenter.work(.links(try store.projects, issue: nil))
        case .link(let issue, let conversations):
            return presenter.work(
                .linked(try await services.connectionService().work.link(issue, conversations, actor: actor)))
        case .unlink(let issue, let conversations):
            return presenter.work(.unlinked(try await services.connectionService().work.unlink(issue, conversations)))
        case .comment(let issue, let text):
            return try await notify(.commented(issue, text: text), actor: actor)
        case .assign(let issue, let assignee):
            return try await notify(.assigned(issue, assignee: assignee), actor: actor)
        case .transition(let issue, let status):
            return try await notify(.transitioned(issue, status: status), actor: actor)
        case .outbox(let key):
            let projects =
                try key.map { [try store.requireProject($0)] } ?? store.projects.filter { !$0.outbox.isEmpty }
            return presenter.work(.outbox(try projects.map { ($0, try store.connection(for: $0.key)) }))
        case .outboxDeliver(let key):
            let keys =
                try key.map { [try store.requireProject($0).key] }
                ?? (try store.projects).filter { !$0.outbox.isEmpty }.map(\.key)
            let service = try await services.connectionService()
            var reports: [DeliveryReport] = []
            for key in keys { reports.append(try await service.outbox.deliver(key, actor: actor)) }
            let output = presenter.work(.delivered(reports))
            let held = reports.filter { !$0.held.isEmpty }.map(\.key)
            guard held.isEmpty else { throw CommandFailure.workStillHeld(held, output: output) }
            return output
        case .outboxDiscard(let target):
            let serviceTarget: OutboxTarget
            switch target {
            case .item(let id): serviceTarget = .item(id)
            case .project(let key): serviceTarget = .project(key)
            }
            return presenter.work(
                .discarded(try await services.connectionService().outbox.discard(serviceTarget, actor: actor)))
        case .mockConversation(let id):
            let world = try await withMockControl { control async throws(MockControlError) in try await control.world()
            }
            guard let record = world.conversations.first(where: { $0.id == id }) else {
                throw CommandFailure.unknownConversation(id)
            }
            return presenter.work(.conversation(record, teammates: world.teammates))
        default:
            preconditionFailure("workCommand runs only the app's work")
        }
    }

    private func notify(_ event: JiraEvent, actor: String) async throws -> String {
        presenter.work(.notified(try await services.connectionService().work.notify(event, actor: actor)))
    }
}
