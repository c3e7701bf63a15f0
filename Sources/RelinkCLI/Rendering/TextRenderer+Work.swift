import Foundation
import IntercomMockWorld
import RelinkCore
import RelinkService

extension TextRenderer {
    func work(_ report: WorkReport) -> String {
        switch report {
        case .links(let projects, let issue):
            let entries = projects.flatMap { project in
                project.links.filter { issue == nil || $0.issueKey == issue?.rawValue }
            }
            guard !entries.isEmpty else {
                if let issue { return "\(issue) has no linked conversations." }
                return projects.count == 1 ? "\(projects[0].key) has no links." : "No links."
            }
            let width = entries.map(\.issueKey.count).max() ?? 0
            return entries.map { links in
                "\(Self.padded(links.issueKey, width))  \(Self.count(links.count, "conversation")): "
                    + links.conversationIds.joined(separator: ", ")
            }.joined(separator: "\n")
        case .linked(let outcome):
            var text =
                outcome.changed.isEmpty
                ? "Nothing to link: \(outcome.issue) links \(outcome.unchanged.joined(separator: ", ")) already."
                : "Linked \(outcome.issue) to \(outcome.changed.joined(separator: ", ")) (Intercom has "
                    + (outcome.changed.count == 1 ? "it" : "them") + ")."
            if !outcome.changed.isEmpty, !outcome.unchanged.isEmpty {
                text += " Linked already: \(outcome.unchanged.joined(separator: ", "))."
            }
            return text + " \(outcome.issue) links \(outcome.links.joined(separator: ", "))."
        case .unlinked(let outcome):
            return "Unlinked \(outcome.changed.joined(separator: ", ")) from \(outcome.issue); "
                + (outcome.links.isEmpty
                    ? "it links no conversation now." : "it links \(outcome.links.joined(separator: ", ")).")
        case .notified(let outcome):
            if case .skip(let reason) = outcome.decision {
                return "No note sent for \(outcome.event.issue): \(reason)."
            }
            var lines = [
                "Queued \(Self.count(outcome.queued.count, "note")) for \(outcome.event.issue)'s linked conversations "
                    + "(\(outcome.event.trigger.rawValue)): \"\(outcome.queued.first?.note ?? "")\""
            ]
            if let delivery = outcome.delivery {
                lines.append(deliveryLines(delivery))
            } else {
                let key = outcome.event.issue.project
                lines.append(
                    "Held in the outbox: \(outcome.heldBecause ?? "the connection cannot take them now"); "
                        + "reconnect \(key) delivers \(outcome.queued.count == 1 ? "it" : "them").")
            }
            return lines.joined(separator: "\n")
        case .outbox(let entries):
            let rows = entries.flatMap { entry in
                entry.project.outbox.map {
                    [$0.id, $0.issueKey, $0.conversationID, $0.waitingReason(connection: entry.connection)]
                }
            }
            guard !rows.isEmpty else {
                return entries.count == 1 ? "\(entries[0].project.key)'s outbox is empty." : "Every outbox is empty."
            }
            return table(["ID", "ISSUE", "CONVERSATION", "WHY IT WAITS"], rows, columns: [.kept, .kept, .kept])
        case .delivered(let reports):
            guard !reports.isEmpty else { return "Every outbox is empty." }
            return reports.map(deliveryLines).joined(separator: "\n")
        case .discarded(let items):
            guard !items.isEmpty else { return "Nothing to discard: the outbox is empty." }
            return "Discarded "
                + items.map { "\($0.id) (\($0.issueKey) → conversation \($0.conversationID))" }.joined(separator: ", ")
                + "; recorded in the log."
        case .conversation(let record, let teammates):
            let assignee = record.assigneeID.map { id in teammates.first { $0.id == id }.map(\.email) ?? id }
            var lines = [
                "Conversation \(record.id) · workspace \(record.workspaceID) · \(record.state.rawValue) · "
                    + (assignee.map { "assigned to \($0)" } ?? "unassigned")
            ]
            if record.parts.isEmpty { lines.append("  no parts") }
            for part in record.parts {
                let author = teammates.first { $0.id == part.adminID }.map(\.email) ?? part.adminID
                var head =
                    "  #\(part.id)  \(Self.time(Date(timeIntervalSince1970: Double(part.createdAt))))  "
                    + "\(part.partType) by \(author)"
                if let assigned = part.assigneeID {
                    head += " → " + (teammates.first { $0.id == assigned }.map(\.email) ?? assigned)
                }
                lines.append(head)
                if let body = part.body { lines += wrap(body, first: "      ", rest: "      ") }
            }
            return lines.joined(separator: "\n")
        }
    }

    /// One delivery: each item delivered, then what the outbox still holds and why.
    func deliveryLines(_ report: DeliveryReport) -> String {
        var lines = report.delivered.map { delivered in
            "Delivered \(delivered.item.id): \(delivered.item.issueKey) → conversation \(delivered.item.conversationID)"
                + (delivered.foundPosted ? " (an interrupted attempt had posted it; not posted again)" : "")
        }
        if report.held.isEmpty {
            lines.append(
                report.delivered.isEmpty ? "\(report.key)'s outbox is empty." : "\(report.key)'s outbox is empty now.")
        } else {
            lines.append(
                "\(report.key)'s outbox holds \(Self.count(report.held.count, "note"))"
                    + (report.stopped.map { ": \($0)" } ?? "") + " (outbox \(report.key) lists them).")
        }
        if let event = report.event { lines.append(events([event])) }
        return lines.joined(separator: "\n")
    }

    static func count(_ count: Int, _ noun: String) -> String { count == 1 ? "1 \(noun)" : "\(count) \(noun)s" }

    /// Columns fitted to the width by cell, the header bold.
    func table(_ headers: [String], _ rows: [[String]], columns: [TextTable.Column]) -> String {
        TextTable(headers: headers, rows: rows, columns: columns).render(width: style.width) { row, _, text in
            row == nil ? style.bold(text) : text
        }.joined(separator: "\n")
    }
}
