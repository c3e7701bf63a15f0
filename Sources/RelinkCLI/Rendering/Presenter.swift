import Foundation
import IntercomMockWorld
import RelinkCommands
import RelinkCore
import RelinkService

/// Turns what a command did into what relink prints: text for a person (``TextPresenter``) or one
/// JSON document per command for a script (``JSONPresenter``, DESIGN.md §5). The command executor
/// decides what happened; a presenter decides only how it reads.
protocol Presenter: Sendable {
    func projects(_ listings: [ProjectListing]) -> String
    func show(_ view: SettingsView, project: Project) -> String
    func events(_ events: [ConnectionEvent]) -> String
    func help(_ topic: String?) -> String
    /// A transition's event, then the settings view as it is now.
    func transition(_ event: ConnectionEvent, view: SettingsView, project: Project) -> String
    /// What a check found, and the keys it could not check with the reason for each.
    func check(_ results: [CheckResult], notChecked: [(key: ProjectKey, reason: String)]) -> String
    func breakOutcome(_ outcome: BreakOutcome) -> String
    /// The mock's world; `holders` names the project holding each token, by token id.
    func world(_ world: RedactedWorld, holders: [String: ProjectKey]) -> String
    func journal(_ entries: [JournalEntry]) -> String
    func faults(_ faults: [FaultInfo]) -> String
    func faultAdded(_ fault: FaultInfo) -> String
    /// The real-API settings; after `config set` or `unset`, the one `changed`.
    func config(_ entries: [SettingEntry], changed: RealAPISetting?) -> String
    /// A command's outcome in one sentence: `text` for a person, `summary` for a script.
    func message(_ text: String, summary: String) -> String
    /// A command's outcome: `text` for a person, `document` for a script.
    func report(_ text: String, document: some Encodable) -> String
    /// What a command of the app's work did.
    func work(_ report: WorkReport) -> String
    /// `output` (a transition's or a check's) followed by what the outbox deliveries after it did.
    func appending(_ deliveries: [DeliveryReport], to output: String) -> String
    /// `output` laid out for the reader: for a person, every line fitted to the width at its words.
    func fitted(_ output: String) -> String
    /// A failed command: what to print, and whether it goes to standard error.
    /// A command's failure, worded for a person (every secret in `secrets` redacted), with its
    /// code in JSON.
    func failure(_ error: any Error, exitCode: Int32, redacting secrets: [String]) -> (
        text: String, toStandardError: Bool
    )
}

/// Text for a person at a terminal or reading a log.
struct TextPresenter: Presenter {
    let style: Style
    var renderer: TextRenderer { TextRenderer(style: style) }

    func projects(_ listings: [ProjectListing]) -> String { renderer.projects(listings) }
    func show(_ view: SettingsView, project: Project) -> String { renderer.show(view, project: project) }
    func events(_ events: [ConnectionEvent]) -> String { renderer.events(events) }
    func help(_ topic: String?) -> String { renderer.help(topic) }
    func transition(_ event: ConnectionEvent, view: SettingsView, project: Project) -> String {
        renderer.events([event]) + "\n\n" + renderer.show(view, project: project)
    }
    func check(_ results: [CheckResult], notChecked: [(key: ProjectKey, reason: String)]) -> String {
        renderer.check(results, notChecked: notChecked)
    }
    func breakOutcome(_ outcome: BreakOutcome) -> String { renderer.breakOutcome(outcome) }
    func world(_ world: RedactedWorld, holders: [String: ProjectKey]) -> String {
        renderer.world(world, holders: holders)
    }
    func journal(_ entries: [JournalEntry]) -> String { renderer.journal(entries) }
    func faults(_ faults: [FaultInfo]) -> String { renderer.faults(faults) }
    func faultAdded(_ fault: FaultInfo) -> String { "Fault \(fault.id) added: \(renderer.describe(fault.spec))." }
    func config(_ entries: [SettingEntry], changed: RealAPISetting?) -> String {
        renderer.config(entries, changed: changed)
    }
    func message(_ text: String, summary: String) -> String { text }
    func report(_ text: String, document: some Encodable) -> String { text }
    func work(_ report: WorkReport) -> String { renderer.work(report) }
    func appending(_ deliveries: [DeliveryReport], to output: String) -> String {
        deliveries.isEmpty ? output : output + "\n" + renderer.work(.delivered(deliveries))
    }
    func failure(_ error: any Error, exitCode: Int32, redacting secrets: [String]) -> (
        text: String, toStandardError: Bool
    ) {
        // Fitted before painting, so the colour codes never count as width.
        let message = "error: " + SecretLines.redact("\(error)", secrets: secrets)
        let text = style.fitsLines ? TerminalText.fitted(message, width: style.width) : message
        return (style.error("error:") + text.dropFirst("error:".count), true)
    }
    func fitted(_ output: String) -> String { TerminalText.fitted(output, width: style.width) }
}

/// One JSON document per command, on standard output, failures included.
struct JSONPresenter: Presenter {
    func projects(_ listings: [ProjectListing]) -> String {
        Documents.render(Documents.ProjectList(projects: listings.map(Documents.ProjectSummary.init)))
    }
    func show(_ view: SettingsView, project: Project) -> String {
        Documents.render(Documents.Show(view: view, project: project))
    }
    func events(_ events: [ConnectionEvent]) -> String { Documents.render(Documents.EventList(events: events)) }
    func help(_ topic: String?) -> String {
        let specs = topic.map(CommandTable.commands(forHelpTopic:)) ?? CommandTable.all
        return Documents.render(
            Documents.Help(
                commands: specs.map {
                    .init(name: $0.name, synopsis: $0.synopsis, summary: $0.summary, details: $0.details)
                }))
    }
    func transition(_ event: ConnectionEvent, view: SettingsView, project: Project) -> String {
        Documents.render(Documents.Transition(event: event, project: Documents.Show(view: view, project: project)))
    }
    func check(_ results: [CheckResult], notChecked: [(key: ProjectKey, reason: String)]) -> String {
        Documents.render(Documents.CheckReport(results: results, notChecked: notChecked))
    }
    func breakOutcome(_ outcome: BreakOutcome) -> String { Documents.render(Documents.Break(outcome: outcome)) }
    func world(_ world: RedactedWorld, holders: [String: ProjectKey]) -> String {
        Documents.render(Documents.World(world: world, holders: holders))
    }
    func journal(_ entries: [JournalEntry]) -> String { Documents.render(["journal": entries]) }
    func faults(_ faults: [FaultInfo]) -> String { Documents.render(["faults": faults]) }
    func faultAdded(_ fault: FaultInfo) -> String { Documents.render(fault) }
    func config(_ entries: [SettingEntry], changed: RealAPISetting?) -> String {
        Documents.render(Documents.Config(entries, changed: changed))
    }
    func message(_ text: String, summary: String) -> String { Documents.render(Documents.Message(message: summary)) }
    func report(_ text: String, document: some Encodable) -> String { Documents.render(document) }
    func work(_ report: WorkReport) -> String { Documents.render(Documents.Work(report)) }
    func appending(_ deliveries: [DeliveryReport], to output: String) -> String {
        Documents.merging(["outboxDelivery": deliveries.map(Documents.Delivery.init)], into: output)
    }
    func fitted(_ output: String) -> String { output }
    func failure(_ error: any Error, exitCode: Int32, redacting secrets: [String]) -> (
        text: String, toStandardError: Bool
    ) {
        let message = SecretLines.redact("\(error)", secrets: secrets)
        return (
            Documents.render(Documents.Failure(error: message, code: ErrorCode(error).rawValue, exitCode: exitCode)),
            false
        )
    }
}
