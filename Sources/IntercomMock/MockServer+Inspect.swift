import Foundation
import Hummingbird

/// `POST /__mock/tokens/inspect {"token":"…"}`: whether the mock holds a token, and if it is dead,
/// why. relink uses it to show a simulated cause as ground truth, which the real API never says.
extension MockServer {
    public struct TokenInspection: Codable, Equatable, Sendable {
        public var id: String
        public var alive: Bool
        public var cause: BreakCause?
        public var diedAt: Date?
        public var permissionMissing: Bool
        public var teammateID: String
        public var workspaceID: String

        // Snake case spelled out: the control API's encoder would turn `teammateID` into
        // `teammate_i_d`-like keys that no decoder strategy maps back.
        enum CodingKeys: String, CodingKey {
            case id, alive, cause
            case diedAt = "died_at"
            case permissionMissing = "permission_missing"
            case teammateID = "teammate_id"
            case workspaceID = "workspace_id"
        }
    }

    struct InspectRequest: Codable, Sendable {
        var token: String
    }

    static func addInspectRoutes(to router: Router<MockRequestContext>, intercom: MockIntercom) {
        router.post("/__mock/tokens/inspect") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            guard let inspect = try? JSONDecoder().decode(InspectRequest.self, from: Data(buffer: body)) else {
                return controlJSON(["error": "expected {\"token\": \"…\"}"], status: .badRequest)
            }
            let world = await intercom.world
            guard let index = world.tokenIndex(plaintextOrID: inspect.token) else {
                return controlJSON(["error": "no such token"], status: .notFound)
            }
            let token = world.tokens[index]
            return controlJSON(
                TokenInspection(
                    id: token.id, alive: token.isAlive, cause: token.death?.cause, diedAt: token.death?.at,
                    permissionMissing: token.permissionMissing, teammateID: token.teammateID,
                    workspaceID: token.workspaceID))
        }
    }
}
