import Foundation
import Hummingbird
import HummingbirdTesting
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import Testing

@testable import IntercomMock

@Suite("Concurrency")
struct ConcurrencyTests {
    @Test("parallel /me requests while a revoke lands: once one saw the token dead, no later one saw it alive")
    func causeIsAtomic() async throws {
        let fixture = try Fixture()
        let token = fixture.botToken
        let statuses = try await fixture.withClient { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<200 {
                    if index == 100 {
                        group.addTask {
                            try await fixture.intercom.revokeToken(token)
                            return 0
                        }
                    }
                    group.addTask { Int(try await client.get("/me", token: token).status.code) }
                }
                var statuses: [Int] = []
                for try await status in group where status != 0 { statuses.append(status) }
                return statuses
            }
        }
        #expect(statuses.count == 200)
        #expect(Set(statuses).isSubset(of: [200, 401]))
        let entries = try await fixture.intercom.journalEntries().filter { $0.token == TokenID.of(token: token) }
        #expect(entries.count == 200)
        #expect(entries.map(\.sequence) == entries.map(\.sequence).sorted())
        let firstDead = try #require(entries.firstIndex { $0.tokenAlive == false })
        #expect(entries[firstDead...].allSatisfy { $0.tokenAlive == false && $0.status == 401 })
        #expect(entries[..<firstDead].allSatisfy { $0.tokenAlive == true && $0.status == 200 })
        // Bob's token, also used meanwhile, was never touched.
        try await fixture.withClient { client async throws in
            #expect(try await client.get("/me", token: fixture.bobToken).status == .ok)
        }
    }

    @Test("parallel requests on a live server while a password change lands keep the same order")
    func causeIsAtomicLive() async throws {
        let fixture = try Fixture()
        let token = fixture.aliceToken
        try await fixture.withLiveServer { server in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<64 {
                    if index == 32 {
                        group.addTask { try await fixture.intercom.changePassword(teammateEmail: "alice@acme.test") }
                    }
                    group.addTask {
                        _ = try await RawHTTP.exchange(
                            port: server.port,
                            request:
                                "GET /me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n"
                        )
                    }
                }
                try await group.waitForAll()
            }
        }
        let entries = try await fixture.intercom.journalEntries().filter { $0.path == "/me" }
        #expect(entries.count == 64)
        let firstDead = entries.firstIndex { $0.tokenAlive == false } ?? entries.endIndex
        #expect(entries[firstDead...].allSatisfy { $0.tokenAlive == false })
        #expect(entries[..<firstDead].allSatisfy { $0.tokenAlive == true })
    }
}
