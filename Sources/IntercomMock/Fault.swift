import IntercomMockWorld
import RelinkCore

/// What the fault engine decided for one request.
enum FaultDecision: Sendable, Equatable {
    case none
    case latency(milliseconds: Int, label: String)
    case status(Int, FaultSpec.Body, label: String)
    case rateLimit(label: String)
    case drop(label: String)
}

extension FaultBook {
    /// Installs a fault with its own seeded generator, so that its decisions depend only on the
    /// seed and on the order of matching requests, and returns it as installed.
    mutating func add(_ spec: FaultSpec) -> FaultInfo {
        var spec = spec
        let seed = spec.seed ?? UInt64.random(in: .min ... .max)
        // Show the seed in use, so that a run with a random seed can be repeated.
        spec.seed = seed
        let info = FaultInfo(id: "f\(nextNumber)", spec: spec, triggered: 0)
        nextNumber += 1
        faults.append(Entry(info: info, generatorState: seed))
        return info
    }

    /// The first installed fault that matches and hits, drawing from each matching fault's
    /// generator; `drew` says whether any generator moved (the book then needs saving).
    mutating func decide(method: String, path: String) -> (decision: FaultDecision, drew: Bool) {
        var drew = false
        for index in faults.indices where faults[index].info.spec.matches(method: method, path: path) {
            let (decision, moved) = faults[index].decide()
            drew = drew || moved
            if decision != .none { return (decision, drew) }
        }
        return (.none, drew)
    }
}

extension FaultBook.Entry {
    /// Draws for one matching request: whether it is hit and, for random latency, how long.
    mutating func decide() -> (decision: FaultDecision, drew: Bool) {
        let spec = info.spec
        if let times = spec.times, info.triggered >= times { return (.none, false) }
        var generator = SplitMix64(seed: generatorState)
        defer { generatorState = generator.state }
        // Always draw, even at probability 1, so that the sequence depends on the seed alone.
        let draw = generator.nextUnitInterval()
        guard draw < (spec.probability ?? 1) else { return (.none, true) }
        info.triggered += 1
        let label = "\(info.id):\(spec.kind.rawValue)"
        switch spec.kind {
        case .latency:
            let milliseconds: Int
            if let fixed = spec.latencyMs {
                milliseconds = fixed
            } else {
                // validate() keeps both within 0…a day, so the width cannot overflow.
                let low = spec.latencyMinMs ?? 0
                let high = max(spec.latencyMaxMs ?? low, low)
                milliseconds = low + Int(generator.next() % UInt64(high - low + 1))
            }
            return (.latency(milliseconds: milliseconds, label: "\(label) \(milliseconds)ms"), true)
        case .status:
            let status = spec.status ?? spec.body?.naturalStatus ?? 500
            return (.status(status, spec.body ?? .json, label: "\(label) \(status)"), true)
        case .rateLimit:
            return (.rateLimit(label: label), true)
        case .drop:
            return (.drop(label: label), true)
        }
    }
}
