import Foundation
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import RelinkStore

/// What one project's check found and did.
public struct CheckResult: Sendable, Equatable {
    public var key: ProjectKey
    public var outcome: CheckOutcome
    /// The transition the check caused (connected → broken, broken → connected), if any.
    public var event: ConnectionEvent?
    public var state: ConnectionState.StateName
    /// How long Intercom took to answer (with retries).
    public var duration: Duration = .zero
}

/// A project `check KEY…` named that is not checked, and why.
public struct NotChecked: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The project has no connection to check.
        case notConnected
        /// The project does not exist, or its record cannot be read.
        case failed(ServiceError)
    }

    public var key: ProjectKey
    public var reason: Reason

    public var description: String {
        switch reason {
        case .notConnected: "\(key) is not connected; connect \(key) --as EMAIL first"
        case .failed(let error): error.description
        }
    }
}

/// Reported after each project's check.
public struct CheckProgress: Sendable {
    public var done: Int
    public var total: Int
    public var latest: CheckResult
}

/// The health check (`check`): `GET /me` for each connection, paced per workspace by the
/// ``RateLimitPacer``, judged by the verdicts of DESIGN.md §2, recorded in batches. The outbox's
/// delivery and the app's work judge their failed calls with the same verdicts.
public struct HealthCheck: ServiceUseCase {
    let context: ServiceContext

