import Foundation
import IntercomAPI
import IntercomClient
import IntercomMockStore
import Logging
import RelinkCLI
import RelinkService
import RelinkStore

/// A run of relink, wired: the store, the services, the command executor. Built once, here, at
/// the executable's edge; everything below receives what it needs.
struct Relink {
    let store: Store
    let services: LiveServices
    let executor: CommandExecutor
    /// The fixture copy to remove on exit, when `--fixture` made one in a temporary directory.
    let temporaryCopy: URL?

    /// Closes what was started and removes a temporary fixture copy.
    func shutdown() async {
        await services.shutdown()
        if let temporaryCopy { try? FileManager.default.removeItem(at: temporaryCopy) }
    }
}

/// What went wrong while building a run, for a person; each case says what to do.
struct BuildFailure: Error, CustomStringConvertible {
    var description: String
    /// 2 for bad usage, 1 otherwise.
    var exitCode: Int32
}

/// Opens the store (a copy of a fixture with `--fixture`), decides where Intercom is, and builds
/// the services and the executor the commands run on.
func buildRelink(options: GlobalOptions, environment: RelinkEnvironment, interactive: Bool) throws(BuildFailure)
    -> Relink
{
    var target = try intercomTarget(options: options)
    // A network variable that cannot be used is bad usage, said before anything else happens.
    let network: NetworkSettings
    do {
        network = try environment.networkSettings()
        if let bundle = network.extraTrustRoots { _ = try HTTPTransport.certificates(at: bundle) }
    } catch {
        throw BuildFailure(description: "\(error)", exitCode: 2)
    }

    var storeDirectory = environment.storeDirectory(option: options.store)
    var temporaryCopy: URL?
    if let fixture = options.fixture {
        do {
            let copy = try Fixtures.copy(
                fixture, from: environment.fixtureRoots,
                to: options.store.map { URL(fileURLWithPath: $0, isDirectory: true) })
            storeDirectory = copy
            if options.store == nil { temporaryCopy = copy }
        } catch {
            throw BuildFailure(description: "\(error)", exitCode: 1)
        }
    }
    let store: Store
    do {
        store = try Store(directory: storeDirectory)
    } catch {
        if let temporaryCopy { try? FileManager.default.removeItem(at: temporaryCopy) }
        throw BuildFailure(description: "cannot open the store: \(error)", exitCode: 1)
    }
    if options.fixture != nil {
        // `mock reset` returns to the fixture's world, whichever process or command resets.
        do { try store.recordWorldBaseline() } catch {
            throw BuildFailure(description: "cannot record the fixture's world as the baseline: \(error)", exitCode: 1)
        }
    }
    if let reason = store.readOnlyReason {
        // Said once, on standard error: reading works, and each change will say why it cannot.
        FileHandle.standardError.write(
            Data("relink: \(store.directory.path) is read-only for you (\(reason)); changes are refused.\n".utf8))
    }
    let overrides = environment.settingOverrides(region: options.region)
    if case .remote(.real) = target {
        do {
            target = .remote(
                .real(defaultRegion: try RealAPIConfiguration(store: store, overrides: overrides).region()))
        } catch {
            throw BuildFailure(description: "\(error)", exitCode: 1)
        }
    }
    let feedback = WaitFeedback.forStandardError(json: options.json)
    var retry = RetryPolicy()
    retry.onRetry = { failure, wait in feedback.retrying(after: failure, wait: wait) }
    let configuration = ServiceConfiguration(
        retry: retry, overrides: overrides, logger: Logger(label: "relink.service"))
    // Every call to Intercom goes through one transport: SSL_CERT_FILE's roots always, the HTTPS
    // proxy for the real API only (a mock is on this machine, and is always reached directly).
    // Made last, once nothing can fail: whoever makes it shuts it down (LiveServices does).
    let transport: HTTPTransport
    do {
        transport = try HTTPTransport(settings: network, proxying: target.isRealAPI)
    } catch {
        throw BuildFailure(description: "\(error)", exitCode: 2)
    }
    let style: Style = options.json ? .plain : .detect(environment: environment.variables)
    let services = LiveServices(
        store: store, target: target, transport: transport,
        interaction: TerminalInteraction(feedback: feedback, width: style.width), configuration: configuration)
    let executor = CommandExecutor(
        store: store, services: services, json: options.json, settingOverrides: overrides, style: style,
        interactive: interactive, feedback: feedback)
    return Relink(store: store, services: services, executor: executor, temporaryCopy: temporaryCopy)
}

/// Where Intercom is, from `--endpoint` and `--real`: the built-in mock by default, Intercom's own
/// hosts for `https://api.*intercom.io` (or `--real` alone), Intercom's real API at another address
/// for `--endpoint URL --real`, and a standalone mock at any other URL.
private func intercomTarget(options: GlobalOptions) throws(BuildFailure) -> IntercomTarget {
    switch options.endpoint {
    case nil where options.real:
        // The region is settled once the store is open: --region, else `config set region`.
        return .remote(.real(defaultRegion: options.region ?? .us))
    case nil, "mock":
        guard !options.real else {
            throw BuildFailure(
                description: "--real names the real API at --endpoint URL; it cannot go with --endpoint mock",
                exitCode: 2)
        }
        return .builtInMock
    case let url? where url.hasPrefix("https://api.") && url.contains("intercom.io"):
        return .remote(.real(defaultRegion: options.region ?? .us))
    case let url?:
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), URL(string: url)?.host != nil else {
            throw BuildFailure(
                description:
                    "--endpoint is mock or a URL (http://127.0.0.1:PORT for a standalone mock), not \"\(url)\"",
                exitCode: 2)
        }
        var baseURL = url
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        return .remote(options.real ? .realAt(baseURL: baseURL) : .mock(baseURL: baseURL))
    }
}
