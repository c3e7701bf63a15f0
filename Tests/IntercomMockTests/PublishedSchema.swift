import Foundation

/// A JSON value with its JSON type kept exactly: `true` is a boolean, `1` an integer, never the
/// other (JSONSerialization's NSNumber cannot tell them apart).
indirect enum JSONValue: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    var string: String? {
        if case .string(let value) = self { value } else { nil }
    }
}

/// A schema of Intercom's published description, written by hand from
/// `descriptions/2.14/api.intercom.io.yaml` (intercom/Intercom-OpenAPI): each property's JSON
/// type and nullability, the keys the schema marks `required`, and, kept apart so the two are
/// never confused, the keys relink itself cannot do without (`neededByRelink`).
struct PublishedSchema: Sendable {
    indirect enum Shape: Sendable {
        case string, integer, boolean
        case object(PublishedSchema)
        case array(Shape)
    }

    struct Property: Sendable {
        var shape: Shape
        var nullable = false
    }

    var name: String
    var required: Set<String> = []
    var neededByRelink: Set<String> = []
    var properties: [String: Property]

    /// Every way `value` breaks the schema; empty when it conforms. Keys the schema does not name
    /// are allowed (Intercom adds fields; OpenAPI objects are open by default).
    func violations(of value: JSONValue, at path: String = "$") -> [String] {
        guard case .object(let members) = value else { return ["\(path): \(name) must be an object"] }
        var found: [String] = []
        for key in required.union(neededByRelink).sorted() where members[key] == nil {
            let why = required.contains(key) ? "required by \(name)" : "needed by relink"
            found.append("\(path).\(key): missing (\(why))")
        }
        for (key, property) in properties.sorted(by: { $0.key < $1.key }) {
            guard let member = members[key] else { continue }
            found += Self.violations(of: member, as: property, at: "\(path).\(key)")
        }
        return found
    }

    private static func violations(of value: JSONValue, as property: Property, at path: String) -> [String] {
        if value == .null { return property.nullable ? [] : ["\(path): null, but not nullable"] }
        return violations(of: value, as: property.shape, at: path)
    }

    private static func violations(of value: JSONValue, as shape: Shape, at path: String) -> [String] {
        switch (shape, value) {
        case (.string, .string), (.integer, .integer), (.boolean, .bool): return []
        case (.object(let schema), _): return schema.violations(of: value, at: path)
        case (.array(let items), .array(let elements)):
            return elements.enumerated().flatMap { violations(of: $1, as: items, at: "\(path)[\($0)]") }
        default: return ["\(path): expected \(shape), got \(value)"]
        }
    }
}

/// The schemas relink and the mock share, each from the place named.
enum Published {
    /// `components/schemas/error`: required `type` and `errors`; each error requires `code`;
    /// `request_id`, `message` and `field` are nullable strings.
    static let errorItem = PublishedSchema(
        name: "error.errors[]", required: ["code"],
        properties: [
            "code": .init(shape: .string), "message": .init(shape: .string, nullable: true),
            "field": .init(shape: .string, nullable: true),
        ])
    static let error = PublishedSchema(
        name: "error", required: ["type", "errors"],
        properties: [
            "type": .init(shape: .string), "request_id": .init(shape: .string, nullable: true),
            "errors": .init(shape: .array(.object(errorItem))),
        ])

    /// `components/schemas/app` (no `required` list in 2.14).
    static let app = PublishedSchema(
        name: "app", neededByRelink: ["id_code", "name", "region"],
        properties: [
            "type": .init(shape: .string), "id_code": .init(shape: .string), "name": .init(shape: .string),
            "region": .init(shape: .string), "timezone": .init(shape: .string), "created_at": .init(shape: .integer),
            "identity_verification": .init(shape: .boolean),
        ])

    /// `components/schemas/admin_with_app`, the answer of `GET /me` (no `required` list in 2.14).
    static let adminWithApp = PublishedSchema(
        name: "admin_with_app", neededByRelink: ["type", "id", "email", "name", "app"],
        properties: [
            "type": .init(shape: .string), "id": .init(shape: .string), "name": .init(shape: .string),
            "email": .init(shape: .string), "job_title": .init(shape: .string),
            "away_mode_enabled": .init(shape: .boolean), "away_mode_reassign": .init(shape: .boolean),
            "has_inbox_seat": .init(shape: .boolean), "team_ids": .init(shape: .array(.integer)),
            "avatar": .init(
                shape: .object(
                    PublishedSchema(
                        name: "admin_with_app.avatar",
                        properties: [
                            "type": .init(shape: .string), "image_url": .init(shape: .string, nullable: true),
                        ]))),
            "email_verified": .init(shape: .boolean, nullable: true),
            "app": .init(shape: .object(app), nullable: true),
        ])

    /// `components/schemas/admin` (no `required` list in 2.14); here `avatar` is a nullable URI string.
    static let admin = PublishedSchema(
        name: "admin", neededByRelink: ["type", "id", "email", "name"],
        properties: [
            "type": .init(shape: .string), "id": .init(shape: .string), "name": .init(shape: .string),
            "email": .init(shape: .string), "job_title": .init(shape: .string),
            "away_mode_enabled": .init(shape: .boolean), "away_mode_reassign": .init(shape: .boolean),
            "away_status_reason_id": .init(shape: .integer, nullable: true),
            "has_inbox_seat": .init(shape: .boolean), "team_ids": .init(shape: .array(.integer)),
            "avatar": .init(shape: .string, nullable: true),
        ])

    /// `components/schemas/admin_list`, the answer of `GET /admins`.
    static let adminList = PublishedSchema(
        name: "admin_list", neededByRelink: ["type", "admins"],
        properties: ["type": .init(shape: .string), "admins": .init(shape: .array(.object(admin)))])

    /// The token exchange's answer. Not in the OpenAPI description (OAuth is not part of it): from
    /// Intercom's developer docs, "Setting up OAuth" — `token_type`, `token`, `access_token`.
    static let tokenAnswer = PublishedSchema(
        name: "token answer", neededByRelink: ["token_type", "access_token"],
        properties: [
            "token_type": .init(shape: .string), "token": .init(shape: .string), "access_token": .init(shape: .string),
        ])

    /// `GET /conversations` (operation `listConversations`): a `conversation.list` with
    /// `conversations`, `total_count` and `pages`, as relink's probe reads it.
    static let conversationList = PublishedSchema(
        name: "conversation.list", neededByRelink: ["type"],
        properties: [
            "type": .init(shape: .string),
            "conversations": .init(shape: .array(.object(.init(name: "conversation", properties: [:])))),
            "total_count": .init(shape: .integer),
            "pages": .init(shape: .object(.init(name: "pages", properties: ["type": .init(shape: .string)]))),
        ])
}
