import Foundation
import InMemoryLogging
import IntercomAPI
import IntercomMock
import IntercomMockControl
import IntercomMockWorld
import LiveMockSupport
import Logging
import RelinkCore
import RelinkTestSupport
import Synchronization
import Testing

@testable import IntercomClient

@Suite("Logging")
struct LoggingTests {
    @Test("Requests are logged at trace level without the token, code, password or secret")
    func noSecretsInLogs() async throws {
        var handler = InMemoryLogHandler()
        handler.logLevel = .trace
        let logger = Logger(label: "relink.tests.capture") { [handler] _ in handler }
        try await MockHarness.with { mock in
            let client = HTTPIntercomClient(endpoint: mock.endpoint, logger: logger)
            let code = try await MockAuthorizer(logger: logger).authorize(
                endpoint: mock.endpoint, clientID: MockHarness.clientID, email: MockHarness.bot,
                password: MockHarness.password, workspace: nil, state: "s", redirectURI: nil
            ).get()
            let token = try await client.exchange(
                code: code, clientID: MockHarness.clientID, clientSecret: MockHarness.clientSecret
            ).get().accessToken
            _ = try await client.me(token: token).get()
            _ = try await mock.control.applyCause(CauseRequest(cause: .tokenRevoked, token: token))
            _ = await client.me(token: token)

            let lines = handler.entries.map { entry in
                "\(entry.message) " + entry.metadata.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
            }
            #expect(lines.count >= 4)
            #expect(lines.contains { $0.contains("path=/me") })
            for secret in [token, code, MockHarness.password, MockHarness.clientSecret] {
                #expect(!lines.contains { $0.contains(secret) }, "a log line carries a secret")
            }
        }
    }
}
