/// The answer of the token exchange `POST /auth/eagle/token`:
/// `{"token_type":"Bearer","token":"…","access_token":"…"}` (`token` and `access_token` are equal).
public struct TokenResponse: Codable, Equatable, Sendable {
    public var tokenType: String
    public var token: String
    public var accessToken: String

    enum CodingKeys: String, CodingKey {
        case tokenType = "token_type"
        case token
        case accessToken = "access_token"
    }

    /// A bearer token answer carrying `token` twice, as Intercom does.
    public init(token: String) {
        self.tokenType = "Bearer"
        self.token = token
        self.accessToken = token
    }
}
