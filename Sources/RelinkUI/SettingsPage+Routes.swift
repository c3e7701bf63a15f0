import Foundation
import Hummingbird
import NIOCore
import RelinkCore
import RelinkStore

extension SettingsPage {
    static func buildRouter(state: PageState) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: PageGuard(state: state))
        router.get("/") { request, _ in
            let query = listQuery(request)
            return html(
                PageRenderer.document(
                    title: "Projects", content: try listFragment(state: state, query: query),
                    fragmentURL: "/fragment/projects" + query.queryString(), project: nil, context: state.context))
        }
        router.get("/fragment/projects") { request, _ in
            html(try listFragment(state: state, query: listQuery(request)))
        }
        router.get("/projects/:key") { _, context in
            let key = try projectKey(context)
            let content = try projectFragment(state: state, key: key)
            return html(
                PageRenderer.document(
                    title: key.rawValue, content: content,
                    fragmentURL: "/fragment/projects/\(HTML.component(key.rawValue))",
                    project: key, context: state.context))
        }
        router.get("/fragment/projects/:key") { _, context in
            html(try projectFragment(state: state, key: try projectKey(context)))
        }
        router.get("/events") { request, _ in
            events(
                state: state, project: request.uri.queryParameters.get("project").flatMap(ProjectKey.init(rawValue:)))
        }
        router.post("/projects/:key/actions/:action") { request, context in
            try await perform(state: state, request: request, context: context)
        }
        router.get("/assets/page.css") { _, _ in
            asset(PageAssets.stylesheet, type: "text/css; charset=utf-8")
        }
        router.get("/assets/page.js") { _, _ in
            asset(PageAssets.script, type: "text/javascript; charset=utf-8")
        }
        return router
    }

    // MARK: Pages

    static func listQuery(_ request: Request) -> PageRenderer.ListQuery {
        let parameters = request.uri.queryParameters
        return PageRenderer.ListQuery(
            text: parameters.get("q").map { String($0.prefix(200)) } ?? "",
            indicator: parameters.get("indicator").flatMap(Indicator.init(rawValue:)),
            page: parameters.get("page").flatMap { Int($0) } ?? 1)
    }

    static func listFragment(state: PageState, query: PageRenderer.ListQuery) throws -> String {
        try state.store.refresh()
        return PageRenderer.projectList(try state.store.projectListings, query: query)
    }

    static func projectFragment(state: PageState, key: ProjectKey) throws -> String {
        try state.store.refresh()
        guard let (view, project) = try settingsView(store: state.store, key: key) else {
            throw HTTPError(.notFound, message: "No project \(key) in this store.")
        }
        let events = try state.store.events(for: key, limit: 100)
        return PageRenderer.projectSection(view: view, project: project, events: events, context: state.context)
    }

    /// The project's settings view as `show` decides it (a connection whose token the secrets
    /// lack is not green), for what the page shows and for what it lets a POST run; nil when
    /// there is no such project.
    static func settingsView(store: Store, key: ProjectKey) throws -> (SettingsView, Project)? {
        guard let project = try store.project(key) else { return nil }
        let connection = try store.connection(for: key)
        let tokenLost = try connection.state.authorization.map { try store.token(id: $0.tokenID) == nil } ?? false
        return (SettingsView(project: project, connection: connection, tokenLost: tokenLost), project)
    }

    static func projectKey(_ context: BasicRequestContext) throws -> ProjectKey {
        guard let text = context.parameters.get("key"), let key = ProjectKey(rawValue: text) else {
            throw HTTPError(.notFound, message: "No such project.")
        }
        return key
    }

    static func html(_ text: String) -> Response {
        Response(
            status: .ok, headers: pageHeaders(type: "text/html; charset=utf-8"),
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: pageHeaders(type: type), body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: pageHeaders(type: "text/plain; charset=utf-8"),
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Nothing from elsewhere, no framing by another site, nothing cached.
    static func pageHeaders(type: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] =
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
            + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicyName] = "no-referrer"
        return headers
    }

    // MARK: Live updates

    /// `text/event-stream`: `hello` at once, then `changed` with the store's generation after each
    /// change, and a comment at each of the watcher's heartbeats so that a closed tab is noticed.
    static func events(state: PageState, project: ProjectKey?) -> Response {
        var headers = pageHeaders(type: "text/event-stream; charset=utf-8")
        headers[.connection] = "keep-alive"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let changes = state.watcher.changes()
                if let project { state.watch(project) }
                defer { if let project { state.unwatch(project) } }
                let generation = await state.watcher.currentGeneration
                try await writer.write(ByteBuffer(string: "retry: 500\nevent: hello\ndata: \(generation)\n\n"))
                var lastGeneration = generation
                for await change in changes {
                    if change.generation != lastGeneration {
                        lastGeneration = change.generation
                        try await writer.write(ByteBuffer(string: "event: changed\ndata: \(change.generation)\n\n"))
                    } else {
                        // The watcher's heartbeat: a write to a closed tab fails and ends this stream.
                        try await writer.write(ByteBuffer(string: ": still here\n\n"))
                    }
                }
                try await writer.finish(nil)
            })
    }

    // MARK: Actions

    static func perform(state: PageState, request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let form = Form(try await request.collectBody(upTo: 16 * 1024))
        let given = request.headers[.relinkToken] ?? form["token"]
        guard let given, constantTimeEqual(given, state.token) else {
            return text("Refused: this request does not carry the page's token.", status: .forbidden)
        }
        if let reason = state.readOnlyReason {
            return text("Refused: the page is read-only: \(reason).", status: .forbidden)
        }
        let key = try projectKey(context)
        guard let name = context.parameters.get("action"), let action = PageAction(name: name) else {
            return text("No such action.", status: .notFound)
        }
        try state.store.refresh()
        guard let (view, _) = try settingsView(store: state.store, key: key) else {
            return text("No project \(key) in this store.", status: .notFound)
        }
        guard PageAction.offered(for: view, realAPI: state.backend.isRealAPI).contains(action) else {
            return text(
                "Refused: \(action.line(for: key)) is not offered for \(key) now (it is \(view.state.rawValue.replacingOccurrences(of: "_", with: " "))).",
                status: .conflict)
        }
        let result = await state.backend.run(action.line(for: key))
        let output = "relink> \(action.line(for: key))\n" + result.output
        return text(output, status: result.status == 0 ? .ok : .unprocessableContent)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(left, right) { difference |= x ^ y }
        return difference == 0
    }
}

