import Foundation
import IntercomMockWorld
import RelinkCommands

extension CommandExecutor {
    /// `world`, `mock fault …`, `mock journal`, `mock reset`: the mock's control API.
    func mockCommand(_ command: Command) async throws -> String {
        switch command {
        case .world:
            let world = try await withMockControl { control async throws(MockControlError) in try await control.world()
            }
            return presenter.world(world, holders: try store.tokenHolders())
        case .mockJournal(let limit):
            return presenter.journal(
                try await withMockControl { control async throws(MockControlError) in
                    try await control.journal(limit: limit ?? 20)
                })
        case .mockReset:
            try await withMockControl { control async throws(MockControlError) in try await control.reset() }
            return presenter.message(
                "The mock's world is back to its baseline (as the fixture or the import left it); no faults, an "
                    + "empty journal. Project records are unchanged until a check: check --all records what the "
                    + "mock now answers.",
                summary: "mock reset")
        case .mockAllowlist(let workspace, let refuses):
            _ = try await withMockControl { control async throws(MockControlError) in
                try await control.setAllowlistRefuses(refuses, workspace: workspace)
            }
            return presenter.message(
                refuses
                    ? "Workspace \(workspace)'s IP allowlist now refuses this machine: every API request of its "
                        + "tokens is answered 403. Project records are unchanged until a check."
                    : "Workspace \(workspace)'s IP allowlist lets this machine in again.",
                summary: "mock allowlist")
        case .mockFault(.list):
            return presenter.faults(
                try await withMockControl { control async throws(MockControlError) in try await control.faults() })
        case .mockFault(.clear(let id)):
            try await withMockControl { control async throws(MockControlError) in
                if let id { try await control.removeFault(id: id) } else { try await control.removeAllFaults() }
            }
            return presenter.message(
                id.map { "Fault \($0) removed." } ?? "All faults removed.", summary: "faults cleared")
        case .mockFault(.add(let spec)):
            return presenter.faultAdded(
                try await withMockControl { control async throws(MockControlError) in try await control.addFault(spec) }
            )
        default:
            preconditionFailure("mockCommand runs only the mock's commands")
        }
    }

    /// Runs `body` against the mock's control: `noMock` against the real API, and the control's
    /// refusal as `mockRefused`.
    func withMockControl<T>(_ body: (any MockControl) async throws(MockControlError) -> T) async throws -> T {
        guard let control = try await services.mockControl() else {
            throw CommandFailure.noMock(intercom: services.intercomDescription)
        }
        do { return try await body(control) } catch { throw CommandFailure.mockRefused(error) }
    }
}
