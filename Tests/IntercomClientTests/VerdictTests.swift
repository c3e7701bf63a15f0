import Foundation
import IntercomAPI
import NIOCore
import NIOHTTP1
import Testing

@testable import IntercomClient

/// Which answers are Intercom's verdict on a token (design §2), read from bodies as Intercom and
/// the things in front of it send them.
@Suite("Verdicts on real answers")
struct VerdictTests {
    static func answer(_ status: Int, _ body: String, contentType: String = "application/json") -> IntercomFailure {
        HTTPIntercomClient.failure(
            for: .init(
                status: status, headers: HTTPHeaders([("Content-Type", contentType), ("X-Request-Id", "hdr1")]),
                body: ByteBuffer(string: body)))
    }

    @Test(
        "Any 401 with a JSON body refuses the token: known codes, unknown codes, no code, another shape",
        arguments: [
            #"{"type":"error.list","request_id":"000sfj3o7mbnm1c7ung0","errors":[{"code":"token_blocked","message":"Token blocked"}]}"#,
            #"{"type":"error.list","request_id":"b1","errors":[{"code":"token_expired","message":"Token expired"}]}"#,
            #"{"type":"error.list","request_id":"b1","errors":[{"code":"missing_authorization","message":"x"}]}"#,
            #"{"type":"error.list","request_id":"b1","errors":[{"code":"a_code_nobody_documented","message":"x"}]}"#,
            #"{"type":"error.list","request_id":"b1","errors":[{"message":"Not authorized to access resource"}]}"#,
            #"{"type":"error.list","errors":[]}"#,
            #"{"message":"Unauthorized"}"#,
        ])
    func any401WithJSONIsARefusal(body: String) {
        let failure = Self.answer(401, body)
        #expect(failure.kind == .authRejected)
        #expect(failure.breaksConnection)
        #expect(failure.status == 401)
    }

    @Test("A 401 without a code keeps its message and request id as evidence")
    func codelessEvidence() {
        let failure = Self.answer(
            401,
            #"{"type":"error.list","request_id":"000sfj3o7mbnm1c7ung0","errors":[{"message":"Not authorized to access resource"}]}"#
        )
        #expect(failure.code == nil)
        #expect(failure.message == "Not authorized to access resource")
        #expect(failure.requestID == "000sfj3o7mbnm1c7ung0")
    }

    @Test(
        "A 401 or 403 whose body is not JSON is no verdict: it never breaks a connection",
        arguments: [401, 403])
    func pagesAreNoVerdict(status: Int) {
        for body in ["<html><body><h1>\(status) Forbidden</h1>cloudflare</body></html>", "", "Unauthorized"] {
            let failure = Self.answer(status, body, contentType: "text/html")
            #expect(failure.kind == .notJSON)
            #expect(!failure.breaksConnection)
            #expect(failure.isUnverifiedRefusal)
            #expect(failure.message?.contains("no verdict on the token") == true)
            #expect(failure.description.contains("not Intercom's verdict on the token"))
        }
    }

    @Test("403 api_plan_restricted is a plan limit, told apart from a missing permission")
    func planRestricted() {
        let plan = Self.answer(
            403,
            #"{"type":"error.list","request_id":"b1","errors":[{"code":"api_plan_restricted","message":"Active subscription needed."}]}"#
        )
        #expect(plan.kind == .forbidden && plan.isPlanRestricted && plan.breaksConnection)
        #expect(plan.description.contains("Reconnecting cannot fix this"))
        let permission = Self.answer(
            403, #"{"type":"error.list","request_id":"b1","errors":[{"code":"forbidden","message":"x"}]}"#)
        #expect(permission.kind == .forbidden && !permission.isPlanRestricted)
    }

    @Test("Request ids of any shape are kept as they are")
    func requestIDsOfAnyShape() {
        for id in ["000sfj3o7mbnm1c7ung0", "b3f1a2c4-5d6e-4f70-8192-a3b4c5d6e7f8", "RQ/1:2", "x"] {
            let failure = Self.answer(
                401, #"{"type":"error.list","request_id":"\#(id)","errors":[{"code":"unauthorized"}]}"#)
            #expect(failure.requestID == id)
        }
    }
}

/// The refusals that are not about the token (issue 26).
@Suite("Verdicts: the machine's address and missing scopes")
struct AddressAndScopeVerdictTests {
    @Test(
        "Intercom's IP-allowlist 403 refuses this machine, not the token: no verdict, not retried, the allowlist named",
        arguments: [
            #"{"type":"error.list","request_id":"r1","errors":[{"code":"forbidden","message":"Your IP address is not on the allowlist for API access"}]}"#,
            #"{"type":"error.list","request_id":"r1","errors":[{"message":"Your IP address is not on the allowlist for API access"}]}"#,
            #"{"type":"error.list","errors":[{"code":"unauthorized","message":"your ip address is not on the whitelist"}]}"#,
        ])
    func allowlist(body: String) {
        let failure = VerdictTests.answer(403, body)
        #expect(failure.kind == .forbidden)
        #expect(failure.isAddressRefusal)
        #expect(!failure.breaksConnection)
        #expect(!failure.isTransient)
        #expect(failure.description.contains("refuses requests from this machine's IP address"))
        #expect(failure.description.contains("IP allowlist"))
        #expect(!failure.description.contains("Reconnect"))
    }

    @Test("Any other 403 still breaks the connection as before")
    func otherForbidden() {
        let failure = VerdictTests.answer(
            403,
            #"{"type":"error.list","errors":[{"code":"forbidden","message":"You do not have the required scope (read_conversations) to access this resource"}]}"#
        )
        #expect(!failure.isAddressRefusal)
        #expect(failure.breaksConnection)
    }
}
