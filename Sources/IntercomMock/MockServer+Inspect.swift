import Foundation
import Hummingbird
import IntercomMockWorld

/// `POST /__mock/tokens/inspect {"token":"…"}`: whether the mock holds a token, and if it is dead,
/// why. relink uses it to show a simulated cause as ground truth, which the real API never says.
/// `{"tokens":["…", …]}` asks for several at once and answers `{"inspections":[…]}` in their order,
/// `null` for a token the mock does not hold.
extension MockServer {

    static func addInspectRoutes(to router: Router<MockRequestContext>, intercom: MockIntercom) {
        router.post("/__mock/tokens/inspect") { request, _ in
            var request = request
            let body = Data(buffer: try await request.collectBody(upTo: 1 << 20))
            let decoder = JSONDecoder()
            let single = try? decoder.decode(MockControlAPI.InspectRequest.self, from: body)
            let many = single == nil ? try? decoder.decode(MockControlAPI.InspectManyRequest.self, from: body) : nil
            guard single != nil || many != nil else {
                return controlJSON(["error": "expected {\"token\": \"…\"} or {\"tokens\": [\"…\"]}"], status: .badRequest)
            }
            if let many, many.tokens.count > MockControlAPI.InspectManyRequest.limit {
                return controlJSON(
                    ["error": "at most \(MockControlAPI.InspectManyRequest.limit) tokens at once; \(many.tokens.count) were asked for"],
                    status: .badRequest)
            }
            let world: MockWorld
            do { world = try await intercom.currentWorld() } catch {
                return controlJSON(["error": "\(error)"], status: .internalServerError)
            }
            if let many {
                return controlJSON(
                    MockControlAPI.InspectManyAnswer(inspections: many.tokens.map { world.inspection(ofToken: $0) }))
            }
            guard let single, let found = world.inspection(ofToken: single.token) else {
                return controlJSON(["error": "no such token"], status: .notFound)
            }
            return controlJSON(found)
        }
    }
}