    /// Health-checks connections with `GET /me` and records what each found.
    ///
    /// 401 or 403 marks a connection broken, with the evidence and the causes that fit (against
    /// the mock, the simulated cause as ground truth). Anything else that is not an answer — 429,
    /// 5xx, a timeout, a refused or dropped connection, a body that is not JSON — keeps the state
    /// and records a failed check. Transient failures are retried with backoff first, honouring
    /// `X-RateLimit-Reset`. At most `configuration.checkConcurrency` checks run at once, and every
    /// request waits for room in its workspace's rate-limit window (``RateLimitPacer``);
    /// `rateLimitWait` is told of each such wait.
    ///
    /// A plain check is one request. With `deep`, a token `/me` accepts is also tried on
    /// `GET /conversations?per_page=1`, an endpoint the app's work needs: Intercom documents no 403
    /// for `/me`, so only such an endpoint shows a missing permission. A connection broken by a
    /// permission 403 is always re-checked that way, so a plain check never calls it repaired
    /// because `/me` answers.
    ///
    /// - Parameter keys: the projects to check; nil for every connected or broken project.
    /// - Throws: `ServiceError.unknownProject`, or `.refused(.notConnected)` for a named project
    ///   that has no connection; nothing is checked then.
    public func check(
        _ keys: [ProjectKey]?, deep: Bool = false, actor: String = "check",
        progress: @Sendable (CheckProgress) -> Void = { _ in },
        rateLimitWait: @escaping @Sendable (RateLimitPacer.Wait) -> Void = { _ in }
    ) async throws(ServiceError) -> [CheckResult] {
        try refresh()
        let targets: [(ProjectKey, Authorization)]
        if let keys {
            targets = try keys.map { key throws(ServiceError) in
                guard let authorization = try requireConnection(key).connection.state.authorization else {
                    throw .refused(.notConnected(key))
                }
                return (key, authorization)
            }
        } else {
            // Every connection record, decoded on every core; those without an authorization are
            // not checked. Sorted by key, as before.
            let connections = try ServiceError.reading(try store.connections)
            targets = connections.keys.sorted().compactMap { key in
                connections[key]!.state.authorization.map { (key, $0) }
            }
        }
        // What each probe needs of the store, read before any starts: its token, and whether the
        // last check was refused for a missing permission (then the probe goes deeper).
        var reads: [ProjectKey: (token: String?, lastDiagnosis: Diagnosis?)] = [:]
        for (key, authorization) in targets {
            reads[key] = (
                try ServiceError.reading(try store.token(id: authorization.tokenID)),
                try ServiceError.reading(try store.connection(for: key)).breakage?.diagnosis
            )
        }
        var results: [CheckResult] = []
        results.reserveCapacity(targets.count)
        await withTaskGroup(of: CheckTaskResult.self) { group in
            var pending = targets.makeIterator()
            func startNext() {
                // Cancelled (Ctrl-C): start nothing more.
                guard !Task.isCancelled, let (key, authorization) = pending.next() else { return }
                let token = reads[key]?.token
                // A connection broken for a missing permission (a 403, or a 401 off `/me` while `/me`
                // was healthy) is re-checked deeply: `/me` alone would call it repaired.
                let last = reads[key]?.lastDiagnosis
                let probeDeeply = deep || last?.evidence.status == 403 || last?.causes == [.permissionMissing]
                group.addTask { [self] in
                    let clock = ContinuousClock()
                    let started = clock.now
                    let outcome = await probe(
                        authorization, token: token, deep: probeDeeply, rateLimitWait: rateLimitWait)
                    // A probe cut short by cancellation found nothing about the token: not a result.
                    if Task.isCancelled { return .checked(nil) }
                    return .checked(Checked(key: key, outcome: outcome, duration: clock.now - started, token: token))
                }
            }
            for _ in 0..<configuration.checkConcurrency { startNext() }
            // Results are committed in batches: one fdatasync per batch instead of per check,
            // without holding a finished result back longer than the batch takes to fill. A batch
            // commits in a task of the group while the checks go on (one commit at a time, in
            // order), and only the run's last commit may compact the journal.
            var batch: [Checked] = []
            var finished = 0
            var committing = false
            func commitIfDue(final: Bool) {
                guard !committing, !batch.isEmpty, final || batch.count >= Self.checkCommitBatch else { return }
                let committed = batch
                batch.removeAll(keepingCapacity: true)
                committing = true
                group.addTask { [self] in
                    .committed(record(await withGroundTruth(committed), actor: actor, last: final))
                }
            }
            while let next = await group.next() {
                switch next {
                case .checked(let result):
                    finished += 1
                    startNext()
                    if let result { batch.append(result) }
                case .committed(let recorded):
                    committing = false
                    for result in recorded {
                        results.append(result)
                        progress(CheckProgress(done: results.count, total: targets.count, latest: result))
                    }
                }
                // Once every check has come back (or, interrupted, every one started), the rest is
                // the last batch.
                commitIfDue(final: finished == targets.count || group.isEmpty)
            }
        }
        if results.count < targets.count {
            let checked = Set(results.map(\.key))
            throw .checkInterrupted(
                done: results.sorted { $0.key < $1.key },
                notChecked: targets.map(\.0).filter { !checked.contains($0) })
        }
        return results.sorted { $0.key < $1.key }
    }

    /// The keys `check KEY…` names, each once and in order: those that can be checked, and why each
    /// of the others cannot (it does not exist, or is not connected). Nothing is checked, and
    /// nothing needs Intercom: a command asks before it starts what talks to Intercom.
    public static func sortOut(_ keys: [ProjectKey], in store: Store) -> (
        checkable: [ProjectKey], notChecked: [NotChecked]
    ) {
        var checkable: [ProjectKey] = []
        var notChecked: [NotChecked] = []
        for key in keys where !checkable.contains(key) && !notChecked.contains(where: { $0.key == key }) {
            do throws(ServiceError) {
                _ = try store.requireProject(key)
                let connection: Connection
                do { connection = try store.connection(for: key) } catch { throw .store(error) }
                if connection.state.authorization == nil {
                    notChecked.append(NotChecked(key: key, reason: .notConnected))
                } else {
                    checkable.append(key)
                }
            } catch {
                notChecked.append(NotChecked(key: key, reason: .failed(error)))
            }
        }
        return (checkable, notChecked)
    }

