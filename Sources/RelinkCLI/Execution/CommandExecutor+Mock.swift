import Foundation
import RelinkCommands
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
                return presenter.world(try await control.world(), holders: try store.tokenHolders())
            case .mockJournal(let limit):
                return presenter.journal(try await control.journal(limit: limit ?? 20))
            case .mockReset:
                try await control.reset()
                return presenter.message(
                    "The mock's world is back to its baseline (as the fixture or the import left it); no faults, an "
                        + "empty journal. Project records are unchanged until a check: check --all records what the "
                        + "mock now answers.",
                    summary: "mock reset")
            case .mockFault(.list):
                return presenter.faults(try await control.faults())
            case .mockFault(.clear(let id)):
                if let id { try await control.removeFault(id: id) } else { try await control.removeAllFaults() }
                return presenter.message(
                    id.map { "Fault \($0) removed." } ?? "All faults removed.", summary: "faults cleared")
            case .mockFault(.add(let request)):
                return presenter.faultAdded(try await control.addFault(Self.faultSpec(request)))
            default:
                throw CommandFailure("not a mock command")
            }
        } catch let error as MockControlError {
            throw CommandFailure("the mock refused: \(error)")
        }
    }

    /// The control API's spelling of a parsed fault.
    static func faultSpec(_ request: FaultRequest) -> FaultSpec {
        var spec = FaultSpec(
            path: request.path, method: request.method, kind: FaultSpec.Kind(request.kind), status: request.status,
            body: request.body.map { $0 == .html ? .html : .json }, probability: request.probability,
            seed: request.seed, times: request.times)
        switch request.latency {
        case .fixed(let milliseconds)?: spec.latencyMs = milliseconds
        case .between(let range)?:
            spec.latencyMinMs = range.lowerBound
            spec.latencyMaxMs = range.upperBound
        case nil: break
        }
        return spec
    }
}

extension FaultSpec.Kind {
    init(_ kind: FaultRequest.Kind) {
        switch kind {
        case .latency: self = .latency
        case .status: self = .status
        case .rateLimit: self = .rateLimit
        case .drop: self = .drop
        }
    }
}
