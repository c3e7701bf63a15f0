import Foundation
import IntercomAPI
import IntercomMock
import Logging
import Synchronization
import Testing

@testable import IntercomClient

/// Keeps every log line, message and metadata, so a test can look for secrets in them.
final class CapturingLogHandler: LogHandler, Sendable {
    let lines = Mutex<[String]>([])

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        let metadata = (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        lines.withLock { $0.append("\(event.message) \(metadata)") }
    }
}

@Suite("Logging")
struct LoggingTests {
    @Test("Requests are logged at trace level without the token, code, password or secret")
    func noSecretsInLogs() async throws {
        let handler = CapturingLogHandler()
        let logger = Logger(label: "relink.tests.capture") { _ in handler }
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

            let lines = handler.lines.withLock { $0 }
            #expect(lines.count >= 4)
            #expect(lines.contains { $0.contains("path=/me") })
            for secret in [token, code, MockHarness.password, MockHarness.clientSecret] {
                #expect(!lines.contains { $0.contains(secret) }, "a log line carries a secret")
            }
        }
    }
}
