import RelinkCore

/// An action the page can run, and the command line it runs: the page types nothing a person
/// could not type, and offers only what the settings view allows now.
enum PageAction: Equatable, Sendable {
    case check, reconnect, revoke
    /// A break cause simulated on the mock's world.
    case simulate(BreakCause)

    /// The path segment of its POST (`/projects/SUP/actions/reconnect`).
    var name: String {
        switch self {
        case .check: "check"
        case .reconnect: "reconnect"
        case .revoke: "revoke"
        case .simulate(let cause): "break-" + cause.rawValue
        }
    }

    init?(name: String) {
        switch name {
        case "check": self = .check
        case "reconnect": self = .reconnect
        case "revoke": self = .revoke
        default:
            guard name.hasPrefix("break-"), let cause = BreakCause(rawValue: String(name.dropFirst(6))) else {
                return nil
            }
            self = .simulate(cause)
        }
    }

    /// The REPL line it is: what `log` then shows is what typing it shows.
    func line(for key: ProjectKey) -> String {
        switch self {
        case .check: "check \(key)"
        case .reconnect: "reconnect \(key)"
        case .revoke: "revoke \(key)"
        case .simulate(let cause): "break \(key) \(cause.rawValue)"
        }
    }

    /// What the page offers for `view`: the view's own actions that need no prompt against this
    /// Intercom, and, against a mock, the break causes of a connected project.
    static func offered(for view: SettingsView, realAPI: Bool) -> [PageAction] {
        var offered: [PageAction] = []
        for action in view.actions {
            switch action {
            case .check: offered.append(.check)
            // Against the real API a reconnect asks for the redirect URL at a prompt.
            case .reconnect where !realAPI: offered.append(.reconnect)
            case .revoke: offered.append(.revoke)
            case .reconnect, .connect, .changeAppUser: break
            }
        }
        if !realAPI, view.state == .connected {
            offered += BreakCause.allCases.map(PageAction.simulate)
        }
        return offered
    }
}
