import Foundation
import Hummingbird
import IntercomMockWorld

/// `POST /__mock/tokens/inspect {"token":"…"}`: whether the mock holds a token, and if it is dead,
/// why. relink uses it to show a simulated cause as ground truth, which the real API never says.
extension MockServer {

    static func addInspectRoutes(to router: Router<MockRequestContext>, intercom: MockIntercom) {
        router.post("/__mock/tokens/inspect") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            guard let inspect = try? JSONDecoder().decode(MockControlAPI.InspectRequest.self, from: Data(buffer: body))
            else {
                return controlJSON(["error": "expected {\"token\": \"…\"}"], status: .badRequest)
            }
            let world: MockWorld
            do { world = try await intercom.currentWorld() } catch {
                return controlJSON(["error": "\(error)"], status: .internalServerError)
            }
            guard let index = world.tokenIndex(plaintextOrID: inspect.token) else {
                return controlJSON(["error": "no such token"], status: .notFound)
            }
            let token = world.tokens[index]
            return controlJSON(
                MockControlAPI.TokenInspection(
                    // A cause guessed on import is not the mock's to vouch for: no ground truth then.
                    id: token.id, alive: token.isAlive, cause: token.death.flatMap { $0.guessed ? nil : $0.cause },
                    diedAt: token.death?.at,
                    permissionMissing: token.permissionMissing, teammateID: token.teammateID,
                    workspaceID: token.workspaceID))
        }
    }
}
