/// A teammate ("admin") as Intercom answers it.
///
/// One shape serves both `GET /me` (schema `admin_with_app`: carries `app`, `avatar` as an object and
/// `email_verified`) and the items of `GET /admins` / `GET /admins/{id}` (schema `admin`). Fields that
/// only one of the two carries are optional, and optionals are left out of the JSON when `nil`, as
/// Intercom leaves them out.
public struct Admin: Codable, Equatable, Sendable {
    /// Always `"admin"`.
    public var type: String
    /// The admin's id, a string of digits.
    public var id: String
    public var name: String
    public var email: String
    /// Only on `/me`.
    public var emailVerified: Bool?
    public var jobTitle: String?
    public var awayModeEnabled: Bool?
    public var awayModeReassign: Bool?
    public var hasInboxSeat: Bool?
    public var teamIDs: [Int]?
    /// Only on `/me` (on `/admins` Intercom sends an avatar only when asked with `display_avatar`).
    public var avatar: Avatar?
    /// The workspace the token belongs to; only on `/me`.
    public var app: App?

    enum CodingKeys: String, CodingKey {
        case type, id, name, email
        case emailVerified = "email_verified"
        case jobTitle = "job_title"
        case awayModeEnabled = "away_mode_enabled"
        case awayModeReassign = "away_mode_reassign"
        case hasInboxSeat = "has_inbox_seat"
        case teamIDs = "team_ids"
        case avatar, app
    }

    public init(
        id: String, name: String, email: String, emailVerified: Bool? = nil, jobTitle: String? = nil,
        awayModeEnabled: Bool? = nil, awayModeReassign: Bool? = nil, hasInboxSeat: Bool? = nil,
        teamIDs: [Int]? = nil, avatar: Avatar? = nil, app: App? = nil
    ) {
        self.type = "admin"
        self.id = id
        self.name = name
        self.email = email
        self.emailVerified = emailVerified
        self.jobTitle = jobTitle
        self.awayModeEnabled = awayModeEnabled
        self.awayModeReassign = awayModeReassign
        self.hasInboxSeat = hasInboxSeat
        self.teamIDs = teamIDs
        self.avatar = avatar
        self.app = app
    }
}

/// An admin's avatar: `{"type":"avatar","image_url":"…"}`.
public struct Avatar: Codable, Equatable, Sendable {
    /// Always `"avatar"`.
    public var type: String
    public var imageURL: String?

    enum CodingKeys: String, CodingKey {
        case type
        case imageURL = "image_url"
    }

    public init(imageURL: String?) {
        self.type = "avatar"
        self.imageURL = imageURL
    }

    /// `admin_with_app` (`/me`) gives the object; schema `admin` (`/admins?display_avatar=true`)
    /// gives the image URL as a bare string. Both decode.
    public init(from decoder: any Decoder) throws {
        if let url = try? decoder.singleValueContainer().decode(String.self) {
            self.init(imageURL: url)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(imageURL: try c.decodeIfPresent(String.self, forKey: .imageURL))
        type = try c.decode(String.self, forKey: .type)
    }
}

/// The answer of `GET /admins`: `{"type":"admin.list","admins":[…]}`.
public struct AdminList: Codable, Equatable, Sendable {
    /// Always `"admin.list"`.
    public var type: String
    public var admins: [Admin]

    public init(admins: [Admin]) {
        self.type = "admin.list"
        self.admins = admins
    }
}
