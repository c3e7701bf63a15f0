import Foundation
import IntercomAPI
import RelinkCore
import RelinkStore

/// What one delivery of a project's outbox did.
public struct DeliveryReport: Sendable, Equatable {
    public var key: ProjectKey
    /// Delivered items, in order; `foundPosted` when an earlier, interrupted attempt had posted
    /// the note already and this delivery only recorded it.
    public var delivered: [(item: OutboxItem, foundPosted: Bool)]
    /// What the outbox still holds afterwards, oldest first.
    public var held: [OutboxItem]
    /// Why the delivery stopped before trying every item, if it did.
    public var stopped: String?
    /// The transition the delivery caused (Intercom refused the token: connected → broken).
    public var event: ConnectionEvent?

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.key == rhs.key && lhs.held == rhs.held && lhs.stopped == rhs.stopped && lhs.event == rhs.event
            && lhs.delivered.map(\.item) == rhs.delivered.map(\.item)
            && lhs.delivered.map(\.foundPosted) == rhs.delivered.map(\.foundPosted)
    }
}

/// What `outbox discard` names: one item (`SUP.7`) or a project's every item.
public enum OutboxTarget: Sendable, Equatable {
    case item(String)
    case project(ProjectKey)
}

/// The outbox (DESIGN.md §1, Docs/app-work.md): work held while a connection could not take it,
/// delivered in order, each item once, and dropped only by an explicit discard.
public struct Outbox: ServiceUseCase {
    let context: ServiceContext
    let health: HealthCheck

    /// Delivers the project's outbox, oldest first, while no other relink process delivers on this
    /// store. Each item's attempt is committed before anything is sent for it; an item with an
    /// earlier attempt is first looked for among the conversation's parts (its note's marker, by
    /// an author of an attempt) and posted only when it is not there: each note once.
    ///
    /// Failures get the check's verdicts: a 401 with JSON (confirmed with `/me`: a missing
    /// permission when `/me` is healthy) or a permission 403 breaks the connection (recorded, as a
    /// check would) and stops; a transient failure (429, 5xx, timeout, refused, not JSON, the IP
    /// allowlist) stops; a refusal of one conversation (404, 400, a 403 that names no scope, an
    /// answer too large) holds that item, and the later items of its conversation, and goes on.
    /// Nothing is dropped. Items of another workspace than the connection's wait.
    ///
    /// - Throws: `ServiceError.store` when a commit fails (the item stays, its attempt recorded or not).
    public func deliver(_ key: ProjectKey, actor: String) async throws(ServiceError) -> DeliveryReport {
        // The project is read (and required) under the lock, after taking in other processes' commits.
        try await holdingDeliveryLock { () async throws(ServiceError) -> DeliveryReport in
            try await deliverHoldingLock(key, actor: actor)
        }
    }

    /// After a check: the held work of each checked project that is connected now is delivered.
    public func deliver(after results: [CheckResult], actor: String) async throws(ServiceError) -> [DeliveryReport] {
        var reports: [DeliveryReport] = []
        for result in results where result.state == .connected {
            let project: Project?
            do { project = try store.project(result.key) } catch { throw .store(error) }
            guard let project, !project.outbox.isEmpty else { continue }
            reports.append(try await deliver(result.key, actor: actor))
        }
        return reports
    }

    /// Drops held work on purpose, recording an event per project.
    ///
    /// - Throws: `ServiceError.work(.unknownOutboxItem)` for an id the outbox does not hold.
    public func discard(_ target: OutboxTarget, actor: String) async throws(ServiceError) -> [OutboxItem] {
        let key: ProjectKey
        switch target {
        case .project(let project): key = project
        case .item(let id):
            guard let dot = id.lastIndex(of: "."), let project = ProjectKey(rawValue: String(id[..<dot])) else {
                throw .work(.unknownOutboxItem(id))
            }
            key = project
        }
        _ = try store.requireProject(key)
        let time = Timestamp.rounded(configuration.now())
        return try await holdingDeliveryLock { () async throws(ServiceError) -> [OutboxItem] in
            try store.commit { transaction in
                guard var project = try transaction.project(key) else {
                    throw ServiceError.unknownProject(key, suggestion: nil)
                }
                let dropped: [OutboxItem]
                switch target {
                case .project: dropped = project.outbox
                case .item(let id): dropped = project.outbox.filter { $0.id.uppercased() == id.uppercased() }
                }
                if case .item(let id) = target, dropped.isEmpty { throw ServiceError.work(.unknownOutboxItem(id)) }
                guard !dropped.isEmpty else { return [] }
                project.outbox.removeAll { item in dropped.contains { $0.id == item.id } }
                transaction.put(project)
                let connection = try transaction.connection(for: key)
                let list = dropped.map { "\($0.id) (\($0.issueKey) → conversation \($0.conversationID))" }
                transaction.record(
                    ConnectionEvent(
                        at: time, project: key, kind: .outboxDiscarded, from: connection.state.name,
                        to: connection.state.name, workspace: connection.state.authorization?.workspace,
                        actor: actor,
                        detail: "discarded \(dropped.count == 1 ? "1 note" : "\(dropped.count) notes"): "
                            + list.joined(separator: ", ")))
                return dropped
            }
        }
    }

