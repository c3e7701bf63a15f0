import Foundation
import IntercomAPI
import IntercomMockWorld
import RelinkCommands
import RelinkCore
import RelinkService
import RelinkStore
import RelinkTestSupport
import SupportBundles
import Testing

@testable import RelinkCLI

/// `--json` errors carry a stable `code`: every kind of failure has one, and no two kinds share one.
@Suite("Error codes")
struct ErrorCodeTests {
    static let key: ProjectKey = "SUP"
    static let workspace = Workspace(id: "ws1", name: "Acme", region: .us)

    /// One failure of every case a command can end with (the switch in `ErrorCode` is exhaustive,
    /// so a new case needs a code to compile; a new example here proves it is its own).
    static let examples: [any Error] = [
        UsageError("bad"), CommandInterrupted(output: "", message: "interrupted"),
        CocoaError(.fileNoSuchFile),
        ServiceError.unknownProject(key, suggestion: nil),
        ServiceError.refused(.alreadyConnected(key, .connected)), ServiceError.refused(.notConnected(key)),
        ServiceError.refused(.workspaceChangeNeedsConfirmation(key, from: workspace, to: workspace)),
        ServiceError.refused(.alreadyAppUser(key, "a@b.test")),
        ServiceError.intercom(IntercomFailure(kind: .authRejected), during: "x"),
        ServiceError.intercom(IntercomFailure(kind: .unreachable), during: "x"),
        ServiceError.authorization(.newAppUserNeeded), ServiceError.authorization(.meNamesNoWorkspace),
        ServiceError.authorization(.otherWorkspace(workspace, wanted: "ws2")),
        ServiceError.authorization(.mockTeammateNeeded), ServiceError.authorization(.notATeammate("a", known: [])),
        ServiceError.authorization(.noMockPassword("a")),
        ServiceError.authorization(.appUserRemoved("a", workspace: "w")),
        ServiceError.authorization(.loginForbidden("a", workspace: "w", message: nil)),
        ServiceError.authorization(.loginRefused("a")), ServiceError.authorization(.needsTerminal),
        ServiceError.authorization(.nothingGiven("code")), ServiceError.authorization(.readFailed("code", reason: "r")),
        ServiceError.authorization(.redirect(.stateMismatch)),
        ServiceError.authorization(.listenNeedsLoopback(configured: "https://x")),
        ServiceError.configuration(.oauthClientMissing(clientID: true, clientSecret: false)),
        ServiceError.configuration(.empty(.region)), ServiceError.configuration(.notPrintableASCII(.clientID)),
        ServiceError.configuration(.unknownRegion("mars")), ServiceError.configuration(.unknownIntercomVersion("9")),
        ServiceError.configuration(.redirectNotAURL("x")), ServiceError.configuration(.redirectHasFragment),
        ServiceError.configuration(.redirectInsecure), ServiceError.configuration(.authorizeURLInvalid("x")),
        ServiceError.configuration(.unreadable("r")),
        ServiceError.notOnRealAPI, ServiceError.missingToken(key),
        ServiceError.mock(MockControlError(request: "GET /", status: 500, message: "m"), doing: "d"),
        ServiceError.checkInterrupted(done: [], notChecked: [key]),
        ServiceError.work(.notConnected(key)), ServiceError.work(.broken(key, warning: "w")),
        ServiceError.work(.conversationNotFound("1", workspace: workspace)),
        ServiceError.work(.notLinked(IssueKey(rawValue: "SUP-1")!, ["1"])),
        ServiceError.work(.unknownOutboxItem("SUP.1")),
        ServiceError.work(.noWorkspace(key)),
        StoreError.damaged(file: "f", problem: "p"), StoreError.newerSchema(file: "f", found: 9, supported: 1),
        StoreError.olderSchema(file: "f", found: 0), StoreError.io(file: "f", operation: "o", reason: "r"),
        StoreError.notARegularFile(file: "f", found: "a symlink"), StoreError.missing(file: "f", problem: "p"),
        StoreError.readOnly(directory: "d", reason: "r"),
        CommandFailure.noMock(intercom: "the real API (US)"),
        CommandFailure.mockRefused(MockControlError(request: "GET /", status: nil, message: "m")),
        CommandFailure.unknownConversation("1"), CommandFailure.secretNotGiven(.clientSecret),
        CommandFailure.noCodeGiven, CommandFailure.endOfInput, ServiceError.catalog(.siteNeeded(sitesKnown: false)),
        ServiceError.catalog(.outboxSerialOutOfRange(key, serial: -1)), ServiceError.catalog(.projectExists(key)),
        ServiceError.catalog(.holdsConnection(key, .connected)),
        CommandFailure.importNeedsMock,
        CommandFailure.importNeedsBuiltInMock(intercom: "the mock at x", store: "s"), CommandFailure.importCancelled,
        CommandFailure.workStillHeld([key], output: "{}"), CommandFailure.notChecked([key], output: "{}"),
        CommandFailure.brokenReferences([], summary: ""),
        CommandFailure.settingsPageFailed(port: 8765, reason: "Address already in use"),
    ]

    @Test func everyFailureHasItsOwnCode() throws {
        let directory = try TemporaryDirectory()
        // The bundle errors have no public initializer: make each happen.
        let importError = #expect(throws: SupportBundle.ImportError.self) {
            _ = try SupportBundle.read(directory.url.appendingPathComponent("no-bundle", isDirectory: true))
        }
        let file = directory.url.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        let store = try Store(directory: directory.url.appendingPathComponent("store", isDirectory: true))
        let exportError = #expect(throws: SupportBundle.ExportError.self) {
            _ = try SupportBundle.export(store, to: file.appendingPathComponent("bundle", isDirectory: true))
        }
        let failures = Self.examples + [try #require(importError), try #require(exportError)]
        let codes = failures.map { ErrorCode($0) }
        #expect(Set(codes).count == failures.count, "two kinds of failure share a code")
        #expect(Set(codes) == Set(ErrorCode.allCases), "a code no failure has, or a failure without its code")
        for code in ErrorCode.allCases {
            #expect(code.rawValue.allSatisfy { $0.isLowercase || $0 == "_" }, "\(code.rawValue) is not snake_case")
        }
    }

    @Test func jsonErrorsCarryTheCodeBesideTheMessage() throws {
        let (text, toStandardError) = JSONPresenter().failure(
            ServiceError.unknownProject(Self.key, suggestion: "SUB"), exitCode: 1, redacting: [])
        #expect(!toStandardError)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["code"] as? String == "project_not_found")
        #expect(document["error"] as? String == "no project SUP; did you mean SUB? (projects lists them)")
        #expect(document["exitCode"] as? Int == 1)
    }

    @Test func theReadmeListsEveryCode() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        for code in ErrorCode.allCases {
            #expect(text.contains("| `\(code.rawValue)` |"), "README's --json section does not list \(code.rawValue)")
        }
    }
}
