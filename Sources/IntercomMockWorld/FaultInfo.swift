import IntercomMockFaults

/// A fault as `GET /__mock/faults` shows it: its spec plus its id, the seed in use and how often it hit.
public struct FaultInfo: Codable, Equatable, Sendable {
    public var id: String
    public var spec: FaultSpec
    public var triggered: Int

    enum CodingKeys: String, CodingKey {
        case id, triggered
    }

    public init(id: String, spec: FaultSpec, triggered: Int) {
        self.id = id
        self.spec = spec
        self.triggered = triggered
    }

    /// Flat: the spec's fields beside `id` and `triggered`.
    public func encode(to encoder: any Encoder) throws {
        try spec.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(triggered, forKey: .triggered)
    }

    public init(from decoder: any Decoder) throws {
        spec = try FaultSpec(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        triggered = try container.decode(Int.self, forKey: .triggered)
    }
}