    private func holdingDeliveryLock<T>(_ body: () async throws(ServiceError) -> T) async throws(ServiceError) -> T {
        do { return try await store.withDeliveryLock { try await body() } } catch {
            throw store.serviceError(error, operation: "deliver the outbox")
        }
    }

    private func deliverHoldingLock(_ key: ProjectKey, actor: String) async throws(ServiceError) -> DeliveryReport {
        // Another process may have delivered while this one waited for the lock.
        try refresh()
        let items = try store.requireProject(key).outbox
        var report = DeliveryReport(key: key, delivered: [], held: items, stopped: nil, event: nil)
        guard !items.isEmpty else { return report }
        let connection = try ServiceError.reading(try store.connection(for: key))
        guard case .connected(let authorization) = connection.state else {
            report.stopped =
                connection.state.name == .broken ? "the connection is broken" : "the project is not connected"
            return report
        }
        guard let token = try ServiceError.reading(try store.token(id: authorization.tokenID)) else {
            report.stopped = "the store holds no token for the connection; reconnect \(key)"
            return report
        }
        let client = intercom.client(for: authorization.workspace.region)
        var blocked: Set<String> = []
        for item in items where item.workspaceID == authorization.workspace.id && !blocked.contains(item.conversationID)
        {
            if let earlier = item.attempt, earlier.settled != true {
                // The delivery that made it may have died, or lost the answer, with its post still
                // in flight: let that land before looking for it, or it would be posted twice. An
                // attempt Intercom answered (a 503, say) has nothing in flight: no wait.
                let age = configuration.now().timeIntervalSince(earlier.at)
                let settle = configuration.postSettleTime
                let left = settle - .milliseconds(Int64((max(age, 0) * 1000).rounded(.down)))
                if left > .zero, left <= settle {
                    do { try await configuration.sleep(left) } catch { break }  // Ctrl-C: what was done stays
                }
            }
            guard let attempted = try recordAttempt(item.id, of: key, as: authorization.appUser.id) else { continue }
            let outcome = await deliver(
                attempted, checkEarlier: item.attempt != nil, client: client, token: token,
                adminID: authorization.appUser.id)
            switch outcome {
            case .success(let foundPosted):
                try settle(item.id, of: key, heldBecause: nil)
                report.delivered.append((attempted, foundPosted))
            case .failure(let failure):
                let subject = "conversation \(item.conversationID)"
                if HealthCheck.concernsOneConversation(failure.failure, endpoint: failure.endpoint) {
                    // About this conversation only (not found, no access to it, too large): its later
                    // items wait behind it, the others go on. No verdict on the connection.
                    try settle(
                        item.id, of: key, heldBecause: HealthCheck.shortReason(failure.failure) + " for \(subject)",
                        answered: failure.leavesNothingInFlight)
                    blocked.insert(item.conversationID)
                    continue
                }
                // What concerns the token: a 401 is confirmed with `/me` first.
                let verdict = await health.verdict(
                    on: failure.failure, token: token, endpoint: failure.endpoint, confirmWith: client)
                let reason: String
                switch verdict {
                case .rejected(let diagnosis):
                    report.event = try health.recordRejection(verdict, of: key, actor: actor)
                    if diagnosis.evidence.isPlanRestriction {
                        reason = "Intercom refuses API access on this workspace's plan (\(diagnosis.evidence.summary))"
                    } else if diagnosis.causes == [.permissionMissing] {
                        reason =
                            "the token lacks a permission (\(diagnosis.evidence.summary)"
                            + (diagnosis.evidence.endpoint.map { " on \($0)" } ?? "")
                            + "); once an Intercom admin grants it to the app, reconnect \(key)"
                    } else {
                        reason = "Intercom refused the connection (\(diagnosis.evidence.summary)); reconnect \(key)"
                    }
                case .transientFailure(let why):
                    reason = why
                    // The IP allowlist refuses this machine: no verdict, but the failed check is recorded.
                    if failure.failure.isAddressRefusal {
                        _ = try health.recordRejection(verdict, of: key, actor: actor)
                    }
                case .healthy:
                    reason = "no verdict"
                }
                try settle(item.id, of: key, heldBecause: reason, answered: failure.leavesNothingInFlight)
                report.stopped = reason
                report.held = try store.requireProject(key).outbox
                return report
            }
        }
        report.held = try store.requireProject(key).outbox
        let elsewhere = Set(report.held.map(\.workspaceID)).subtracting([authorization.workspace.id]).sorted()
        if report.stopped == nil, !elsewhere.isEmpty {
            report.stopped =
                "held for workspace \(elsewhere.joined(separator: ", ")), not \(authorization.workspace.id): "
                + "reconnect to it, or outbox discard"
        }
        return report
    }

