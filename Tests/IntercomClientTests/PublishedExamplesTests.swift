import Foundation
import IntercomAPI
import Logging
import NIOCore
import NIOHTTP1
import Testing

@testable import IntercomClient

/// Each call of the client decodes the answers Intercom publishes for it: the examples of
/// `descriptions/2.14/api.intercom.io.yaml` (intercom/Intercom-OpenAPI), the token answer of the
/// OAuth docs, and the bodies seen in the wild that the description leaves out.
@Suite("The client decodes Intercom's published examples")
struct PublishedExamplesTests {
    static let client = HTTPIntercomClient(
        endpoint: .production(region: .us), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))

    static func answer(_ status: Int, _ body: String) -> HTTPIntercomClient.Answer {
        .init(
            status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: ByteBuffer(string: body)
        )
    }

    /// `identifyAdmin` (GET /me), 200 "Successful response".
    static let me = """
        {"type":"admin","id":"991267459","email":"admin1@email.com","name":"Ciaran1 Lee","email_verified":true,
         "app":{"type":"app","id_code":"this_is_an_id1_that_should_be_at_least_40","name":"MyApp 1",
                "created_at":1734537243,"secure":false,"identity_verification":false,
                "timezone":"America/Los_Angeles","region":"US"},
         "avatar":{"type":"avatar","image_url":"https://static.intercomassets.com/assets/default-avatars/admins/128.png"},
         "has_inbox_seat":true}
        """

    @Test("GET /me: admin_with_app")
    func me() throws {
        let admin = try Self.client.decode(Admin.self, Self.answer(200, Self.me)).get()
        #expect(admin.id == "991267459" && admin.email == "admin1@email.com")
        #expect(admin.app?.idCode == "this_is_an_id1_that_should_be_at_least_40" && admin.app?.region == "US")
        #expect(admin.emailVerified == true && admin.hasInboxSeat == true)
    }

    @Test("A health check reads /me's admin by its identity fields; a 2xx without them is no admin")
    func meProbeReadsTheIdentity() throws {
        #expect(try Self.client.decode(AdminIdentity.self, Self.answer(200, Self.me)).get().id == "991267459")
        // What the probe skips may be anything; what it reads must be there.
        let odd = #"{"type":"admin","id":"1","name":"N","email":"e","app":{"region":7},"avatar":[]}"#
        #expect(Self.client.decode(AdminIdentity.self, Self.answer(200, odd)).failure == nil)
        let notAdmin = #"{"type":"admin","id":"1"}"#
        #expect(Self.client.decode(AdminIdentity.self, Self.answer(200, notAdmin)).failure?.kind == .notJSON)
        #expect(Self.client.decode(AdminIdentity.self, Self.answer(200, "<html>")).failure?.kind == .notJSON)
    }

    @Test("GET /admins: admin_list, and an admin whose avatar is a URL string as the admin schema has it")
    func admins() throws {
        let list = """
            {"type":"admin.list","admins":[{"type":"admin","email":"admin7@email.com","id":"991267466",
              "name":"Ciaran7 Lee","away_mode_enabled":false,"away_mode_reassign":false,"has_inbox_seat":true,
              "team_ids":[]}]}
            """
        let admins = try Self.client.decode(AdminList.self, Self.answer(200, list)).get().admins
        #expect(admins.map(\.id) == ["991267466"])
        // `display_avatar=true`: schema `admin` gives `avatar` as a nullable URI string.
        let withAvatar = """
            {"type":"admin.list","admins":[{"type":"admin","email":"a@b.c","id":"1","name":"N",
              "avatar":"https://picsum.photos/200/300"},{"type":"admin","email":"d@b.c","id":"2","name":"M","avatar":null}]}
            """
        let decoded = try Self.client.decode(AdminList.self, Self.answer(200, withAvatar)).get().admins
        #expect(decoded.first?.avatar?.imageURL == "https://picsum.photos/200/300")
        #expect(decoded.last?.avatar == nil)
    }

    @Test("GET /admins/{id}: admin with away_status_reason_id null")
    func admin() throws {
        let body = """
            {"type":"admin","id":"991267468","name":"Ciaran9 Lee","email":"admin9@email.com","away_mode_enabled":false,
             "away_mode_reassign":false,"has_inbox_seat":true,"away_status_reason_id":null,"team_ids":[]}
            """
        #expect(try Self.client.decode(Admin.self, Self.answer(200, body)).get().id == "991267468")
    }

    @Test(
        "the published errors: 401 unauthorized, 404 admin_not_found, 403 api_plan_restricted, 400 without request_id",
        arguments: [
            (
                401,
                #"{"type":"error.list","request_id":"e76b2df0-2413-4215-8a5a-b5f6ebd4e642","errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}"#,
                IntercomFailure.Kind.authRejected, "unauthorized", "e76b2df0-2413-4215-8a5a-b5f6ebd4e642"
            ),
            (
                404,
                #"{"type":"error.list","request_id":"c59f7ca5-1639-4284-a66d-50e34ed98ab3","errors":[{"code":"admin_not_found","message":"Admin not found"}]}"#,
                .notFound, "admin_not_found", "c59f7ca5-1639-4284-a66d-50e34ed98ab3"
            ),
            (
                403,
                #"{"type":"error.list","request_id":"7a80b950-b392-499f-85db-ea7c6c424d37","errors":[{"code":"api_plan_restricted","message":"Active subscription needed."}]}"#,
                .forbidden, "api_plan_restricted", "7a80b950-b392-499f-85db-ea7c6c424d37"
            ),
            (
                400,
                #"{"type":"error.list","errors":[{"code":"parameter_invalid","message":"Away status reason is deleted"}]}"#,
                .badRequest, "parameter_invalid", nil
            ),
        ] as [(Int, String, IntercomFailure.Kind, String, String?)])
    func publishedErrors(status: Int, body: String, kind: IntercomFailure.Kind, code: String, requestID: String?) {
        let failure = HTTPIntercomClient.failure(for: Self.answer(status, body))
        #expect(failure.kind == kind)
        #expect(failure.status == status && failure.code == code && failure.requestID == requestID)
        #expect(failure.isPlanRestricted == (code == "api_plan_restricted"))
    }

    @Test("a 401 without code (seen in the wild, outside the schema) still refuses the token")
    func unauthorizedWithoutCode() {
        let failure = HTTPIntercomClient.failure(
            for: Self.answer(
                401,
                #"{"type":"error.list","request_id":"000sfj3o7mbnm1c7ung0","errors":[{"message":"Not authorized to access resource"}]}"#
            ))
        #expect(failure.kind == .authRejected && failure.breaksConnection && failure.code == nil)
        #expect(failure.message == "Not authorized to access resource")
    }

    @Test("POST /auth/eagle/token: the docs' answer, token and access_token equal")
    func tokenAnswer() throws {
        let body = #"{"token_type":"Bearer","token":"dG9rOmFiYzEyMw==","access_token":"dG9rOmFiYzEyMw=="}"#
        let token = try Self.client.decode(TokenResponse.self, Self.answer(200, body)).get()
        #expect(token.accessToken == "dG9rOmFiYzEyMw==" && token.tokenType == "Bearer")
    }

    @Test("GET /conversations: a conversation.list with pages")
    func conversations() throws {
        let body = """
            {"type":"conversation.list","pages":{"type":"pages","page":1,"per_page":1,"total_pages":1},
             "total_count":1,"conversations":[{"type":"conversation","id":"1295","created_at":1663597223}]}
            """
        #expect(try Self.client.decode(ConversationList.self, Self.answer(200, body)).get().totalCount == 1)
    }
}
