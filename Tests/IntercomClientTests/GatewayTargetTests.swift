import AsyncHTTPClient
import IntercomAPI
import IntercomClient
import Logging
import RelinkCore
import Testing

/// Where a gateway sends the person and the requests, for each target (issue 25).
@Suite("The gateway's targets")
struct GatewayTargetTests {
    static let logger = Logger(label: "test.gateway")

    static func gateway(_ target: HTTPIntercomGateway.Target, authorizeURL: String?) -> HTTPIntercomGateway {
        HTTPIntercomGateway(
            target: target, transport: HTTPTransport(client: .shared), authorizeURL: authorizeURL, logger: logger)
    }

    @Test("--real at an address: authorize at URL/oauth, exchange at URL/auth/eagle/token, the API at URL")
    func realAtAnAddress() {
        // authorize-url is for Intercom's own hosts: at an address, the page is URL/oauth.
        let gateway = Self.gateway(
            .realAt(baseURL: "https://gateway.example.com/intercom/"), authorizeURL: "https://app.eu.intercom.com/oauth"
        )
        #expect(gateway.target.isRealAPI)
        #expect(gateway.defaultRegion == nil)
        #expect(gateway.oauthEndpoint.authorizeURL == "https://gateway.example.com/intercom/oauth")
        #expect(gateway.oauthEndpoint.tokenURL == "https://gateway.example.com/intercom/auth/eagle/token")
        #expect(gateway.oauthEndpoint.url("/me") == "https://gateway.example.com/intercom/me")
    }

    @Test(
        "Intercom's own hosts: app.intercom.com/oauth unless authorize-url says otherwise; the exchange stays on api.intercom.io"
    )
    func ownHosts() {
        let plain = HTTPIntercomGateway(target: .real(defaultRegion: .eu), httpClient: .shared, logger: Self.logger)
        #expect(plain.oauthEndpoint.authorizeURL == "https://app.intercom.com/oauth")
        let set = Self.gateway(.real(defaultRegion: .eu), authorizeURL: "https://app.eu.intercom.com/oauth")
        #expect(set.oauthEndpoint.authorizeURL == "https://app.eu.intercom.com/oauth")
        #expect(set.oauthEndpoint.tokenURL == "https://api.intercom.io/auth/eagle/token")
        #expect(set.oauthEndpoint.apiBaseURL == "https://api.eu.intercom.io")
        #expect(!HTTPIntercomGateway.Target.mock(baseURL: "http://127.0.0.1:1").isRealAPI)
    }
}