    /// A failed call and the endpoint it was made to, as evidence names it.
    struct FailedCall: Error {
        var failure: IntercomFailure
        var endpoint: String

        /// Whether the note's post cannot still be in flight: Intercom answered it (any status),
        /// or the call that failed came before it (the read, the reopen), so it was never sent.
        var leavesNothingInFlight: Bool {
            failure.status != nil || !endpoint.hasSuffix("/reply")
        }
    }

    /// Reopens (and unassigns) when the item says so, then posts the note, unless an earlier
    /// attempt had posted it: answers whether it had.
    private func deliver(
        _ item: OutboxItem, checkEarlier: Bool, client: any IntercomAPIClient, token: String, adminID: String
    ) async -> Result<Bool, FailedCall> {
        let path = "/conversations/\(item.conversationID)"
        if checkEarlier || item.reopen {
            // Reads may be retried; posts are never retried here, since one that timed out may
            // have been taken: the next delivery looks for it first.
            let conversation: Conversation
            switch await configuration.retry.run({ await client.conversation(id: item.conversationID, token: token) }) {
            case .success(let read): conversation = read
            case .failure(let failure): return .failure(FailedCall(failure: failure, endpoint: "GET \(path)"))
            }
            if checkEarlier, conversation.containsPart(where: { item.isNote(body: $0.body, authorID: $0.author.id) }) {
                return .success(true)
            }
            if item.reopen, conversation.state != "open" {
                let opened = await client.manageConversation(
                    id: item.conversationID, .open(adminID: adminID), token: token)
                if case .failure(let failure) = opened {
                    return .failure(FailedCall(failure: failure, endpoint: "POST \(path)/parts"))
                }
                if item.unassignOnOpen {
                    let unassigned = await client.manageConversation(
                        id: item.conversationID, .unassign(adminID: adminID), token: token)
                    if case .failure(let failure) = unassigned {
                        return .failure(FailedCall(failure: failure, endpoint: "POST \(path)/parts"))
                    }
                }
            }
        }
        let posted = await client.replyWithNote(
            conversationID: item.conversationID, adminID: adminID, body: item.body, token: token)
        if case .failure(let failure) = posted {
            return .failure(FailedCall(failure: failure, endpoint: "POST \(path)/reply"))
        }
        return .success(false)
    }

    /// Commits one more attempt of the item; nil when the item is no longer in the outbox.
    private func recordAttempt(_ id: String, of key: ProjectKey, as adminID: String) throws(ServiceError)
        -> OutboxItem?
    {
        let time = Timestamp.rounded(configuration.now())
        return try store.commit { transaction in
            guard var project = try transaction.project(key),
                let index = project.outbox.firstIndex(where: { $0.id == id })
            else { return nil }
            project.outbox[index].recordAttempt(at: time, as: adminID)
            transaction.put(project)
            return project.outbox[index]
        }
    }

    /// Removes a delivered item (`heldBecause` nil), or records why it stays.
    /// `answered`: the attempt's post got Intercom's answer or was never sent, so the next
    /// delivery need not wait for it to land.
    private func settle(
        _ id: String, of key: ProjectKey, heldBecause reason: String?, answered: Bool = false
    ) throws(ServiceError) {
        try store.commit { transaction in
            guard var project = try transaction.project(key),
                let index = project.outbox.firstIndex(where: { $0.id == id })
            else { return }
            if let reason {
                project.outbox[index].held = reason
                if answered { project.outbox[index].attempt?.settled = true }
            } else {
                project.outbox.remove(at: index)
            }
            transaction.put(project)
        }
    }
}
