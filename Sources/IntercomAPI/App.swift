/// A workspace, which Intercom's API calls an "app" (schema `app`, embedded in `/me`).
public struct App: Codable, Equatable, Sendable {
    /// Always `"app"`.
    public var type: String
    /// The workspace id, e.g. `"drzzt019"`.
    public var idCode: String
    public var name: String
    /// Unix seconds.
    public var createdAt: Int
    /// Sent by the API (see the `/me` example) although the schema does not list it.
    public var secure: Bool?
    public var identityVerification: Bool?
    /// An IANA zone name, e.g. `"Europe/Edinburgh"`.
    public var timezone: String?
    /// `"US"`, `"EU"` or `"AU"`: which regional host serves this workspace.
    public var region: String?

    enum CodingKeys: String, CodingKey {
        case type
        case idCode = "id_code"
        case name
        case createdAt = "created_at"
        case secure
        case identityVerification = "identity_verification"
        case timezone, region
    }

    public init(
        idCode: String, name: String, createdAt: Int, secure: Bool? = nil,
        identityVerification: Bool? = nil, timezone: String? = nil, region: String? = nil
    ) {
        self.type = "app"
        self.idCode = idCode
        self.name = name
        self.createdAt = createdAt
        self.secure = secure
        self.identityVerification = identityVerification
        self.timezone = timezone
        self.region = region
    }
}
