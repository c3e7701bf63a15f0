import Foundation
import HummingbirdTesting
import IntercomAPI
import IntercomMockWorld
import Testing

@testable import IntercomMock

/// The conversation routes as Intercom's OpenAPI (2.14) describes them: reply (note and comment,
/// `admin_id` as string or number, the id `last`), manage (open, close, snooze, assignment) and
/// retrieve, each answering the conversation.
@Suite("Conversations: reply, manage, retrieve")
struct ConversationRouteTests {
    static func parts(_ response: TestResponse) throws -> [ConversationPart] {
        try response.decode(Conversation.self).conversationParts?.conversationParts ?? []
    }

    @Test("A reply answers the conversation with only the new part; GET shows every part")
    func replyAnswersTheNewPart() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            // The OpenAPI example sends admin_id as a number; the schema says string. Both are taken.
            let number = #"{"message_type":"note","type":"admin","admin_id":1001,"body":"Één <b>note</b> ✓"}"#
            let first = try await client.post("/conversations/c1/reply", token: fixture.botToken, json: number)
            #expect(first.status == .ok)
            #expect(try Self.parts(first).map(\.body) == ["Één <b>note</b> ✓"])
            let comment = #"{"message_type":"comment","type":"admin","admin_id":"1002","body":"A reply"}"#
            let second = try await client.post("/conversations/c1/reply", token: fixture.botToken, json: comment)
            let parts = try Self.parts(second)
            #expect(parts.map(\.partType) == ["comment"])
            #expect(parts.first?.author.email == "alice@acme.test")
            let all = try await client.get("/conversations/c1", token: fixture.botToken)
            #expect(try Self.parts(all).map(\.partType) == ["note", "comment"])
            #expect(try all.decode(Conversation.self).conversationParts?.totalCount == 2)
        }
    }

    @Test("The id last replies to the workspace's conversation that changed last")
    func lastIsTheLatestConversation() async throws {
        let fixture = try Fixture { world in world.addConversation(id: "c2", workspaceID: "acme") }
        try await fixture.withClient { client in
            let note = #"{"message_type":"note","type":"admin","admin_id":"1001","body":"first"}"#
            _ = try await client.post("/conversations/c1/reply", token: fixture.botToken, json: note)
            let last = try await client.post("/conversations/last/reply", token: fixture.botToken, json: note)
            #expect(try last.decode(Conversation.self).id == "c1")
            // Alice's token in the EU workspace sees only c-eu as its last conversation.
            let eu = try await client.post(
                "/conversations/last/reply", token: fixture.aliceEUToken,
                json: #"{"message_type":"note","type":"admin","admin_id":"1002","body":"eu"}"#)
            #expect(try eu.decode(Conversation.self).id == "c-eu")
        }
    }

    @Test("Close, open, assign and unassign change the state and add the parts Intercom shows")
    func manage() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            func manage(_ body: String) async throws -> TestResponse {
                try await client.post("/conversations/c1/parts", token: fixture.botToken, json: body)
            }
            let closed = try await manage(#"{"message_type":"close","type":"admin","admin_id":1001,"body":"Bye"}"#)
            #expect(closed.status == .ok)
            let closedConversation = try closed.decode(Conversation.self)
            #expect(closedConversation.state == "closed" && closedConversation.open == false)
            #expect(try Self.parts(closed).map(\.partType) == ["close"])
            // Closing a closed conversation changes nothing and adds no part.
            #expect(
                try Self.parts(try await manage(#"{"message_type":"close","type":"admin","admin_id":"1001"}"#)).isEmpty)
            // Assigning a closed conversation reopens it, as the OpenAPI example's part says.
            let assigned = try await manage(
                #"{"message_type":"assignment","type":"admin","admin_id":"1001","assignee_id":1003}"#)
            let assignedConversation = try assigned.decode(Conversation.self)
            #expect(assignedConversation.state == "open")
            #expect(assignedConversation.adminAssigneeID == 1003)
            #expect(try Self.parts(assigned).first?.partType == "assign_and_reopen")
            #expect(try Self.parts(assigned).first?.assignedTo?.id == "1003")
            let unassigned = try await manage(
                #"{"message_type":"assignment","type":"admin","admin_id":"1001","assignee_id":"0"}"#)
            #expect(try unassigned.decode(Conversation.self).adminAssigneeID == nil)
            let snoozed = try await manage(
                #"{"message_type":"snoozed","admin_id":"1001","snoozed_until":1900000000}"#)
            #expect(try snoozed.decode(Conversation.self).state == "snoozed")
            let opened = try await manage(#"{"message_type":"open","admin_id":"1001"}"#)
            #expect(try opened.decode(Conversation.self).state == "open")
            let all = try await client.get("/conversations/c1", token: fixture.botToken)
            #expect(
                try Self.parts(all).map(\.partType) == ["close", "assign_and_reopen", "assignment", "snoozed", "open"])
        }
        let record = try #require(await fixture.intercom.world.conversations.first { $0.id == "c1" })
        #expect(record.state == .open && record.assigneeID == nil)
    }

    @Test("Manage refuses what Intercom refuses: unknown type, stranger admin or assignee, a past snooze")
    func manageRefusals() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            func status(_ body: String, _ id: String = "c1") async throws -> (Int, String?) {
                let response = try await client.post("/conversations/\(id)/parts", token: fixture.botToken, json: body)
                return (Int(response.status.code), try? response.errorCode())
            }
            let cases: [(body: String, id: String, status: Int, code: String)] = [
                (#"{"message_type":"explode","admin_id":"1001"}"#, "c1", 400, "parameter_invalid"),
                (#"{"message_type":"open","admin_id":"9"}"#, "c1", 404, "admin_not_found"),
                (#"{"message_type":"assignment","admin_id":"1001","assignee_id":"77"}"#, "c1", 404, "admin_not_found"),
                (#"{"message_type":"snoozed","admin_id":"1001","snoozed_until":5}"#, "c1", 400, "parameter_invalid"),
                (#"{"message_type":"open","admin_id":"1001"}"#, "c-eu", 404, "not_found"),
                ("[1,2]", "c1", 400, "parameter_invalid"),
            ]
            for expected in cases {
                let answer = try await status(expected.body, expected.id)
                #expect(answer.0 == expected.status && answer.1 == expected.code, "\(expected.body)")
            }
        }
        #expect(await fixture.intercom.world.conversations.allSatisfy { $0.parts.isEmpty })
    }

    @Test("A token without the conversations permission gets 401 token_unauthorized on reply, manage and retrieve")
    func permissionMissing() async throws {
        let fixture = try Fixture()
        try await fixture.intercom.withdrawPermission(token: fixture.botToken)
        try await fixture.withClient { client in
            let note = #"{"message_type":"note","type":"admin","admin_id":"1001","body":"x"}"#
            let reply = try await client.post("/conversations/c1/reply", token: fixture.botToken, json: note)
            let manage = try await client.post(
                "/conversations/c1/parts", token: fixture.botToken, json: #"{"message_type":"open","admin_id":"1001"}"#)
            let read = try await client.get("/conversations/c1", token: fixture.botToken)
            #expect([reply, manage, read].map(\.status.code) == [401, 401, 401])
            #expect(try reply.errorCode() == "token_unauthorized")
        }
        #expect(await fixture.intercom.world.conversations.allSatisfy { $0.parts.isEmpty })
    }

    @Test("An answer shaped as Intercom's example decodes: part ids as numbers, nulls, assigned_to")
    func intercomExampleDecodes() throws {
        let example = """
            {"type":"conversation","id":"503","created_at":1734537511,"updated_at":1734537511,"waiting_since":null,
            "snoozed_until":null,"admin_assignee_id":991267715,"team_assignee_id":5017691,"open":false,"state":"closed",
            "read":false,"priority":"not_priority","conversation_parts":{"type":"conversation_part.list",
            "conversation_parts":[{"type":"conversation_part","id":1,"part_type":"comment","body":"<p>Okay!</p>",
            "created_at":1663597223,"updated_at":1663597260,"notified_at":1663597260,
            "assigned_to":{"type":"contact","id":"1a2b3c"},"author":{"type":"admin","id":"274","name":"Operator",
            "email":"operator+abcd1234@intercom.io"},"attachments":[],"external_id":"abcd1234","redacted":false},
            {"type":"conversation_part","id":"2","part_type":"custom_action_started","body":null,"created_at":1740141842,
            "updated_at":1740141842,"assigned_to":null,"author":{"type":"bot","id":"278","name":"Fin","email":null}}],
            "total_count":2}}
            """
        let conversation = try JSONDecoder().decode(Conversation.self, from: Data(example.utf8))
        #expect(conversation.adminAssigneeID == 991_267_715)
        let parts = try #require(conversation.conversationParts?.conversationParts)
        #expect(parts.map(\.id) == ["1", "2"])
        #expect(parts[0].assignedTo == .init(type: "contact", id: "1a2b3c"))
        #expect(parts[1].body == nil && parts[1].author.email == nil)
    }

    @Test("A world saved before parts existed reads its notes as note parts")
    func olderWorldReads() throws {
        let older = """
            {"id":"c9","workspaceID":"acme","createdAt":1700000000,
            "notes":[{"id":"4","adminID":"1001","body":"old note","createdAt":1700000100}]}
            """
        let record = try JSONDecoder().decode(MockWorld.ConversationRecord.self, from: Data(older.utf8))
        #expect(record.state == .open && record.assigneeID == nil)
        #expect(
            record.parts == [
                .init(id: "4", partType: "note", adminID: "1001", body: "old note", createdAt: 1_700_000_100)
            ])
    }
}
