import Foundation
import RelinkCore

/// A fault to inject into answers, as `POST /__mock/faults` takes it.
public struct FaultSpec: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// Delay the answer by `latency_ms`, or by a random time between `latency_min_ms` and `latency_max_ms`.
        case latency
        /// Answer `status` with an `error.list` (`body: json`, the default) or an HTML page (`body: html`).
        case status
        /// Answer 429 `rate_limit_exceeded` with rate-limit headers.
        case rateLimit = "rate_limit"
        /// Close the connection without any HTTP answer.
        case drop
    }

    public enum Body: String, Codable, Sendable {
        case json, html
    }

    /// An exact path, `*` for every path, or a prefix ending in `*` (`/admins/*`).
    public var path: String
    /// Only this method (`GET`, `POST`); every method when `nil`.
    public var method: String?
    public var kind: Kind
    public var latencyMs: Int?
    public var latencyMinMs: Int?
    public var latencyMaxMs: Int?
    public var status: Int?
    public var body: Body?
    /// The chance (0…1) that a matching request is hit; 1 when `nil`.
    public var probability: Double?
    /// Seeds the fault's own generator so a run repeats exactly; a random seed when `nil`.
    public var seed: UInt64?
    /// Hit at most this many requests; no limit when `nil`.
    public var times: Int?

    enum CodingKeys: String, CodingKey {
        case path, method, kind
        case latencyMs = "latency_ms"
        case latencyMinMs = "latency_min_ms"
        case latencyMaxMs = "latency_max_ms"
        case status, body, probability, seed, times
    }

    public init(
        path: String, method: String? = nil, kind: Kind, latencyMs: Int? = nil, latencyMinMs: Int? = nil,
        latencyMaxMs: Int? = nil, status: Int? = nil, body: Body? = nil, probability: Double? = nil,
        seed: UInt64? = nil, times: Int? = nil
    ) {
        self.path = path
        self.method = method
        self.kind = kind
        self.latencyMs = latencyMs
        self.latencyMinMs = latencyMinMs
        self.latencyMaxMs = latencyMaxMs
        self.status = status
        self.body = body
        self.probability = probability
        self.seed = seed
        self.times = times
    }

    /// The longest latency a fault may inject: a day, far from any arithmetic limit.
    public static let maximumLatencyMs = 86_400_000

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

    public func matches(method requestMethod: String, path requestPath: String) -> Bool {
        if let method, method.uppercased() != requestMethod.uppercased() { return false }
        if path == "*" { return true }
        if path.hasSuffix("*") { return requestPath.hasPrefix(path.dropLast()) }
        return path == requestPath
    }
}

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