/// `HTTPField` without importing HTTPTypes, which Hummingbird uses but does not re-export.
typealias PageField = HTTPFields.Element

extension PageField.Name {
    static let relinkToken = PageField.Name("X-Relink-Token")!
    static let referrerPolicyName = PageField.Name("Referrer-Policy")!
}

/// An `application/x-www-form-urlencoded` body.
struct Form {
    private var fields: [String: String] = [:]

    init(_ buffer: ByteBuffer) {
        let body = String(buffer: buffer)
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
    }

    subscript(name: String) -> String? { fields[name] }
}

/// Refuses what is not addressed to the page as printed: a `Host` other than `127.0.0.1:PORT`
/// (a DNS-rebinding site names its own host) is 421; a POST from another origin is 403.
struct PageGuard: RouterMiddleware {
    typealias Context = BasicRequestContext
    let state: PageState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let expected = state.authority.withLock { $0 }
        guard let expected, request.head.authority == expected else {
            return SettingsPage.text(
                "Misdirected request: this page answers only at the address relink printed.",
                status: .misdirectedRequest)
        }
        if request.method == .post, let origin = request.headers[.origin], origin != "http://" + expected {
            return SettingsPage.text("Refused: a request from another site.", status: .forbidden)
        }
        return try await next(request, context)
    }
}