    /// Asks Intercom whether the token still works, and turns the answer into an outcome.
    ///
    /// A rejection carries the evidence alone: the mock's ground truth is asked for with the
    /// batch's commit (``withGroundTruth(_:)``), one call for the batch instead of one request more
    /// per rejected token.
    func probe(
        _ authorization: Authorization, token: String?, deep: Bool = false,
        rateLimitWait: @escaping @Sendable (RateLimitPacer.Wait) -> Void = { _ in }
    ) async -> CheckOutcome {
        guard let token else {
            // A verdict, not a transient failure: no later try can succeed until a reconnect.
            return .rejected(Diagnosis(evidence: .tokenLost, causes: [], isGroundTruth: true))
        }
        let client = intercom.client(for: authorization.workspace.region)
        var endpoint: String?
        let pacer = configuration.pacer
        let workspace = authorization.workspace.id
        // Each attempt, retries included, waits for room in the workspace's window.
        func paced<T: Sendable>(
            _ request:
                @escaping @Sendable (_ observe: @escaping @Sendable (RateLimitStatus) -> Void) async -> Result<
                    T, IntercomFailure
                >
        ) async -> Result<T, IntercomFailure> {
            await configuration.retry.run {
                do {
                    return try await pacer.paced(workspace: workspace, onWait: rateLimitWait, request)
                } catch {
                    // Cancelled while waiting for a window: nothing was asked, and the caller drops the result.
                    return .failure(
                        IntercomFailure(kind: .unreachable, message: "cancelled while waiting for a rate-limit window"))
                }
            }
        }
        var answer = await paced { await client.meProbe(token: token, observe: $0) }
        if deep, case .success = answer {
            endpoint = "GET /conversations"
            answer = await paced { await client.conversationsProbe(token: token, observe: $0) }
        }
        switch answer {
        case .success:
            return .healthy
        case .failure(let failure):
            // A failure on `/conversations` came after a healthy `/me` in this same probe: no
            // second `/me` is needed to confirm a 401 there.
            return await verdict(
                on: failure, token: token, endpoint: endpoint, meHealthy: endpoint != nil, askGroundTruth: false)
        }
    }

    /// The check's verdict on a failed call (Docs/intercom.md, "What each answer says about the
    /// connection"): a 401 from `/me` or a permission 403 rejects the connection (with the mock's
    /// ground truth); an IP-allowlist 403 and anything transient give no verdict. The outbox's
    /// delivery and the app's work judge their calls so too.
    ///
    /// A 401 from any route other than `/me` (`endpoint` non-nil) is first confirmed with `/me`:
    /// `meHealthy` says this call already found `/me` healthy; otherwise `/me` is asked through
    /// `confirmWith`. `/me` healthy: a missing permission (``Diagnosis/init(missingPermission:)``),
    /// never a dead token. `/me` refusing: `/me`'s own verdict. `/me` unreachable: no verdict.
    /// Without either, the 401 is judged as it stands.
    func verdict(
        on failure: IntercomFailure, token: String, endpoint: String?, meHealthy: Bool = false,
        confirmWith client: (any IntercomAPIClient)? = nil, askGroundTruth: Bool = true
    ) async -> CheckOutcome {
        guard failure.breaksConnection else { return .transientFailure(reason: Self.shortReason(failure)) }
        let evidence = Evidence(
            status: failure.status ?? (failure.kind == .forbidden ? 403 : 401), code: failure.code,
            message: failure.message, requestID: failure.requestID, endpoint: endpoint)
        if failure.kind == .authRejected, let endpoint, !Self.isMe(endpoint), meHealthy || client != nil {
            if !meHealthy, let client {
                let me = await configuration.retry.run { await client.meProbe(token: token, observe: { _ in }) }
                if case .failure(let refusal) = me {
                    let outcome = await verdict(
                        on: refusal, token: token, endpoint: nil, askGroundTruth: askGroundTruth)
                    if case .transientFailure(let why) = outcome {
                        return .transientFailure(
                            reason: "Intercom answered \(evidence.summary) on \(endpoint), and GET /me could not "
                                + "confirm it: \(why)")
                    }
                    return outcome
                }
            }
            // `/me` accepts the token: it lacks the permission this route needs.
            if askGroundTruth, await groundTruth(token: token) == .permissionMissing {
                return .rejected(Diagnosis(evidence: evidence, causes: [.permissionMissing], isGroundTruth: true))
            }
            return .rejected(Diagnosis(missingPermission: evidence))
        }
        if askGroundTruth, let truth = await groundTruth(token: token) {
            return .rejected(Diagnosis(evidence: evidence, causes: [truth], isGroundTruth: true))
        }
        return .rejected(Diagnosis(evidence: evidence))
    }

