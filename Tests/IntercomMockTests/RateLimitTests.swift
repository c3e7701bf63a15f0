import Foundation
import Hummingbird
import HummingbirdTesting
import IntercomAPI
import IntercomMockWorld
import RelinkCore
import Testing

@testable import IntercomMock

@Suite("Rate limit")
struct RateLimitTests {
    /// 300 a minute in 1-second windows is 5 per window for the app; the workspace 600 (10 per window).
    static let small = MockWorld.RateLimit(appLimitPerMinute: 300, workspaceLimitPerMinute: 600, windowSeconds: 1)

    @Test("Intercom's defaults: 10,000 a minute per app is 1,666 per 10-second window, 25,000 per workspace 4,166")
    func defaultsAndArithmetic() throws {
        let defaults = MockWorld.RateLimit()
        #expect(defaults.appLimitPerMinute == 10_000 && defaults.workspaceLimitPerMinute == 25_000)
        #expect(defaults.windowSeconds == 10)
        #expect(defaults.appLimitPerWindow == 1_666 && defaults.workspaceLimitPerWindow == 4_166)
        // Intercom's own example: 1,000 a minute is 166 per 10 seconds.
        #expect(MockWorld.RateLimit(appLimitPerMinute: 1_000).appLimitPerWindow == 166)
        // A positive limit never rounds down to nothing; zero refuses everything; huge ones saturate.
        #expect(MockWorld.RateLimit(appLimitPerMinute: 1, windowSeconds: 1).appLimitPerWindow == 1)
        #expect(MockWorld.RateLimit(appLimitPerMinute: 0).appLimitPerWindow == 0)
        #expect(MockWorld.RateLimit(appLimitPerMinute: .max, windowSeconds: 3600).appLimitPerWindow == Int.max / 60)
        // A world saved before these limits (a per-token `limit`) decodes with Intercom's defaults.
        let old = try JSONDecoder().decode(MockWorld.RateLimit.self, from: Data(#"{"limit":5,"windowSeconds":7}"#.utf8))
        #expect(old == MockWorld.RateLimit(windowSeconds: 7))
    }

    @Test("Counters: windows start at multiples of the length; a refused request counts nowhere; times before 1970")
    func counters() {
        var counters = RateLimitCounters()
        let limits = MockWorld.RateLimit(appLimitPerMinute: 120, workspaceLimitPerMinute: 6_000, windowSeconds: 1)
        // 2 per window for the app.
        let decisions = (0..<3).map { _ in
            counters.count(clientID: "app", workspaceID: "ws", at: 1_800_000_000, limits: limits)
        }
        #expect(decisions.map(\.allowed) == [true, true, false])
        #expect(decisions.map(\.remaining) == [1, 0, 0])
        #expect(decisions.allSatisfy { $0.reset == 1_800_000_001 && $0.limit == 2 && $0.scope == .app })
        #expect(counters.workspaces["ws"]?.count == 2, "the refused request did not count")
        #expect(RateLimitCounters.windowStart(at: -1, windowSeconds: 10) == -10)
        #expect(RateLimitCounters.windowStart(at: 25, windowSeconds: 10) == 20)
        let early = counters.count(clientID: "app", workspaceID: "ws", at: -5, limits: limits)
        #expect(early.allowed && early.reset == -4)
    }

    @Test("Answers count down the tighter counter; over it is 429 with Intercom's wording until the window resets")
    func countsDownAndResets() async throws {
        let fixture = try Fixture { $0.rateLimit = Self.small }
        try await fixture.withClient { client in
            var remaining: [String?] = []
            for _ in 0..<5 {
                let response = try await client.get("/me", token: fixture.botToken)
                #expect(response.status == .ok)
                #expect(response.header(RateLimitHeader.limit) == "5")
                remaining.append(response.header(RateLimitHeader.remaining))
            }
            #expect(remaining == ["4", "3", "2", "1", "0"])
            let over = try await client.get("/me", token: fixture.botToken)
            #expect(over.status == .tooManyRequests)
            #expect(try over.errorCode() == "rate_limit_exceeded")
            let list = try over.decode(ErrorList.self)
            #expect(list.errors.first?.message == "Exceeded rate limit of 5 in 1_seconds")
            #expect(over.header(RateLimitHeader.remaining) == "0")
            // The clock starts at 1_800_000_000: the 1-second window ends a second later.
            #expect(over.header(RateLimitHeader.reset) == "1800000001")
            // Unauthenticated answers, and a dead or unknown token's, carry no rate-limit headers.
            #expect(try await client.get("/me").header(RateLimitHeader.limit) == nil)
            #expect(try await client.get("/me", token: "not-a-token").header(RateLimitHeader.limit) == nil)

            fixture.clock.advance(by: 1)
            let next = try await client.get("/me", token: fixture.botToken)
            #expect(next.status == .ok)
            #expect(next.header(RateLimitHeader.remaining) == "4")
            #expect(next.header(RateLimitHeader.reset) == "1800000002")
        }
    }

    @Test("Tokens of one app in one workspace share the app's budget; another workspace has its own")
    func projectsSharingAWorkspaceShareItsBudget() async throws {
        let fixture = try Fixture { $0.rateLimit = Self.small }
        try await fixture.withClient { client in
            for token in [fixture.botToken, fixture.aliceToken, fixture.bobToken, fixture.botToken, fixture.aliceToken]
            {
                #expect(try await client.get("/me", token: token).status == .ok)
            }
            // Bob's token is another project's, in the same workspace: the budget is spent.
            #expect(try await client.get("/me", token: fixture.bobToken).status == .tooManyRequests)
            let europe = try await client.get("/me", token: fixture.aliceEUToken)
            #expect(europe.status == .ok)
            #expect(europe.header(RateLimitHeader.remaining) == "4")
        }
    }

    @Test("The workspace's counter binds all apps together, and its headers describe it when it is the tighter")
    func workspaceCounterIsSharedByApps() throws {
        var counters = RateLimitCounters()
        // App: 5 per window; workspace: 3 per window, spent by two apps.
        let limits = MockWorld.RateLimit(appLimitPerMinute: 300, workspaceLimitPerMinute: 180, windowSeconds: 1)
        let first = counters.count(clientID: "relink", workspaceID: "ws", at: 0, limits: limits)
        #expect(first.scope == .workspace && first.limit == 3 && first.remaining == 2)
        _ = counters.count(clientID: "other-app", workspaceID: "ws", at: 0, limits: limits)
        _ = counters.count(clientID: "other-app", workspaceID: "ws", at: 0, limits: limits)
        let refused = counters.count(clientID: "relink", workspaceID: "ws", at: 0, limits: limits)
        #expect(!refused.allowed && refused.remaining == 0 && refused.limit == 3)
        #expect(counters.apps["relink\u{0}ws"]?.count == 1)
    }

    @Test("An injected rate_limit fault answers like a counted 429, headers included")
    func faultLooksLikeTheRealThing() async throws {
        let fixture = try Fixture { $0.rateLimit = Self.small }
        _ = try await fixture.intercom.addFault(FaultSpec(path: "/me", kind: .rateLimit, times: 1))
        try await fixture.withClient { client in
            let over = try await client.get("/me", token: fixture.botToken)
            #expect(over.status == .tooManyRequests)
            #expect(try over.decode(ErrorList.self).errors.first?.message == "Exceeded rate limit of 5 in 1_seconds")
            #expect(over.header(RateLimitHeader.limit) == "5" && over.header(RateLimitHeader.remaining) == "0")
            #expect(over.header(RateLimitHeader.reset) == "1800000001")
        }
    }

    @Test(
        "PUT /__mock/world/rate-limit changes limits and window, saves them in the world, and starts the counts afresh")
    func controlChangesLimit() async throws {
        let fixture = try Fixture()
        try await fixture.withClient { client in
            let first = try await client.get("/me", token: fixture.botToken)
            #expect(first.header(RateLimitHeader.limit) == "1666")
            #expect(first.header(RateLimitHeader.reset) == "1800000010")
            let edit = try await client.execute(
                uri: "/__mock/world/rate-limit", method: .put, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"app_limit_per_minute":1,"window_seconds":60}"#))
            #expect(edit.status == .ok)
            #expect(edit.text.contains(#""app_limit_per_minute" : 1,"#))
            #expect(await fixture.intercom.world.rateLimit == .init(appLimitPerMinute: 1, windowSeconds: 60))
            #expect(try await client.get("/me", token: fixture.aliceToken).status == .ok)
            #expect(try await client.get("/me", token: fixture.aliceToken).status == .tooManyRequests)
            let world = try await client.get("/__mock/world")
            #expect(world.text.contains(#""window_seconds" : 60"#))
            for bad in [
                #"{"app_limit_per_minute":1,"window_seconds":0}"#, #"{"window_seconds":3601}"#,
                #"{"workspace_limit_per_minute":-1}"#, #"{"limit":5}"#, #"{"app_limit_per_minute":"many"}"#,
                #"{"app_limit_per_minute":1e400}"#,
            ] {
                let refused = try await client.execute(
                    uri: "/__mock/world/rate-limit", method: .put, body: ByteBuffer(string: bad))
                #expect(refused.status == .badRequest, "\(bad)")
            }
            #expect(await fixture.intercom.world.rateLimit == .init(appLimitPerMinute: 1, windowSeconds: 60))
        }
    }
}
