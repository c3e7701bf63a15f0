import Foundation
import IntercomAPI
import IntercomMock
import IntercomMockControl
import IntercomMockWorld
import LiveMockSupport
import RelinkCore
import RelinkTestSupport
import Testing

@testable import IntercomClient

@Suite("RetryPolicy")
struct RetryPolicyTests {
    @Test("Transient failures are retried with exponential backoff until success")
    func retriesTransients() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            _ = try await mock.control.addFault(FaultSpec(path: "/me", kind: .status, status: 503, times: 2))
            let recorder = SleepRecorder()
            let attempts = Box(0)
            let policy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), sleep: recorder.sleep)
            let client = mock.client()
            let result = await policy.run {
                attempts.update { $0 += 1 }
                return await client.me(token: token)
            }
            #expect(try result.get().email == MockHarness.bot)
            #expect(attempts.value == 3)
            #expect(recorder.recorded == [.milliseconds(100), .milliseconds(200)])
        }
    }

    @Test("Gives up after maxAttempts with the last failure")
    func givesUp() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            _ = try await mock.control.addFault(FaultSpec(path: "/me", kind: .status, status: 500))
            let recorder = SleepRecorder()
            let policy = RetryPolicy(
                maxAttempts: 3, baseDelay: .seconds(1), maxDelay: .milliseconds(1_500), sleep: recorder.sleep)
            let client = mock.client()
            let result = await policy.run { await client.me(token: token) }
            #expect(result.failure?.kind == .serverError)
            // The second wait is capped by maxDelay.
            #expect(recorder.recorded == [.seconds(1), .milliseconds(1_500)])
        }
    }

    @Test("A 429 waits until X-RateLimit-Reset, then succeeds")
    func honoursReset() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            _ = try await mock.control.addFault(FaultSpec(path: "/me", kind: .rateLimit, times: 1))
            let recorder = SleepRecorder()
            let now = Date()
            let first = Box<IntercomFailure?>(nil)
            let policy = RetryPolicy(maxAttempts: 3, sleep: recorder.sleep, now: { now })
            let client = mock.client()
            let result = await policy.run {
                let answer = await client.me(token: token)
                first.update { if $0 == nil { $0 = answer.failure } }
                return answer
            }
            #expect(try result.get().id == "100")
            let reset = try #require(first.value?.rateLimitReset)
            let expected = Duration.seconds(max(0, reset.timeIntervalSince(now).rounded(.up)))
            #expect(recorder.recorded == [expected])
            // The mock's reset is the end of a 10 s window from when it answered; a loaded machine
            // may answer seconds after `now` (load 30 took 2 s), so the bound counts that time.
            let answeredWithin = Date().timeIntervalSince(now).rounded(.up)
            #expect(expected <= .seconds(11 + answeredWithin))
        }
    }

    @Test("A rate-limit wait is capped")
    func capsRateLimitWait() {
        let now = Date(timeIntervalSince1970: 1_000)
        let policy = RetryPolicy(maxRateLimitWait: .seconds(30), sleep: { _ in }, now: { now })
        let far = IntercomFailure(kind: .rateLimited, status: 429, rateLimitReset: now.addingTimeInterval(3_600))
        #expect(policy.delay(after: far, attempt: 1) == .seconds(30))
        let near = IntercomFailure(kind: .rateLimited, status: 429, rateLimitReset: now.addingTimeInterval(4))
        #expect(policy.delay(after: near, attempt: 1) == .seconds(4))
    }

    @Test("401 is never retried")
    func neverRetries401() async throws {
        try await MockHarness.with { mock in
            let token = try await mock.botToken()
            _ = try await mock.control.applyCause(CauseRequest(cause: .tokenRevoked, token: token))
            let recorder = SleepRecorder()
            let attempts = Box(0)
            let policy = RetryPolicy(maxAttempts: 5, sleep: recorder.sleep)
            let client = mock.client()
            let result = await policy.run {
                attempts.update { $0 += 1 }
                return await client.me(token: token)
            }
            #expect(result.failure?.kind == .authRejected)
            #expect(attempts.value == 1)
            #expect(recorder.recorded.isEmpty)
        }
    }

    @Test(
        "403, 404 and 400 are never retried",
        arguments: [IntercomFailure.Kind.forbidden, .notFound, .badRequest, .tooLarge])
    func neverRetriesVerdicts(kind: IntercomFailure.Kind) async {
        let recorder = SleepRecorder()
        let attempts = Box(0)
        let policy = RetryPolicy(maxAttempts: 5, sleep: recorder.sleep)
        let result: Result<Int, IntercomFailure> = await policy.run {
            attempts.update { $0 += 1 }
            return .failure(IntercomFailure(kind: kind))
        }
        #expect(result.failure?.kind == kind)
        #expect(attempts.value == 1)
        #expect(recorder.recorded.isEmpty)
    }
}
