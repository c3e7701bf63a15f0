import Foundation
import IntercomAPI
import IntercomMockFaults
import LiveMockSupport
import RelinkCore
import RelinkFixtures
import RelinkService
import Testing

/// Docs/intercom.md, "What each answer says about the connection (verdicts)": each named real answer
/// of the mock (`mock fault add PATH status --body NAME`) on `/me` (a plain check), on
/// `GET /conversations` (a deep check, after a healthy `/me`) and on one conversation's route (the
/// outbox delivering a comment to SUP-12's two conversations, 1001 first). For each: the verdict,
/// the state afterwards, the warning and the actions offered.
@Suite("Real answers: the verdict, the state, the warning and the actions")
struct RealAnswerContractTests {
    /// What a row of the table expects.
    enum Expected: Sendable, Equatable {
        /// No verdict: state kept (connected), the failed check recorded with a reason containing the text.
        case noVerdict(reasonContains: String)
        /// A missing permission: broken, causes [permission-missing], Reconnect and Revoke.
        case permissionMissing
        /// A token verdict: broken, with these causes (the evidence's), Reconnect and Revoke.
        case tokenRefused([BreakCause])
        /// The plan: broken, yellow, no cause, Revoke only.
        case plan
        /// About one conversation: its item held, the other conversation's note delivered, connected.
        case conversationHeld
    }

    static let allDeaths: [BreakCause] = [.passwordChanged, .tokenRevoked, .userRemoved, .appUninstalled]

    /// `/me` answering each real answer (a plain check).
    static let meRows: [(FaultSpec.Body, Expected)] = [
        (.scope, .tokenRefused(allDeaths)),
        (.scopeNamed, .permissionMissing),
        (.allowlist, .noVerdict(reasonContains: "IP allowlist")),
        (.plan, .plan),
        (.nocode, .tokenRefused(allDeaths)),
        (.unauthorized, .tokenRefused(allDeaths)),
        (.tokenRevoked, .tokenRefused([.tokenRevoked, .appUninstalled])),
        (.tokenSuspended, .tokenRefused([.appUninstalled])),
        (.tokenBlocked, .tokenRefused([.appUninstalled])),
        (.tokenExpired, .tokenRefused([.passwordChanged, .tokenRevoked])),
        (.tokenNotFound, .tokenRefused([.tokenRevoked, .appUninstalled])),
        (.adminNotFound, .noVerdict(reasonContains: "404")),
        (.notFound, .noVerdict(reasonContains: "404")),
        (.conversationForbidden, .permissionMissing),
    ]

    /// Every 401 answer: off `/me`, each is a missing permission once `/me` is found healthy.
    static let unauthorizedAnswers: [FaultSpec.Body] = [
        .scope, .nocode, .unauthorized, .tokenRevoked, .tokenSuspended, .tokenBlocked, .tokenExpired, .tokenNotFound,
    ]

    /// `GET /conversations` answering each, after `/me` answered 200 (`check --deep`): every 401 is a
    /// missing permission.
    static let conversationsRows: [(FaultSpec.Body, Expected)] =
        unauthorizedAnswers.map { ($0, .permissionMissing) } + [
            (.scopeNamed, .permissionMissing),
            (.allowlist, .noVerdict(reasonContains: "IP allowlist")),
            (.plan, .plan),
            (.adminNotFound, .noVerdict(reasonContains: "404")),
            (.notFound, .noVerdict(reasonContains: "404")),
            (.conversationForbidden, .permissionMissing),
        ]

    /// Conversation 1001's routes answering each while the outbox delivers (`/me` healthy): a 403
    /// that names no scope, and a 404, concern that conversation only.
    static let oneConversationRows: [(FaultSpec.Body, Expected)] =
        unauthorizedAnswers.map { ($0, .permissionMissing) } + [
            (.scopeNamed, .permissionMissing),
            (.allowlist, .noVerdict(reasonContains: "IP allowlist")),
            (.plan, .plan),
            (.adminNotFound, .conversationHeld),
            (.notFound, .conversationHeld),
            (.conversationForbidden, .conversationHeld),
        ]

    @Test("on /me (check)", arguments: meRows)
    func onMe(_ body: FaultSpec.Body, _ expected: Expected) async throws {
        try await withLiveMock { mock in
            _ = try await mock.control.addFault(
                FaultSpec(path: "/me", kind: .status, status: body.naturalStatus, body: body))
            _ = try await mock.service.health.check(["SUP"])
            try Self.expect(expected, mock: mock, endpoint: nil, body: body)
        }
    }

