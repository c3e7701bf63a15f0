import Foundation
import IntercomMockWorld
import RelinkCore
import Testing

/// `tokenIndex(plaintextOrID:)` answers from positions built once per change of `tokens`: every
/// change, and every copy of a world, must still find exactly what a scan of `tokens` would.
@Suite struct TokenLookupTests {
    /// What the look-up promises, by a scan: the first token with that id, else with that digest.
    private func scanned(_ world: MockWorld, _ value: String) -> Int? {
        world.tokens.firstIndex { $0.id == value }
            ?? world.tokens.firstIndex { $0.digest == Secret.sha256Hex(value) }
    }

    private func issue(_ world: inout MockWorld, _ plaintext: String) throws -> String {
        try world.issueToken(
            teammateEmail: "alice@acme.test", workspaceID: "acme", clientID: Fake.clientID, plaintext: plaintext)
    }

    @Test func findsTokensIssuedAfterALookUpAndForgetsReplacedOnes() throws {
        var world = Fixture.world()
        let first = try issue(&world, "tok-plain-1")
        #expect(world.tokenIndex(plaintextOrID: first) == 0)
        // Issued after the positions were built: found all the same.
        let second = try issue(&world, "tok-plain-ünïcødé-2")
        #expect(world.tokenIndex(plaintextOrID: second) == 1)
        #expect(world.tokenIndex(plaintextOrID: world.tokens[1].id) == 1)
        // Replaced wholesale: the old token is gone, the new order holds.
        let kept = world.tokens[1]
        world.tokens = [kept]
        #expect(world.tokenIndex(plaintextOrID: first) == nil)
        #expect(world.tokenIndex(plaintextOrID: second) == 0)
        world.tokens.removeAll()
        #expect(world.tokenIndex(plaintextOrID: second) == nil)
        #expect(world.tokenIndex(plaintextOrID: "") == nil)
    }

    @Test func aCopyKeepsItsOwnTokensWhenTheOtherChanges() throws {
        var original = Fixture.world()
        let token = try issue(&original, "tok-shared")
        #expect(original.tokenIndex(plaintextOrID: token) == 0)  // positions built, then shared by the copy
        var copy = original
        copy.tokens.insert(copy.tokens[0], at: 0)
        copy.tokens[1].id = "tok-moved"
        #expect(copy.tokenIndex(plaintextOrID: token) == 0)
        #expect(copy.tokenIndex(plaintextOrID: "tok-moved") == 1)
        #expect(original.tokenIndex(plaintextOrID: "tok-moved") == nil)
        #expect(original.tokenIndex(plaintextOrID: token) == 0)
        #expect(original != copy)
    }

    @Test func agreesWithAScanThroughRandomChanges() throws {
        var world = Fixture.world()
        var generator = SplitMix64(seed: 17)  // the same 300 changes every run
        var plaintexts: [String] = []
        for step in 0..<300 {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0, 1: plaintexts.append(try issue(&world, "tok-\(step)-\(Int.random(in: 0..<5, using: &generator))"))
            case 2 where !world.tokens.isEmpty:
                world.tokens.remove(at: Int.random(in: 0..<world.tokens.count, using: &generator))
            case 3 where !world.tokens.isEmpty:
                world.tokens[Int.random(in: 0..<world.tokens.count, using: &generator)].permissionMissing.toggle()
            default: break
            }
            for value in plaintexts.suffix(8) + world.tokens.suffix(4).map(\.id) + ["missing"] {
                #expect(world.tokenIndex(plaintextOrID: value) == scanned(world, value), "step \(step): \(value)")
            }
        }
    }

    @Test func aDecodedWorldFindsItsTokensAndEncodesNothingMore() throws {
        var world = Fixture.world()
        let token = try issue(&world, "tok-coded")
        _ = world.tokenIndex(plaintextOrID: token)
        let data = try JSONEncoder().encode(world)
        let keys = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any]).keys.sorted()
        #expect(keys == ["apps", "conversations", "nextSerial", "pendingCodes", "rateLimit", "teammates", "tokens", "workspaces"])
        let decoded = try JSONDecoder().decode(MockWorld.self, from: data)
        #expect(decoded == world)
        #expect(decoded.tokenIndex(plaintextOrID: token) == 0)
    }
}
