/// A fault to inject into the mock's answers: one type for `mock fault add` (the command language
/// parses straight into it), for `POST /__mock/faults` and for `mock-faults.json`.
///
/// It lives in this module of its own, which depends on nothing, so that RelinkCommands can name a
/// fault without linking the mock's world (IntercomAPI, Crypto): the command language stays cheap to
/// test and to fuzz. IntercomMockWorld re-exports it and adds what the mock decides about a fault
/// (`validate()`, ``FaultInfo``, the fault book); its coding keys are the control API's, unchanged.
public struct FaultSpec: Codable, Equatable, Sendable {
    /// Spelled as the control API and `mock fault add` spell them; `allCases` in the order help lists them.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Delay the answer by `latency_ms`, or by a random time between `latency_min_ms` and `latency_max_ms`.
        case latency
        /// Answer `status` with an `error.list` (`body: json`, the default) or an HTML page (`body: html`).
        case status
        /// Answer 429 `rate_limit_exceeded` with rate-limit headers.
        case rateLimit = "rate_limit"
        /// Close the connection without any HTTP answer.
        case drop
    }

    /// What a status fault answers with.
    public enum Body: String, Codable, Sendable, CaseIterable {
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

    /// Whether a request is one the fault applies to (by method and path; not whether it hits).
    public func matches(method requestMethod: String, path requestPath: String) -> Bool {
        if let method, method.uppercased() != requestMethod.uppercased() { return false }
        if path == "*" { return true }
        if path.hasSuffix("*") { return requestPath.hasPrefix(path.dropLast()) }
        return path == requestPath
    }
}