    /// Whether an endpoint as evidence names it (`GET /me`) is `/me`.
    static func isMe(_ endpoint: String) -> Bool {
        endpoint == "GET /me" || endpoint == "/me"
    }

    /// Whether a failed call concerns one conversation only, not the token (Docs/app-work.md): a
    /// 404 or 400 on it, an answer too large to read, or a 403 on a conversation's route that is
    /// neither a named missing scope, the plan, nor the IP allowlist ("Admin does not have access
    /// to this conversation"). Such a failure holds that conversation's work; it is no verdict.
    static func concernsOneConversation(_ failure: IntercomFailure, endpoint: String) -> Bool {
        switch failure.kind {
        case .notFound, .badRequest, .tooLarge: return true
        case .forbidden:
            let evidence = Evidence(status: 403, code: failure.code, message: failure.message, endpoint: endpoint)
            return endpoint.contains("/conversations/") && evidence.namedScope == nil
                && !evidence.isPlanRestriction && !evidence.isAddressRefusal
        default: return false
        }
    }

    /// The batch's rejections with the mock's ground truth in place of the causes their evidence
    /// fits, asked for in one call; as they are against the real API, or when the mock cannot say.
    private func withGroundTruth(_ batch: [Checked]) async -> [Checked] {
        guard let worldControl = context.worldControl else { return batch }
        let asking = batch.indices.filter { index in
            guard case .rejected(let diagnosis) = batch[index].outcome, !diagnosis.isGroundTruth else { return false }
            return batch[index].token != nil
        }
        guard !asking.isEmpty,
            let inspections = try? await worldControl.inspect(tokens: asking.map { batch[$0].token! }),
            inspections.count == asking.count
        else { return batch }
        var batch = batch
        for (index, inspection) in zip(asking, inspections) {
            guard case .rejected(let diagnosis) = batch[index].outcome, let truth = inspection.flatMap(Self.cause)
            else { continue }
            // A missing permission was confirmed by a healthy `/me`: no token death replaces it.
            if diagnosis.causes == [.permissionMissing], truth != .permissionMissing { continue }
            batch[index].outcome = .rejected(
                Diagnosis(evidence: diagnosis.evidence, causes: [truth], isGroundTruth: true))
        }
        return batch
    }

    /// Judges a failed call as a check would and records a rejection: the connection turns
    /// broken with the evidence. Answers the event of that transition, if any.
    /// A 401 is confirmed with `/me` through `client` first.
    func judge(
        _ failure: IntercomFailure, key: ProjectKey, token: String, endpoint: String,
        client: any IntercomAPIClient, actor: String
    ) async throws(ServiceError) -> ConnectionEvent? {
        let outcome = await verdict(on: failure, token: token, endpoint: endpoint, confirmWith: client)
        // An IP-allowlist refusal is no verdict, but it is recorded as the failed check it is.
        guard case .rejected = outcome else {
            if failure.isAddressRefusal { _ = try recordRejection(outcome, of: key, actor: actor) }
            return nil
        }
        return try recordRejection(outcome, of: key, actor: actor)
    }

    /// Records a check's outcome as a check would: a rejection turns the connection broken with the
    /// evidence; a transient failure keeps the state and is recorded as the last check.
    func recordRejection(_ outcome: CheckOutcome, of key: ProjectKey, actor: String) throws(ServiceError)
        -> ConnectionEvent?
    {
        let time = Timestamp.rounded(configuration.now())
        return try store.commit { transaction in
            var connection = try transaction.connection(for: key)
            guard connection.state.authorization != nil else { return nil }
            let event = try connection.recordCheck(outcome, at: time, by: actor)
            transaction.put(connection)
            if let event { transaction.record(event) }
            return event
        }
    }

