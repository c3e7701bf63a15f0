import Foundation
import IntercomAPI
import IntercomMockStore
import IntercomMockWorld
import RelinkCore
import RelinkFixtures
import RelinkService
import RelinkStore
import RelinkTestSupport
import Synchronization
import Testing

/// In-memory Intercom that can be told to fail the next calls of a kind, or to take a post and
/// then answer as if the connection had dropped: what a crash or a timeout after the post looks like.
final class FaultyIntercom: IntercomGateway, IntercomAPIClient, Sendable {
    let inner: InMemoryIntercom
    /// Failures to answer instead of the next calls whose `METHOD /path` contains the key, in order.
    private let planned = Mutex<[(match: String, failure: IntercomFailure, afterApplying: Bool)]>([])

    init(_ inner: InMemoryIntercom) { self.inner = inner }

    /// The next call matching `match` fails with `failure`; `afterApplying` lets it take effect first.
    func fail(_ match: String, with failure: IntercomFailure, afterApplying: Bool = false) {
        planned.withLock { $0.append((match, failure, afterApplying)) }
    }

    private func plan(_ call: String) -> (IntercomFailure, Bool)? {
        planned.withLock { plans in
            guard let index = plans.firstIndex(where: { call.contains($0.match) }) else { return nil }
            let plan = plans.remove(at: index)
            return (plan.failure, plan.afterApplying)
        }
    }

    private func run<T>(_ call: String, _ body: () async -> Result<T, IntercomFailure>) async -> Result<
        T, IntercomFailure
    > {
        guard let (failure, afterApplying) = plan(call) else { return await body() }
        if afterApplying { _ = await body() }
        return .failure(failure)
    }

    var defaultRegion: Region? { nil }
    var oauthEndpoint: IntercomEndpoint { inner.oauthEndpoint }
    func client(for region: Region?) -> any IntercomAPIClient { self }
    func listenForRedirect(expectedState: String, timeout: Duration, registeredURI: String?) async throws(OAuthError)
        -> any RedirectReceiver
    {
        try await inner.listenForRedirect(expectedState: expectedState, timeout: timeout, registeredURI: registeredURI)
    }

    func me(token: String) async -> Result<Admin, IntercomFailure> {
        await run("GET /me") { await inner.me(token: token) }
    }
    func admins(token: String) async -> Result<[Admin], IntercomFailure> { await inner.admins(token: token) }
    func conversationsProbe(token: String) async -> Result<Void, IntercomFailure> {
        await inner.conversationsProbe(token: token)
    }
    func exchange(code: String, clientID: String, clientSecret: String) async -> Result<TokenResponse, IntercomFailure>
    {
        await inner.exchange(code: code, clientID: clientID, clientSecret: clientSecret)
    }
    func uninstall(token: String) async -> Result<Void, IntercomFailure> { await inner.uninstall(token: token) }
    func replyWithNote(conversationID: String, adminID: String, body: String, token: String) async
        -> Result<Conversation, IntercomFailure>
    {
        await run("POST /conversations/\(conversationID)/reply") {
            await inner.replyWithNote(conversationID: conversationID, adminID: adminID, body: body, token: token)
        }
    }
    func conversation(id: String, token: String) async -> Result<Conversation, IntercomFailure> {
        await run("GET /conversations/\(id)") { await inner.conversation(id: id, token: token) }
    }
    func manageConversation(id: String, _ request: ManageConversationRequest, token: String) async
        -> Result<Conversation, IntercomFailure>
    {
        await run("POST /conversations/\(id)/parts") { await inner.manageConversation(id: id, request, token: token) }
    }
}

/// Links, Jira events and the outbox over the demo fixture and an in-memory Intercom.
@Suite("The app's work: links, notes, the durable outbox")
struct AppWorkTests {
    let directory: TemporaryDirectory
    let store: Store
    let intercom: InMemoryIntercom
    let faulty: FaultyIntercom
    let service: ConnectionService
    /// The waits the service asked for before looking for an earlier attempt's note (none is real).
    let settleWaits = Box<[Duration]>([])

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(directory: directory.url, options: .init(durable: false))
        try DemoFixture.write(to: store)
        intercom = InMemoryIntercom(world: try #require(try store.loadWorld()))
        faulty = FaultyIntercom(intercom)
        let waits = settleWaits
        service = ConnectionService(
            store: store, intercom: faulty, worldControl: intercom,
            configuration: ServiceConfiguration(
                retry: RetryPolicy(maxAttempts: 1, sleep: { _ in }),
                sleep: { duration in waits.update { $0.append(duration) } }))
    }

