import Foundation
import IntercomMockWorld
import RelinkCore
import RelinkService

extension TextRenderer {
    func check(_ results: [CheckResult], notChecked: [(key: ProjectKey, reason: String)] = []) -> String {
        guard !results.isEmpty || !notChecked.isEmpty else { return "No connected or broken project to check." }
        var counts: [String: Int] = [:]
        let lines = results.map { result -> String in
            let key = Self.padded(result.key.rawValue, 6)
            let indicator = style.indicator(result.state.indicator)
            switch result.outcome {
            case .healthy:
                counts["healthy", default: 0] += 1
                return "\(key)\(indicator)  healthy" + (result.event?.kind == .recovered ? " again (recovered)" : "")
            case .rejected(let diagnosis):
                counts["broken", default: 0] += 1
                let cause =
                    diagnosis.isGroundTruth && diagnosis.causes.count == 1
                    ? "cause \(diagnosis.causes[0]) (simulated)"
                    : "causes that fit: " + diagnosis.causes.map(\.rawValue).joined(separator: ", ")
                return wrap(
                    "broken: Intercom answered \(diagnosis.evidence.summary); \(cause)",
                    first: "\(key)\(indicator)  ", rest: String(repeating: " ", count: 6)
                ).joined(separator: "\n")
            case .transientFailure(let reason):
                counts["transient failure", default: 0] += 1
                return wrap(
                    "not checked: \(reason); state kept", first: "\(key)\(indicator)  ",
                    rest: String(repeating: " ", count: 6)
                ).joined(separator: "\n")
            }
        }
        let skipped = notChecked.map { "\(Self.padded($0.key.rawValue, 6))not checked: \($0.reason)" }
        var summary = ["healthy", "broken", "transient failure"].compactMap { name in
            counts[name].map { "\($0) \(name)" + (name == "transient failure" && $0 != 1 ? "s" : "") }
        }
        if !notChecked.isEmpty { summary.append("\(notChecked.count) not checked") }
        return (lines + skipped + ["Checked \(results.count): " + summary.joined(separator: ", ") + "."])
            .joined(separator: "\n")
    }

    func breakOutcome(_ outcome: BreakOutcome) -> String {
        if outcome.killedTokens.isEmpty && outcome.restrictedTokens.isEmpty {
            return wrap(
                "Simulated \(outcome.cause) on \(outcome.target): no live token was affected (already dead), "
                    + "so the mock's world is as it was. check \(outcome.key) records what Intercom answers.",
                first: "", rest: "  "
            ).joined(separator: "\n")
        }
        let effect =
            outcome.cause == .permissionMissing
            ? "\(outcome.restrictedTokens.count) token(s) now lack a permission (401 on conversations, /me healthy)"
            : "\(outcome.killedTokens.count) token(s) killed"
        let discover =
            outcome.killedTokens.count > 1
            ? "Records are unchanged until a check discovers it; other projects using those tokens break too: check --all"
            : "\(outcome.key)'s record is unchanged until a check discovers it: check \(outcome.key)"
        return
            (wrap(
                "Simulated \(outcome.cause) on \(outcome.target): \(effect) in the mock's world.", first: "", rest: "  "
            )
            + wrap(discover, first: "", rest: "  ")).joined(separator: "\n")
    }

    func journal(_ entries: [JournalEntry]) -> String {
        guard !entries.isEmpty else { return "The mock has answered no request yet." }
        return entries.map { entry in
            "\(entry.sequence)  \(Self.time(entry.time))  \(entry.method) \(entry.path) → \(entry.status.map(String.init) ?? "dropped")"
                + (entry.fault.map { "  [fault \($0)]" } ?? "") + (entry.token.map { "  token \($0)" } ?? "")
        }.joined(separator: "\n")
    }

    func faults(_ faults: [FaultInfo]) -> String {
        guard !faults.isEmpty else { return "No faults in force." }
        return faults.map { "\($0.id)  \(describe($0.spec))  (triggered \($0.triggered)×)" }.joined(separator: "\n")
    }

    func describe(_ spec: FaultSpec) -> String {
        var text = "\(spec.kind.rawValue) on \(spec.method.map { "\($0) " } ?? "")\(spec.path)"
        if let status = spec.status { text += ", status \(status)" }
        if let latency = spec.latencyMs { text += ", \(latency) ms" }
        if let low = spec.latencyMinMs, let high = spec.latencyMaxMs { text += ", \(low)–\(high) ms" }
        if let probability = spec.probability { text += ", probability \(probability)" }
        if let seed = spec.seed { text += ", seed \(seed)" }
        if let times = spec.times { text += ", \(times) time(s)" }
        return text
    }
}
