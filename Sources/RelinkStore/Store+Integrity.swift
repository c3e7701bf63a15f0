import Foundation
import RelinkCore

/// A reference between the store's files that does not hold: found by `verify`, named by project
/// and file.
public struct IntegrityFinding: Sendable, Equatable, CustomStringConvertible {
    /// The project it concerns; nil for a token nothing refers to.
    public var project: ProjectKey?
    /// The file whose record is wrong or lacking (`secrets.json`, `state.json`).
    public var file: String
    public var problem: String

    public var description: String {
        (project.map { "\($0): " } ?? "") + "\(problem) (\(file))"
    }
}

extension Store {
    /// Every reference between the store's files that does not hold: a connection whose token the
    /// secrets lack, a link or an outbox item whose issue is another project's, an event of a
    /// project that neither exists nor was removed. Tokens that nothing refers to are counted
    /// apart (`unreferencedTokens`): harmless leftovers, not damage.
    func integrityFindings(
        projects: [Project], connections: [ProjectKey: Connection], events: [ConnectionEvent],
        tokenIDs: Set<String>
    ) -> (findings: [IntegrityFinding], unreferencedTokens: Int) {
        var findings: [IntegrityFinding] = []
        let secrets = "secrets.json"
        let state = "state.json"
        var referenced: Set<String> = []
        for key in connections.keys.sorted() {
            guard let authorization = connections[key]?.state.authorization else { continue }
            referenced.insert(authorization.tokenID)
            if !tokenIDs.contains(authorization.tokenID) {
                findings.append(
                    IntegrityFinding(
                        project: key, file: secrets,
                        problem: "its connection's token is not in the store's secrets (lost in a write?): "
                            + "reconnect to repair it"))
            }
        }
        let keys = Set(projects.map(\.key))
        for project in projects.sorted(by: { $0.key < $1.key }) {
            let prefix = project.key.rawValue + "-"
            for link in project.links where !link.issueKey.hasPrefix(prefix) {
                findings.append(
                    IntegrityFinding(
                        project: project.key, file: state,
                        problem: "links the issue \(TerminalText.shortened(link.issueKey, toColumns: 40)), "
                            + "which is not one of its issues"))
            }
            for item in project.outbox where !item.issueKey.hasPrefix(prefix) || item.conversationID.isEmpty {
                findings.append(
                    IntegrityFinding(
                        project: project.key, file: state,
                        problem: "its outbox item \(item.id) is for \(TerminalText.shortened(item.issueKey, toColumns: 40))"
                            + (item.conversationID.isEmpty ? " and names no conversation" : ", not one of its issues")))
            }
        }
        let removed = Set(events.filter { $0.kind == .projectRemoved }.map(\.project))
        var orphaned: Set<ProjectKey> = []
        for event in events where !keys.contains(event.project) && !removed.contains(event.project) {
            orphaned.insert(event.project)
        }
        for key in orphaned.sorted() {
            findings.append(
                IntegrityFinding(
                    project: key, file: state,
                    problem: "the log has events of this project, which neither exists nor was removed"))
        }
        return (findings, tokenIDs.subtracting(referenced).count)
    }
}