    func notes(_ conversation: String) -> [MockWorld.ConversationRecord.Part] {
        intercom.world.conversations.first { $0.id == conversation }?.parts.filter { $0.partType == "note" } ?? []
    }

    static let sup12: IssueKey = IssueKey(rawValue: "SUP-12")!
    static let web3: IssueKey = IssueKey(rawValue: "WEB-3")!

    // MARK: Links

    @Test("link asks Intercom that each conversation exists, then links all or none")
    func linkChecksThroughTheConnection() async throws {
        let outcome = try await service.work.link(Self.sup12, ["1004", "1001", "1004"], actor: "test")
        #expect(outcome.changed == ["1004"] && outcome.unchanged == ["1001"])
        #expect(try store.project("SUP")?.conversations(of: Self.sup12) == ["1001", "1002", "1004"])
        #expect(intercom.calls.contains("GET /conversations/1004"))

        // 2001 lives in the EU workspace: Intercom answers 404 for SUP's, and nothing is linked.
        await #expect {
            try await service.work.link(Self.sup12, ["1005", "2001"], actor: "test")
        } throws: { error in
            guard case ServiceError.work(.conversationNotFound("2001", let workspace)) = error else { return false }
            return workspace == DemoFixture.support
        }
        #expect(try store.project("SUP")?.conversations(of: Self.sup12) == ["1001", "1002", "1004"])
    }

    @Test("link is refused while the connection is broken, with the warning; unlink needs no connection")
    func linkRefusedWhileBroken() async throws {
        await #expect {
            try await service.work.link(Self.web3, ["1001"], actor: "test")
        } throws: { error in
            guard case ServiceError.work(.broken("WEB", let warning)) = error else { return false }
            return warning.contains("revoked")
        }
        #expect(!intercom.calls.contains { $0.hasPrefix("GET /conversations") })
        await #expect(throws: ServiceError.work(.notConnected("OPS"))) {
            try await service.work.link(IssueKey(rawValue: "OPS-1")!, ["1001"], actor: "test")
        }
        let unlinked = try service.work.unlink(Self.web3, ["1005"])
        #expect(unlinked.changed == ["1005"] && unlinked.links.isEmpty)
        #expect(try store.project("WEB")?.links.isEmpty == true)
        #expect(throws: ServiceError.work(.notLinked(Self.web3, ["1005"]))) {
            try service.work.unlink(Self.web3, ["1005"])
        }
    }

    @Test("A 401 while linking breaks the connection as a check would, and links nothing")
    func linkFindsTheBreak() async throws {
        _ = try await service.breaks.breakConnection("SUP", cause: .passwordChanged)
        await #expect(throws: ServiceError.self) { try await service.work.link(Self.sup12, ["1003"], actor: "test") }
        let connection = try store.connection(for: "SUP")
        #expect(connection.state.name == .broken)
        #expect(connection.breakage?.diagnosis.causes == [.passwordChanged])
        // Confirmed with GET /me, which refused the token too: the evidence is /me's answer.
        #expect(connection.breakage?.diagnosis.evidence.endpoint == nil)
    }

    // MARK: Notes

    @Test("A comment while connected is a note on every linked conversation, with its marker")
    func commentDelivered() async throws {
        let outcome = try await service.work.notify(
            .commented(Self.sup12, text: "Fixed <b>in</b> 2.3 — ✓"), actor: "test")
        #expect(outcome.queued.map(\.conversationID) == ["1001", "1002"])
        #expect(outcome.delivery?.delivered.count == 2 && outcome.delivery?.held.isEmpty == true)
        #expect(try store.project("SUP")?.outbox.isEmpty == true)
        let note = try #require(notes("1001").first)
        #expect(note.body == "SUP-12 has a new comment: Fixed &lt;b&gt;in&lt;/b&gt; 2.3 — ✓ [relink SUP.1]")
        #expect(note.adminID == DemoFixture.bot.id)
        #expect(notes("1002").first?.body?.hasSuffix("[relink SUP.2]") == true)
    }

    @Test("A trigger that is off, a transition it does not name, a comment without the tag: nothing is sent")
    func triggersDecide() async throws {
        let transition = try await service.work.notify(.transitioned(Self.sup12, status: "In Progress"), actor: "test")
        #expect(
            transition.decision
                == .skip(reason: #"the issueTransitioned trigger names only Done: no note for "In Progress""#))
        // BUG filters comments: only one carrying #intercom is sent, without the tag.
        let bug7 = IssueKey(rawValue: "BUG-7")!
        let untagged = try await service.work.notify(.commented(bug7, text: "internal only"), actor: "test")
        guard case .skip = untagged.decision else { Issue.record("sent \(untagged)"); return }
        let tagged = try await service.work.notify(.commented(bug7, text: "Shipped #Intercom today"), actor: "test")
        #expect(tagged.queued.first?.note == "BUG-7 has a new comment: Shipped today")
        try store.update { transaction in
            var project = try transaction.project("SUP")!
            project.settings.conversationLinking.notificationTriggers.issueAssignmentChanged.enabled = false
            transaction.put(project)
        }
        let assign = try await service.work.notify(.assigned(Self.sup12, assignee: "alice@acme.test"), actor: "test")
        #expect(assign.decision == .skip(reason: "the issueAssignmentChanged trigger is off"))
        #expect(notes("1001").isEmpty && notes("1004").count == 1)
    }

    @Test("reopenConversations opens a closed conversation before the note; unassignOnOpen unassigns it")
    func reopenAndUnassign() async throws {
        let token = try #require(try store.token(id: "tok-demo-sup"))
        _ = await intercom.manageConversation(
            id: "1003", .init(messageType: "assignment", adminID: DemoFixture.bot.id, assigneeID: DemoFixture.bob.id),
            token: token)
        _ = await intercom.manageConversation(
            id: "1003", .init(messageType: "close", adminID: DemoFixture.bot.id), token: token)
        try store.update { transaction in
            var project = try transaction.project("SUP")!
            project.settings.conversationLinking.unassignOnOpen = true
            transaction.put(project)
        }
        let sup40 = IssueKey(rawValue: "SUP-40")!
        _ = try await service.work.notify(.transitioned(sup40, status: "done"), actor: "test")
        let record = try #require(intercom.world.conversations.first { $0.id == "1003" })
        #expect(record.parts.map(\.partType) == ["assignment", "close", "open", "assignment", "note"])
        #expect(record.state == .open && record.assigneeID == nil)
    }

    // MARK: The outbox

    @Test("While broken, notes wait in the outbox; reconnect to the same workspace delivers them in order, once")
    func heldWhileBrokenDeliveredAfterReconnect() async throws {
        _ = try await service.work.notify(.commented(Self.web3, text: "one"), actor: "test")
        _ = try await service.work.notify(.assigned(Self.web3, assignee: nil), actor: "test")
        _ = try await service.work.notify(.transitioned(Self.web3, status: "Done"), actor: "test")
        let project = try #require(try store.project("WEB"))
        #expect(project.outbox.map(\.id) == ["WEB.1", "WEB.2", "WEB.3"])
        let view = SettingsView(project: project, connection: try store.connection(for: "WEB"))
        #expect(view.heldWork == "3 notes waiting for the connection")
        #expect(view.warning?.contains("Held up until then: 3 notes to the linked conversations of WEB-3.") == true)
        #expect(notes("1005").isEmpty)
        // Reopening the store (another process, after a crash) finds them.
        #expect(try Store(directory: directory.url).project("WEB")?.outbox.count == 3)
        // Still broken: an explicit delivery holds them and says why.
        let refused = try await service.outbox.deliver("WEB", actor: "test")
        #expect(refused.delivered.isEmpty && refused.held.count == 3 && refused.stopped == "the connection is broken")

        // The reconnect delivers what the outbox held, as its last step.
        let reconnected = try await service.lifecycle.reconnect(
            "WEB", as: AuthorizationRequest(teammate: nil), actor: "test")
        let report = try #require(reconnected.delivery)
        #expect(report.delivered.map(\.item.id) == ["WEB.1", "WEB.2", "WEB.3"])
        #expect(
            notes("1005").map { $0.body ?? "" } == [
                "WEB-3 has a new comment: one [relink WEB.1]", "WEB-3 was unassigned [relink WEB.2]",
                "WEB-3 moved to Done [relink WEB.3]",
            ])
        #expect(try await service.outbox.deliver("WEB", actor: "test").delivered.isEmpty)
        #expect(notes("1005").count == 3)
    }

    @Test("A post that Intercom took before relink heard back is found by its marker, not posted twice")
    func interruptedPostIsNotRepeated() async throws {
        let dropped = IntercomFailure(kind: .unreachable, message: "the server closed the connection without answering")
        faulty.fail("POST /conversations/1001/reply", with: dropped, afterApplying: true)
        let first = try await service.work.notify(.commented(Self.sup12, text: "once"), actor: "test")
        #expect(first.delivery?.stopped?.contains("could not be reached") == true)
        #expect(try store.project("SUP")?.outbox.map(\.id) == ["SUP.1", "SUP.2"])
        #expect(try store.project("SUP")?.outbox.first?.attempt?.count == 1)
        #expect(notes("1001").count == 1 && notes("1002").isEmpty)

        let again = try await service.outbox.deliver("SUP", actor: "test")
        #expect(again.delivered.map(\.foundPosted) == [true, false])
        // The interrupted post might still have been in flight: it was given until the request
        // timeout after its attempt to land before being looked for (SUP.2 had no attempt).
        let waits = settleWaits.value
        #expect(waits.count == 1 && waits.allSatisfy { $0 > .seconds(8) && $0 <= .seconds(10) }, "\(waits)")
        #expect(notes("1001").count == 1 && notes("1002").count == 1)
        #expect(try store.project("SUP")?.outbox.isEmpty == true)
    }

    @Test(
        "Intercom returns a conversation's 500 most recent parts: an interrupted note under 499 newer ones is found, under 500 it is posted again",
        arguments: [499, 500])
    func markerSearchSeesTheLatest500Parts(newer: Int) async throws {
        let dropped = IntercomFailure(kind: .unreachable, message: "the server closed the connection without answering")
        faulty.fail("POST /conversations/1001/reply", with: dropped, afterApplying: true)
        _ = try await service.work.notify(.commented(Self.sup12, text: "buried"), actor: "test")
        let token = try #require(try store.token(id: "tok-demo-sup"))
        let admin = try #require(try store.connection(for: "SUP").state.authorization?.appUser.id)
        for index in 1...newer {
            _ = try await intercom.replyWithNote(
                conversationID: "1001", adminID: admin, body: "later \(index)", token: token
            ).get()
        }
        let read = try await intercom.conversation(id: "1001", token: token).get()
        let stored = intercom.world.conversations.first { $0.id == "1001" }?.parts.count ?? 0
        #expect(stored > 500 || newer < 500)
        #expect(read.conversationParts?.conversationParts.count == min(stored, 500), "the 500 most recent parts")
        let again = try await service.outbox.deliver("SUP", actor: "test")
        let marked = notes("1001").filter { $0.body?.contains("[relink SUP.1]") == true }
        if newer < 500 {
            #expect(again.delivered.map(\.foundPosted) == [true, false], "found among the 500 latest parts")
            #expect(marked.count == 1)
        } else {
            // Docs/app-work.md: the accepted window; the marker is out of sight, the note is posted again.
            #expect(again.delivered.map(\.foundPosted) == [false, false])
            #expect(marked.count == 2)
        }
    }

    @Test(
        "A refusal that concerns one conversation holds only its items: the others are delivered, no verdict",
        arguments: [
            IntercomFailure(kind: .tooLarge, status: 200, message: "the answer is larger than 64 MiB"),
            IntercomFailure(
                kind: .forbidden, status: 403, code: "forbidden",
                message: "Admin does not have access to this conversation"),
            IntercomFailure(kind: .notFound, status: 404, code: "not_found", message: "Resource Not Found"),
        ])
    func oneConversationsRefusalHoldsOnlyIt(_ failure: IntercomFailure) async throws {
        faulty.fail("POST /conversations/1001/reply", with: failure)
        let outcome = try await service.work.notify(.commented(Self.sup12, text: "one of two"), actor: "test")
        let delivery = try #require(outcome.delivery)
        #expect(delivery.delivered.map(\.item.conversationID) == ["1002"])
        #expect(delivery.held.map(\.conversationID) == ["1001"])
        #expect(delivery.held.first?.held?.hasSuffix("for conversation 1001") == true)
        #expect(delivery.event == nil)
        #expect(try store.connection(for: "SUP").state.name == .connected, "no verdict on the connection")
        #expect(notes("1001").isEmpty && notes("1002").count == 1)
    }

    @Test(
        "500, 503, 429, a timeout and a page that is not JSON during delivery keep the note for a retry",
        arguments: [
            IntercomFailure(kind: .serverError, status: 500, code: "server_error"),
            IntercomFailure(kind: .serverError, status: 503, code: "server_error"),
            IntercomFailure(kind: .rateLimited, status: 429, code: "rate_limit_exceeded"),
            IntercomFailure(kind: .timeout, message: "no complete answer within 10 seconds"),
            IntercomFailure(kind: .notJSON, status: 401, message: "the answer is not an Intercom error"),
        ])
    func transientFailuresKeepTheNote(_ failure: IntercomFailure) async throws {
        faulty.fail("POST /conversations/1002/reply", with: failure)
        let first = try await service.work.notify(.commented(Self.sup12, text: "retry me"), actor: "test")
        #expect(first.delivery?.delivered.map(\.item.id) == ["SUP.1"])
        #expect(try store.project("SUP")?.outbox.first?.held == first.delivery?.stopped)
        #expect(try store.connection(for: "SUP").state.name == .connected, "a transient failure breaks nothing")
        let retried = try await service.outbox.deliver("SUP", actor: "test")
        #expect(retried.delivered.map(\.item.id) == ["SUP.2"])
        // An answered post has nothing in flight: no wait before the retry. A timeout's may land yet.
        #expect(settleWaits.value.isEmpty == (failure.status != nil), "\(settleWaits.value)")
        #expect(notes("1001").count == 1 && notes("1002").count == 1)
    }

    @Test("A 401 or a permission 403 during delivery breaks the connection and keeps every note")
    func refusalBreaksAndKeeps() async throws {
        try await intercom.applyCause(
            CauseRequest(cause: .permissionMissing, token: #require(try store.token(id: "tok-demo-sup"))))
        let outcome = try await service.work.notify(.commented(Self.sup12, text: "blocked"), actor: "test")
        #expect(outcome.delivery?.event?.kind == .broken)
        #expect(try store.connection(for: "SUP").breakage?.diagnosis.causes == [.permissionMissing])
        #expect(try store.project("SUP")?.outbox.count == 2)
        let plan = IntercomFailure(
            kind: .forbidden, status: 403, code: "api_plan_restricted", message: "Active subscription needed.")
        faulty.fail("POST /conversations/1004/reply", with: plan)
        let bug = try await service.work.notify(
            .commented(IssueKey(rawValue: "BUG-7")!, text: "#intercom x"), actor: "test")
        #expect(bug.delivery?.stopped?.contains("plan") == true)
        #expect(try store.project("BUG")?.outbox.count == 1)
    }

    @Test("After a reconnect to another workspace the items stay, said why, until discarded (an event)")
    func workspaceChangeHoldsItems() async throws {
        _ = try await service.work.notify(.commented(Self.web3, text: "for the old workspace"), actor: "test")
        let reconnected = try await service.lifecycle.reconnect(
            "WEB", as: AuthorizationRequest(teammate: DemoFixture.bob.email, workspace: DemoFixture.europe.id),
            allowWorkspaceChange: true, actor: "test")
        let report = try #require(reconnected.delivery)
        #expect(report.delivered.isEmpty && report.held.count == 1)
        let item = try #require(store.project("WEB")?.outbox.first)
        #expect(
            try item.waitingReason(connection: store.connection(for: "WEB")).contains("belongs to workspace acme4sup"))
        await #expect(throws: ServiceError.work(.unknownOutboxItem("WEB.9"))) {
            try await service.outbox.discard(.item("WEB.9"), actor: "test")
        }
        let discarded = try await service.outbox.discard(.item("web.1"), actor: "test")
        #expect(discarded.map(\.id) == ["WEB.1"])
        #expect(try store.project("WEB")?.outbox.isEmpty == true)
        let event = try #require(try store.events(for: "WEB").last)
        #expect(event.kind == .outboxDiscarded && event.detail?.contains("WEB.1 (WEB-3 → conversation 1005)") == true)
        #expect(notes("1005").isEmpty)
    }

    @Test("The outbox holds no secret: no token appears in the store's shareable files")
    func noSecretsInTheOutbox() async throws {
        _ = try await service.work.notify(.commented(Self.web3, text: "held"), actor: "test")
        try store.compact()
        let shared = try String(contentsOf: store.stateFile, encoding: .utf8)
        #expect(shared.contains("WEB.1"))
        for secret in try store.allSecrets { #expect(!shared.contains(secret)) }
    }
}
