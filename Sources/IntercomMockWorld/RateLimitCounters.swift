import Foundation

/// Intercom's rate-limit counting as a value: one counter per app in a workspace and one per
/// workspace, each over fixed windows of ``MockWorld/RateLimit/windowSeconds`` that start at
/// multiples of the window length in Unix time.
///
/// A request is allowed only when both its counters have room; an allowed request counts on both,
/// a refused one on neither. The answer describes the tighter counter (the one with fewer requests
/// left, the smaller limit on a tie), which is what `X-RateLimit-Limit/Remaining/Reset` report.
/// The counts are not saved as such: every counted request is a journal line naming its counters
/// (``JournalEntry/countedAs``), and each process sharing a store counts the others' lines as it
/// reads them (``record(clientID:workspaceID:at:windowSeconds:)``).
public struct RateLimitCounters: Codable, Equatable, Sendable {
    /// One counter's current window.
    public struct Window: Codable, Equatable, Sendable {
        /// Unix seconds at which the window began.
        public var start: Int
        public var count: Int
    }

    /// What counting one request decided, and what its headers say.
    public struct Decision: Equatable, Sendable {
        public var allowed: Bool
        /// The tighter counter's limit per window (`X-RateLimit-Limit`).
        public var limit: Int
        /// Requests that counter has left in its window (`X-RateLimit-Remaining`).
        public var remaining: Int
        /// Unix seconds at which that window ends (`X-RateLimit-Reset`).
        public var reset: Int
        /// Which counter is the tighter one.
        public var scope: Scope
    }

    public enum Scope: String, Codable, Sendable {
        case app, workspace
    }

    /// By `clientID` and workspace id, separated by a NUL.
    public private(set) var apps: [String: Window] = [:]
    /// By workspace id.
    public private(set) var workspaces: [String: Window] = [:]

    public init() {}

    /// The start of the window `seconds` falls in.
    public static func windowStart(at seconds: Int, windowSeconds: Int) -> Int {
        let length = max(windowSeconds, 1)
        // Floor division, so a time before 1970 still lands in the window that contains it.
        let (quotient, remainder) = seconds.quotientAndRemainder(dividingBy: length)
        return (remainder < 0 ? quotient - 1 : quotient) * length
    }

    /// Counts one authenticated request of app `clientID` in `workspaceID` at Unix second `seconds`.
    public mutating func count(
        clientID: String, workspaceID: String, at seconds: Int, limits: MockWorld.RateLimit
    ) -> Decision {
        let start = Self.windowStart(at: seconds, windowSeconds: limits.windowSeconds)
        let appKey = clientID + "\u{0}" + workspaceID
        var app = Self.current(apps[appKey], start: start)
        var workspace = Self.current(workspaces[workspaceID], start: start)
        let appLimit = limits.appLimitPerWindow
        let workspaceLimit = limits.workspaceLimitPerWindow
        let allowed = app.count < appLimit && workspace.count < workspaceLimit
        if allowed {
            app.count += 1
            workspace.count += 1
        }
        apps[appKey] = app
        workspaces[workspaceID] = workspace
        let appLeft = max(appLimit - app.count, 0)
        let workspaceLeft = max(workspaceLimit - workspace.count, 0)
        let appIsTighter = appLeft < workspaceLeft || (appLeft == workspaceLeft && appLimit <= workspaceLimit)
        let (endsAt, overflow) = start.addingReportingOverflow(max(limits.windowSeconds, 1))
        return Decision(
            allowed: allowed, limit: appIsTighter ? appLimit : workspaceLimit,
            remaining: appIsTighter ? appLeft : workspaceLeft, reset: overflow ? Int.max : endsAt,
            scope: appIsTighter ? .app : .workspace)
    }

    /// Counts a request another process allowed at Unix second `seconds`: it counted there, so it
    /// counts here, whatever room is left (the two processes decided in turn under one lock).
    public mutating func record(clientID: String, workspaceID: String, at seconds: Int, windowSeconds: Int) {
        let start = Self.windowStart(at: seconds, windowSeconds: windowSeconds)
        let appKey = clientID + "\u{0}" + workspaceID
        // A line from a window already over says nothing about the current one.
        if let known = apps[appKey], known.start > start { return }
        if let known = workspaces[workspaceID], known.start > start { return }
        var app = Self.current(apps[appKey], start: start)
        var workspace = Self.current(workspaces[workspaceID], start: start)
        app.count += 1
        workspace.count += 1
        apps[appKey] = app
        workspaces[workspaceID] = workspace
    }

    /// The end of the window `seconds` falls in: what a 429 that no counter decided (an injected
    /// fault) reports as its reset.
    public static func reset(at seconds: Int, limits: MockWorld.RateLimit) -> Int {
        windowStart(at: seconds, windowSeconds: limits.windowSeconds) + max(limits.windowSeconds, 1)
    }

    /// Forgets every count (the mock's reset, or new limits).
    public mutating func removeAll() {
        apps.removeAll()
        workspaces.removeAll()
    }

    private static func current(_ window: Window?, start: Int) -> Window {
        guard let window, window.start == start else { return Window(start: start, count: 0) }
        return window
    }
}