    @Test("on GET /conversations (check --deep)", arguments: conversationsRows)
    func onConversations(_ body: FaultSpec.Body, _ expected: Expected) async throws {
        try await withLiveMock { mock in
            _ = try await mock.control.addFault(
                FaultSpec(path: "/conversations", kind: .status, status: body.naturalStatus, body: body))
            _ = try await mock.service.health.check(["SUP"], deep: true)
            try Self.expect(expected, mock: mock, endpoint: "GET /conversations", body: body)
        }
    }

    @Test("on one conversation's route (outbox delivery)", arguments: oneConversationRows)
    func onOneConversation(_ body: FaultSpec.Body, _ expected: Expected) async throws {
        try await withLiveMock { mock in
            _ = try await mock.control.addFault(
                FaultSpec(path: "/conversations/1001*", kind: .status, status: body.naturalStatus, body: body))
            let outcome = try await mock.service.work.notify(
                .commented(IssueKey(rawValue: "SUP-12")!, text: "contract"), actor: "test")
            let delivery = try #require(outcome.delivery)
            if expected == .conversationHeld {
                #expect(
                    delivery.delivered.map(\.item.conversationID) == ["1002"], "the other conversation's note goes on")
                #expect(delivery.held.map(\.conversationID) == ["1001"])
                #expect(delivery.held.first?.held?.contains("conversation 1001") == true)
                #expect(delivery.event == nil)
                let view = try mock.view("SUP")
                #expect(view.state == .connected)
                #expect(view.indicator == .green)
            } else {
                #expect(delivery.delivered.isEmpty, "delivery stops at the first item")
                #expect(delivery.held.count == 2)
                try Self.expect(expected, mock: mock, endpoint: "/conversations/1001", body: body)
            }
        }
    }

    @Test("a 401 on a conversation while /me refuses the token too is the token's verdict")
    func refusedEverywhereIsTheToken() async throws {
        try await withLiveMock { mock in
            _ = try await mock.control.addFault(
                FaultSpec(path: "/conversations/1001*", kind: .status, status: 401, body: .scope))
            _ = try await mock.control.addFault(FaultSpec(path: "/me", kind: .status, status: 401, body: .tokenExpired))
            let outcome = try await mock.service.work.notify(
                .commented(IssueKey(rawValue: "SUP-12")!, text: "contract"), actor: "test")
            #expect(outcome.delivery?.event?.to == .broken)
            let view = try mock.view("SUP")
            #expect(view.state == .broken)
            let diagnosis = try #require(try mock.store.connection(for: "SUP").breakage?.diagnosis)
            #expect(diagnosis.evidence.code == "token_expired", "the evidence is /me's refusal")
            #expect(diagnosis.evidence.endpoint == nil)
            #expect(diagnosis.causes == [.passwordChanged, .tokenRevoked])
            #expect(view.warning?.contains("Intercom says the token is expired") == true)
        }
    }

    @Test("a 401 on a conversation whose /me cannot be reached is no verdict")
    func unconfirmedIsNoVerdict() async throws {
        try await withLiveMock { mock in
            _ = try await mock.control.addFault(
                FaultSpec(path: "/conversations/1001*", kind: .status, status: 401, body: .scope))
            _ = try await mock.control.addFault(FaultSpec(path: "/me", kind: .status, status: 503))
            let outcome = try await mock.service.work.notify(
                .commented(IssueKey(rawValue: "SUP-12")!, text: "contract"), actor: "test")
            #expect(outcome.delivery?.event == nil)
            #expect(outcome.delivery?.stopped?.contains("could not confirm") == true)
            #expect(try mock.view("SUP").state == .connected)
        }
    }

    @Test("link: a 401 on the conversation with /me healthy is a missing permission")
    func linkConfirmsWithMe() async throws {
        try await withLiveMock { mock in
            _ = try await mock.control.addFault(
                FaultSpec(path: "/conversations/1004", kind: .status, status: 401, body: .scope))
            await #expect(throws: ServiceError.self) {
                _ = try await mock.service.work.link(IssueKey(rawValue: "SUP-40")!, ["1004"], actor: "test")
            }
            try Self.expect(.permissionMissing, mock: mock, endpoint: "GET /conversations/1004", body: .scope)
        }
    }

    @Test("link: a 403 that concerns the one conversation is no verdict")
    func linkConversationForbidden() async throws {
        try await withLiveMock { mock in
            _ = try await mock.control.addFault(
                FaultSpec(path: "/conversations/1004", kind: .status, status: 403, body: .conversationForbidden))
            await #expect(throws: ServiceError.self) {
                _ = try await mock.service.work.link(IssueKey(rawValue: "SUP-40")!, ["1004"], actor: "test")
            }
            #expect(try mock.view("SUP").state == .connected)
        }
    }

    @Test("the IP allowlist as a world setting: no verdict in a check, a deep check or a delivery; lifted, all goes on")
    func allowlistWorldSetting() async throws {
        try await withLiveMock { mock in
            let support = DemoFixture.support.id
            _ = try await mock.control.setAllowlistRefuses(true, workspace: support)
            #expect(
                try await mock.control.world().workspaces.first { $0.idCode == support }?.ipAllowlistRefuses == true)
            _ = try await mock.service.health.check(["SUP"])
            try Self.expect(.noVerdict(reasonContains: "IP allowlist"), mock: mock, endpoint: nil, body: .allowlist)
            _ = try await mock.service.health.check(["SUP"], deep: true)
            try Self.expect(.noVerdict(reasonContains: "IP allowlist"), mock: mock, endpoint: nil, body: .allowlist)
            let held = try await mock.service.work.notify(
                .commented(IssueKey(rawValue: "SUP-12")!, text: "allowlist"), actor: "test")
            #expect(held.delivery?.delivered.isEmpty == true)
            #expect(held.delivery?.held.count == 2)
            try Self.expect(.noVerdict(reasonContains: "IP allowlist"), mock: mock, endpoint: nil, body: .allowlist)

            _ = try await mock.control.setAllowlistRefuses(false, workspace: support)
            #expect(try await mock.control.world().workspaces.first { $0.idCode == support }?.ipAllowlistRefuses == nil)
            let delivered = try await mock.service.outbox.deliver("SUP", actor: "test")
            #expect(delivered.delivered.count == 2)
            #expect(try mock.view("SUP").state == .connected)
        }
    }

    static func expect(_ expected: Expected, mock: LiveMock, endpoint: String?, body: FaultSpec.Body) throws {
        let view = try mock.view("SUP")
        let connection = try mock.store.connection(for: "SUP")
        let diagnosis = connection.breakage?.diagnosis
        switch expected {
        case .noVerdict(let reason):
            #expect(view.state == .connected, "\(body): state kept")
            #expect(connection.lastCheck?.result == .transientFailure, "\(body): the failed check is recorded")
            #expect(
                connection.lastCheck?.reason?.contains(reason) == true,
                "\(body): \(connection.lastCheck?.reason ?? "no reason")")
            #expect(view.warning == nil)
            #expect(view.actions.contains(.revoke))
        case .permissionMissing:
            #expect(view.state == .broken, "\(body)")
            #expect(diagnosis?.causes == [.permissionMissing], "\(body): no dead-token causes")
            if let endpoint {
                #expect(diagnosis?.evidence.endpoint?.contains(endpoint) == true, "\(body): the route is named")
            }
            #expect(view.warning?.contains("lacks") == true, "\(body): \(view.warning ?? "no warning")")
            #expect(view.warning?.contains("Developer Hub") == true)
            #expect(view.warning?.contains("no longer accepts") != true)
            if body == .scopeNamed { #expect(view.warning?.contains("read_conversations") == true) }
            #expect(view.actions == [.reconnect, .revoke])
        case .tokenRefused(let causes):
            #expect(view.state == .broken, "\(body)")
            #expect(diagnosis?.causes == causes, "\(body)")
            #expect(view.warning?.contains("no longer accepts the app user's token") == true, "\(body)")
            #expect(view.actions == [.reconnect, .revoke])
        case .plan:
            #expect(view.state == .broken)
            #expect(view.indicator == .yellow)
            #expect(diagnosis?.causes == [])
            #expect(view.warning?.contains("subscription") == true)
            #expect(view.actions == [.revoke])
        case .conversationHeld:
            #expect(view.state == .connected)
        }
    }
}
