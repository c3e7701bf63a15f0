extension ConnectionEvent {
    /// What `log` says of the event after its time and project and before its actor
    /// ("reconnected: broken → connected, as jira-bot@acme.test"): one wording for the terminal
    /// and the settings page's timeline, so the two cannot disagree.
    public var summary: String {
        var line =
            "\(kind.rawValue.replacingOccurrences(of: "_", with: " ")): \(from.rawValue) → \(to.rawValue)"
        if let cause { line += ", cause \(cause)" }
        if let possibleCauses {
            line += ", causes that fit: \(possibleCauses.map(\.rawValue).joined(separator: ", "))"
        }
        if let evidence { line += ", Intercom answered \(evidence.summary)" }
        if let appUser {
            switch kind {
            case .broken, .recovered: break
            case .revoked: line += ", app user was \(appUser.email)"
            default: line += ", as \(appUser.email)"
            }
        }
        if let detail { line += "; \(detail)" }
        return line
    }
}

extension SettingsView.Action {
    /// The action's name as the settings view shows it ("Change app user").
    public var label: String {
        switch self {
        case .connect: "Connect"
        case .check: "Check"
        case .revoke: "Revoke"
        case .reconnect: "Reconnect"
        case .changeAppUser: "Change app user"
        }
    }
}