    static var checkCommitBatch: Int { 64 }

    /// What one task of a check run's group did: a check (nil when cancelled), or a batch committed.
    private enum CheckTaskResult: Sendable {
        case checked(Checked?)
        case committed([CheckResult])
    }

    /// One project's check, not recorded yet; the token is kept only to ask the mock about it.
    private struct Checked: Sendable {
        var key: ProjectKey
        var outcome: CheckOutcome
        var duration: Duration
        var token: String?
    }

    private func record(_ batch: [Checked], actor: String, last: Bool = true) -> [CheckResult] {
        do {
            return try store.update(deferringCompaction: !last) { transaction in
                try batch.map { checked in
                    let (key, outcome, duration) = (checked.key, checked.outcome, checked.duration)
                    var connection = try transaction.connection(for: key)
                    guard connection.state.authorization != nil else {
                        // Revoked by someone else while the check ran: nothing to record.
                        return CheckResult(
                            key: key, outcome: outcome, event: nil, state: connection.state.name, duration: duration)
                    }
                    let event = try connection.recordCheck(
                        outcome, at: Timestamp.rounded(configuration.now()), by: actor)
                    transaction.put(connection)
                    if let event { transaction.record(event) }
                    return CheckResult(
                        key: key, outcome: outcome, event: event, state: connection.state.name, duration: duration)
                }
            }
        } catch {
            // The outcome says so to the person; the log has it for whoever asked for notices.
            configuration.logger.notice("recording checks failed: \(error)")
            return batch.map { checked in
                CheckResult(
                    key: checked.key, outcome: .transientFailure(reason: "the result could not be recorded: \(error)"),
                    event: nil,
                    // The state as recorded; a record that no longer reads is not connected as far as is known.
                    state: (try? store.connection(for: checked.key))?.state.name ?? .notConnected,
                    duration: checked.duration)
            }
        }
    }

    /// Against the mock, the simulated cause is known: ask the mock which one killed the token.
    private func groundTruth(token: String) async -> BreakCause? {
        guard let worldControl = context.worldControl, let inspection = try? await worldControl.inspect(token: token)
        else {
            return nil  // the evidence alone still stands
        }
        return Self.cause(inspection)
    }

    /// The cause the mock vouches for: a live token without its permission, or a death it simulated.
    private static func cause(_ inspection: MockControlAPI.TokenInspection) -> BreakCause? {
        if inspection.permissionMissing && inspection.alive { return .permissionMissing }
        return inspection.cause
    }

    static func shortReason(_ failure: IntercomFailure) -> String {
        switch failure.kind {
        case .rateLimited: "Intercom answered 429 rate_limit_exceeded"
        case .serverError: "Intercom answered \(failure.status ?? 500)" + (failure.code.map { " \($0)" } ?? "")
        case .timeout: "Intercom did not answer in time"
        case .unreachable: "Intercom could not be reached" + (failure.message.map { " (\($0))" } ?? "")
        case .notJSON where failure.isUnverifiedRefusal:
            "Intercom's answer was not JSON (HTTP \(failure.status ?? 0)), so it is no verdict on the token"
        case .notJSON: "Intercom's answer was not JSON" + (failure.status.map { " (HTTP \($0))" } ?? "")
        case .tooLarge: "Intercom's answer was too large"
        case .untrustedCertificate:
            "the server's TLS certificate was not trusted" + (failure.message.map { " (\($0))" } ?? "")
                + "; SSL_CERT_FILE adds a CA"
        case .forbidden where failure.isAddressRefusal:
            "Intercom refuses requests from this machine's IP address (HTTP 403, IP allowlist); "
                + "an Intercom admin allows it in the workspace's security settings"
        case .notFound, .badRequest, .authRejected, .forbidden:
            "Intercom answered \(failure.status.map(String.init) ?? "an error")" + (failure.code.map { " \($0)" } ?? "")
        }
    }
}
