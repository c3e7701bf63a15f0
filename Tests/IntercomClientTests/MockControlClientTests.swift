import Foundation
import IntercomAPI
import IntercomMock
import IntercomMockControl
import IntercomMockWorld
import LiveMockSupport
import RelinkCore
import RelinkTestSupport
import Testing

@testable import IntercomClient

@Suite("MockControlClient")
struct MockControlClientTests {
    @Test("The world decodes, conversations and tokens included, without secrets")
    func world() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            _ = try await mock.client().replyWithNote(
                conversationID: "c-1", adminID: "100", body: "hello", token: token
            ).get()
            let world = try await mock.control.world()
            #expect(world.workspaces.map(\.idCode) == [MockHarness.workspace, MockHarness.otherWorkspace])
            #expect(world.teammates.map(\.email) == [MockHarness.bot, MockHarness.alice])
            #expect(world.apps.first?.clientId == MockHarness.clientID)
            #expect(world.tokens.first?.status == "alive")
            #expect(world.conversations.first?.workspaceID == MockHarness.workspace)
            #expect(world.conversations.first?.parts.first?.adminID == "100")
        }
    }

    @Test("Teammates, faults, journal and reset over HTTP")
    func controlCalls() async throws {
        try await MockHarness.with { mock in
            let control = mock.control
            let bob = try await control.addTeammate(
                email: "bob@acme.test", name: "Bob", password: "fake", workspaces: [MockHarness.workspace])
            #expect(bob.workspaces == [MockHarness.workspace])

            let fault = try await control.addFault(FaultSpec(path: "/me", kind: .status, status: 500, seed: 7))
            #expect(try await control.faults().map(\.id) == [fault.id])
            try await control.removeFault(id: fault.id)
            #expect(try await control.faults().isEmpty)
            _ = try await control.addFault(FaultSpec(path: "*", kind: .drop))
            try await control.removeAllFaults()
            #expect(try await control.faults().isEmpty)

            let token = try await mock.botToken()
            _ = await mock.client().me(token: token)
            let journal = try await control.journal(limit: 1)
            #expect(journal.map(\.path) == ["/me"])
            #expect(journal.first?.status == 200)
            #expect(journal.first?.token?.hasPrefix("tok-") == true)

            try await control.reset()
            #expect(try await control.world().teammates.contains { $0.email == "bob@acme.test" } == false)
            #expect(try await control.journal().isEmpty)
        }
    }

    @Test("World edits: workspace, membership, conversation, rate limit (which the client then meets as a 429)")
    func worldEdits() async throws {
        try await MockHarness.with { mock in
            let control = mock.control
            let workspace = try await control.addWorkspace(idCode: "ws-au", name: "Acme Australia", region: .au)
            #expect(workspace.region == .au)
            let alice = try await control.addMembership(teammate: MockHarness.alice, workspace: "ws-au")
            #expect(alice.workspaces.contains("ws-au"))
            let conversation = try await control.addConversation(id: "c-au", workspace: "ws-au")
            #expect(conversation.workspaceID == "ws-au")

            // 1 a minute in 60-second windows: one request per window for the app.
            let limit = try await control.setRateLimit(.init(appLimitPerMinute: 1, windowSeconds: 60))
            #expect(
                limit == MockWorld.RateLimit(appLimitPerMinute: 1, workspaceLimitPerMinute: 25_000, windowSeconds: 60))
            #expect(try await control.world().rateLimit == limit, "the world shows the limits in force")
            let token = try await mock.botToken()
            let client = mock.client()
            _ = try await client.me(token: token).get()
            // The windows are the wall clock's minutes: should the second request fall into the
            // next window (a busy machine, a minute's end), the third cannot: no two boundaries
            // lie within these few seconds.
            var failure = await client.me(token: token).failure
            if failure == nil { failure = await client.me(token: token).failure }
            let refused = try #require(failure)
            #expect(refused.kind == .rateLimited)
            #expect(refused.rateLimitReset != nil)
        }
    }

    @Test("A refusal carries the control API's message")
    func refusalMessage() async throws {
        try await MockHarness.with { mock in
            await #expect {
                _ = try await mock.control.applyCause(
                    CauseRequest(cause: .passwordChanged, teammate: "nobody@acme.test"))
            } throws: { error in
                guard let error = error as? MockControlError else { return false }
                return error.status == 404 && error.message == "no teammate with email nobody@acme.test"
                    && error.description.contains("POST /__mock/causes")
            }
            await #expect(throws: MockControlError.self) { try await mock.control.removeFault(id: "f99") }
        }
    }
}

@Suite("MockControlClient: ground truth for many tokens")
struct InspectManyTests {
    @Test("Answers in the order asked, nil for an unknown token, in several calls past the limit")
    func inspectMany() async throws {
        try await MockHarness.with { mock in
            let alive = try await mock.botToken()
            let revoked = try await mock.botToken()
            _ = try await mock.control.applyCause(CauseRequest(cause: .tokenRevoked, token: revoked))
            // Past the limit of one call: the client splits the question, and keeps the order.
            let unknown = (0..<(MockControlAPI.InspectManyRequest.limit + 200)).map { "mock_tok_unknown_\($0)" }
            let asked = [alive, revoked] + unknown + [TokenID.of(token: revoked)]
            let inspections = try await mock.control.inspect(tokens: asked)
            #expect(inspections.count == asked.count)
            #expect(inspections[0]?.alive == true && inspections[0]?.cause == nil)
            #expect(inspections[1]?.cause == .tokenRevoked && inspections[1]?.alive == false)
            #expect(inspections[2..<(asked.count - 1)].allSatisfy { $0 == nil })
            #expect(inspections.last == inspections[1], "by public id as by the token itself")
            #expect(try await mock.control.inspect(token: revoked) == inspections[1])
            #expect(try await mock.control.inspect(tokens: []).isEmpty)
        }
    }
}
