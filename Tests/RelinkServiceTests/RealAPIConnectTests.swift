import Foundation
import IntercomAPI
import IntercomMockStore
import IntercomMockWorld
import RelinkCore
import RelinkFixtures
import RelinkService
import RelinkStore
import RelinkTestSupport
import Synchronization
import Testing

/// The real-API connect paths, over an in-memory Intercom with no world control: the service
/// cannot log in for the person, so it must go through the person.
@Suite("Connecting to the real API")
struct RealAPIConnectTests {
    /// A person at a terminal who logs in at the authorize URL (in memory) and pastes back what
    /// `paste` makes of the redirect.
    final class Person: AuthorizationInteraction, Sendable {
        let intercom: InMemoryIntercom
        let paste: @Sendable (_ code: String, _ state: String) -> String
        let shown = Mutex<[URL]>([])
        let pending = Mutex<String?>(nil)

        init(intercom: InMemoryIntercom, paste: @escaping @Sendable (String, String) -> String) {
            self.intercom = intercom
            self.paste = paste
        }

        func present(authorizeURL: URL, waitingForRedirect: Bool) async {
            shown.withLock { $0.append(authorizeURL) }
            let query = URLComponents(url: authorizeURL, resolvingAgainstBaseURL: false)?.queryItems ?? []
            let state = query.first { $0.name == "state" }?.value ?? ""
            let clientID = query.first { $0.name == "client_id" }?.value ?? ""
            let code = try? await intercom.authorize(
                email: DemoFixture.alice.email, password: DemoFixture.password(DemoFixture.alice), workspace: nil,
                clientID: clientID, state: state
            ).get()
            pending.withLock { $0 = paste(code ?? "", state) }
        }

        func readPastedCode() async throws -> String { pending.withLock { $0 ?? "" } }
        func readHiddenToken() async throws -> String { "" }
    }

    static func service(paste: @escaping @Sendable (String, String) -> String) throws -> (
        ConnectionService, Person, Store, TemporaryDirectory
    ) {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url, options: .init(durable: false))
        try DemoFixture.write(to: store)
        let intercom = InMemoryIntercom(world: try #require(try store.loadWorld()))
        let person = Person(intercom: intercom, paste: paste)
        let service = ConnectionService(
            store: store, intercom: intercom, worldControl: nil,
            configuration: ServiceConfiguration(
                retry: RetryPolicy(maxAttempts: 1, sleep: { _ in }),
                overrides: SettingOverrides(redirectURL: "https://relink.example/callback")),
            interaction: person)
        return (service, person, store, directory)
    }

    @Test("By default the authorize URL is printed and the pasted redirect URL's state is checked")
    func pasteIsTheDefault() async throws {
        let (service, person, store, directory) = try Self.service { code, state in
            var components = URLComponents(string: "https://relink.example/callback")!
            components.queryItems = [.init(name: "code", value: code), .init(name: "state", value: state)]
            return components.string!
        }
        _ = directory
        let event = try await service.lifecycle.connect("OPS", as: AuthorizationRequest(teammate: nil), actor: "test")
            .event
        #expect(event.to == .connected)
        #expect(try store.connection(for: "OPS").state.authorization?.appUser.email == DemoFixture.alice.email)
        let shown = try #require(person.shown.withLock { $0.first })
        #expect(shown.absoluteString.contains("redirect_uri=https"))
    }

    @Test("--listen with an HTTPS redirect URL configured says to paste instead, before listening")
    func listenNeedsALoopbackURL() async throws {
        let (service, _, store, directory) = try Self.service { _, _ in "" }
        _ = directory
        do {
            _ = try await service.lifecycle.connect(
                "OPS", as: AuthorizationRequest(teammate: nil, method: .listen), actor: "test")
            Issue.record("--listen went ahead with an HTTPS redirect URL")
        } catch {
            #expect(error.description.contains("--paste") && error.description.contains("loopback"))
        }
        #expect(try store.connection(for: "OPS").state.authorization == nil)
    }

    @Test("A pasted redirect with another state is refused before any exchange")
    func stateIsChecked() async throws {
        let (service, _, store, directory) = try Self.service { code, _ in
            "https://relink.example/callback?code=\(code)&state=forged"
        }
        _ = directory
        await #expect(throws: ServiceError.self) {
            try await service.lifecycle.connect("OPS", as: AuthorizationRequest(teammate: nil), actor: "test")
        }
        #expect(try store.connection(for: "OPS").state.name == .notConnected)
    }

    @Test("A bare pasted code is accepted too")
    func bareCode() async throws {
        let (service, _, _, directory) = try Self.service { code, _ in code }
        _ = directory
        let event = try await service.lifecycle.connect(
            "OPS", as: AuthorizationRequest(teammate: nil, method: .pasteCode), actor: "test"
        ).event
        #expect(event.to == .connected)
    }
}
