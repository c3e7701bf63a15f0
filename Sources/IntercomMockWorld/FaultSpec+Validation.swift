import IntercomMockFaults

/// What the mock accepts: the control API refuses a fault that does not fit its kind.
extension FaultSpec {
    /// Throws ``MockError`` naming the field that does not fit the kind.
    public func validate() throws {
        if let probability, !(0...1).contains(probability) {
            throw MockError(.invalid, "probability must be between 0 and 1")
        }
        if let times, times < 1 { throw MockError(.invalid, "times must be at least 1") }
        switch kind {
        case .latency:
            if let latencyMs {
                guard (0...Self.maximumLatencyMs).contains(latencyMs) else {
                    throw MockError(.invalid, "latency_ms must be from 0 to \(Self.maximumLatencyMs) (a day)")
                }
            } else if let low = latencyMinMs, let high = latencyMaxMs {
                guard low >= 0, low <= high, high <= Self.maximumLatencyMs else {
                    throw MockError(
                        .invalid,
                        "latency_min_ms must be ≥ 0 and ≤ latency_max_ms, which must be ≤ \(Self.maximumLatencyMs)")
                }
            } else {
                throw MockError(.invalid, "a latency fault needs latency_ms, or latency_min_ms and latency_max_ms")
            }
        case .status:
            guard let status, (400...599).contains(status) else {
                throw MockError(.invalid, "a status fault needs a status between 400 and 599")
            }
        case .rateLimit, .drop:
            break
        }
    }
}
