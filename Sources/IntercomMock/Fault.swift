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

/// An installed fault with its own seeded generator, so that its decisions depend only on the seed
/// and on the order of matching requests.
struct ActiveFault: Sendable {
    var info: FaultInfo
    var generator: SplitMix64

    init(id: String, spec: FaultSpec) {
        var spec = spec
        let seed = spec.seed ?? UInt64.random(in: .min ... .max)
        // Show the seed in use, so that a run with a random seed can be repeated.
        spec.seed = seed
        info = FaultInfo(id: id, spec: spec, triggered: 0)
        generator = SplitMix64(seed: seed)
    }

    /// Draws for one matching request: whether it is hit and, for random latency, how long.
    mutating func decide() -> FaultDecision {
        let spec = info.spec
        if let times = spec.times, info.triggered >= times { return .none }
        // Always draw, even at probability 1, so that the sequence depends on the seed alone.
        let draw = generator.nextUnitInterval()
        guard draw < (spec.probability ?? 1) else { return .none }
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
            return .latency(milliseconds: milliseconds, label: "\(label) \(milliseconds)ms")
        case .status:
            return .status(spec.status ?? 500, spec.body ?? .json, label: "\(label) \(spec.status ?? 500)")
        case .rateLimit:
            return .rateLimit(label: label)
        case .drop:
            return .drop(label: label)
        }
    }
}
