/// The answer of the token exchange `POST /auth/eagle/token`.
///
/// No primary source shows Intercom's answer exactly (Docs/intercom.md): Intercom's own OAuth
/// libraries (omniauth-intercom, passport-intercom) read OAuth 2's `access_token`, while other
/// integrations read `token` alone. So either is accepted, and the mock sends both, equal. A
/// missing `token_type` is taken as `Bearer`, the only type Intercom issues.
public struct TokenResponse: Codable, Equatable, Sendable {
    public var tokenType: String
    /// The token as `token` carried it, else as `access_token` did.
    public var token: String
    /// The token as `access_token` carried it, else as `token` did: what relink uses.
    public var accessToken: String

    enum CodingKeys: String, CodingKey {
        case tokenType = "token_type"
        case token
        case accessToken = "access_token"
    }

    /// A bearer token answer carrying `token` twice, as the mock sends it.
    public init(token: String) {
        self.tokenType = "Bearer"
        self.token = token
        self.accessToken = token
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let token = try container.decodeIfPresent(String.self, forKey: .token).flatMap { $0.isEmpty ? nil : $0 }
        let access = try container.decodeIfPresent(String.self, forKey: .accessToken).flatMap { $0.isEmpty ? nil : $0 }
        guard let either = access ?? token else {
            throw DecodingError.keyNotFound(
                CodingKeys.accessToken,
                .init(codingPath: [], debugDescription: "the answer carries neither access_token nor token"))
        }
        self.tokenType = try container.decodeIfPresent(String.self, forKey: .tokenType) ?? "Bearer"
        self.token = token ?? either
        self.accessToken = either
    }
}
