import Foundation
import IntercomMockControl
import IntercomMockWorld

extension CommandExecutor {
    /// `world`, `mock fault …`, `mock journal`, `mock reset`: the mock's control API.
    func mockCommand(_ command: Command) async throws -> String {
        guard let control = try await services.mockControl() else {
            throw CommandFailure("there is no mock in use (--endpoint points at the real Intercom API)")
        }
        do {
            switch command {
            case .world:
                return presenter.world(try await control.world())
            case .mockJournal(let limit):
                return presenter.journal(try await control.journal(limit: limit ?? 20))
            case .mockReset:
                try await control.reset()
                return presenter.message(
                    "The mock's world is back as loaded; no faults, an empty journal.", summary: "mock reset")
            case .mockFault(.list):
                return presenter.faults(try await control.faults())
            case .mockFault(.clear(let id)):
                if let id { try await control.removeFault(id: id) } else { try await control.removeAllFaults() }
                return presenter.message(
                    id.map { "Fault \($0) removed." } ?? "All faults removed.", summary: "faults cleared")
            case .mockFault(.add(let path, let kind, let options)):
                return presenter.faultAdded(
                    try await control.addFault(try faultSpec(path: path, kind: kind, options: options)))
            default:
                throw CommandFailure("not a mock command")
            }
        } catch let error as MockControlError {
            throw CommandFailure("the mock refused: \(error)")
        }
    }

    private func faultSpec(path: String, kind: String, options: [String: String]) throws -> FaultSpec {
        func int(_ name: String) throws -> Int? {
            guard let text = options[name] else { return nil }
            guard let value = Int(text) else {
                throw UsageError("mock fault: --\(name) needs a whole number, not \"\(text)\"")
            }
            return value
        }
        var probability: Double?
        if let text = options["probability"] {
            guard let value = Double(text), (0...1).contains(value) else {
                throw UsageError("mock fault: --probability needs a number from 0 to 1, not \"\(text)\"")
            }
            probability = value
        }
        let body = try options["body"].map { text in
            guard let body = FaultSpec.Body(rawValue: text) else {
                throw UsageError("mock fault: --body is json or html")
            }
            return body
        }
        return FaultSpec(
            path: path, method: options["method"], kind: FaultSpec.Kind(rawValue: kind)!,
            latencyMs: try int("latency-ms"),
            latencyMinMs: try int("latency-min-ms"), latencyMaxMs: try int("latency-max-ms"), status: try int("status"),
            body: body, probability: probability, seed: try int("seed").map(UInt64.init), times: try int("times"))
    }
}
