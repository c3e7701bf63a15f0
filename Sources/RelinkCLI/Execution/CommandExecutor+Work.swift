import Foundation
import IntercomMockControl
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
                return presenter.work(.links([try requireProject(key)], issue: issue))
            }
            return presenter.work(.links(try store.projects, issue: nil))
        case .link(let issue, let conversations):
            _ = try requireProject(issue.project)
            let outcome = try await services.connectionService().link(issue, conversations, actor: actor)
            return presenter.work(.linked(outcome))
        case .unlink(let issue, let conversations):
            _ = try requireProject(issue.project)
            return presenter.work(.unlinked(try await services.connectionService().unlink(issue, conversations)))
        case .comment(let issue, let text):
            return try await notify(.commented(issue, text: text), actor: actor)
        case .assign(let issue, let assignee):
            return try await notify(.assigned(issue, assignee: assignee), actor: actor)
        case .transition(let issue, let status):
            return try await notify(.transitioned(issue, status: status), actor: actor)
        case .outbox(let key):
            let projects = try key.map { [try requireProject($0)] } ?? store.projects.filter { !$0.outbox.isEmpty }
            return presenter.work(.outbox(try projects.map { ($0, try store.connection(for: $0.key)) }))
        case .outboxDeliver(let key):
            let keys =
                try key.map { [try requireProject($0).key] } ?? store.projects.filter { !$0.outbox.isEmpty }.map(\.key)
            let service = try await services.connectionService()
            var reports: [DeliveryReport] = []
            for key in keys { reports.append(try await service.deliverOutbox(key, actor: actor)) }
            let output = presenter.work(.delivered(reports))
            guard reports.allSatisfy({ $0.held.isEmpty }) else {
                throw CommandFailure(
                    "work is still held: \(reports.filter { !$0.held.isEmpty }.map(\.key.rawValue).joined(separator: ", "))",
                    output: output)
            }
            return output
        case .outboxDiscard(let target):
            let serviceTarget: OutboxTarget
            switch target {
            case .item(let id): serviceTarget = .item(id)
            case .project(let key):
                _ = try requireProject(key)
                serviceTarget = .project(key)
            }
            return presenter.work(
                .discarded(try await services.connectionService().discard(serviceTarget, actor: actor)))
        case .mockConversation(let id):
            guard let control = try await services.mockControl() else {
                throw CommandFailure("there is no mock in use (--endpoint points at the real Intercom API)")
            }
            let world = try await mockWorld(control)
            guard let record = world.conversations.first(where: { $0.id == id }) else {
                throw CommandFailure("the mock has no conversation \(id) (world lists the workspaces)")
            }
            return presenter.work(.conversation(record, teammates: world.teammates))
        default:
            throw CommandFailure("not a command of the app's work")
        }
    }

    private func mockWorld(_ control: MockControlClient) async throws(CommandFailure) -> RedactedWorld {
        do {
            return try await control.world()
        } catch {
            throw CommandFailure("the mock refused: \(error)")
        }
    }

    private func notify(_ event: JiraEvent, actor: String) async throws -> String {
        _ = try requireProject(event.issue.project)
        let outcome = try await services.connectionService().notify(event, actor: actor)
        return presenter.work(.notified(outcome))
    }

    /// A connect, reconnect or app-user's transition, with the project's outbox delivered as its
    /// last step (the view shows the outbox as the delivery left it).
    func transitionDelivering(_ event: ConnectionEvent, actor: String) async throws -> String {
        let key = event.project
        guard let project = try store.project(key), !project.outbox.isEmpty,
            case .connected = try store.connection(for: key).state
        else { return try transition(event) }
        let report = try await services.connectionService().deliverOutbox(key, actor: actor)
        return presenter.appending([report], to: try transition(event))
    }

    /// After a check: the held work of each checked project that is connected now is retried.
    func deliveringAfterCheck(_ results: [CheckResult], _ output: String, actor: String) async throws -> String {
        var reports: [DeliveryReport] = []
        for result in results where result.state == .connected {
            guard let project = try store.project(result.key), !project.outbox.isEmpty else { continue }
            reports.append(try await services.connectionService().deliverOutbox(result.key, actor: actor))
        }
        return presenter.appending(reports, to: output)
    }
}
