import Foundation
import IntercomMockWorld
import RelinkCore
import RelinkService

extension Documents {
    /// The document of a command of the app's work.
    struct Work: Encodable {
        let report: WorkReport

        init(_ report: WorkReport) { self.report = report }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            switch report {
            case .links(let projects, let issue):
                let links = projects.flatMap { project in
                    project.links.filter { issue == nil || $0.issueKey == issue?.rawValue }.map(LinkDocument.init)
                }
                try c.encode(links, forKey: "links")
            case .linked(let outcome), .unlinked(let outcome):
                try c.encode(outcome.issue.rawValue, forKey: "issueKey")
                if case .linked = report {
                    try c.encode(outcome.changed, forKey: "linked")
                    try c.encode(outcome.unchanged, forKey: "alreadyLinked")
                } else {
                    try c.encode(outcome.changed, forKey: "unlinked")
                }
                try c.encode(outcome.links.count, forKey: "count")
                try c.encode(outcome.links, forKey: "conversationIds")
            case .notified(let outcome):
                try c.encode(outcome.event.issue.rawValue, forKey: "issueKey")
                try c.encode(outcome.event.trigger, forKey: "trigger")
                if case .skip(let reason) = outcome.decision {
                    try c.encode(false, forKey: "sent")
                    try c.encode(reason, forKey: "skipped")
                } else {
                    try c.encode(true, forKey: "sent")
                    try c.encodeNil(forKey: "skipped")
                }
                try c.encode(outcome.queued, forKey: "queued")
                try c.encode(outcome.delivery.map(Delivery.init), forKey: "delivery")
            case .outbox(let entries):
                let items = entries.flatMap { entry in
                    entry.project.outbox.map { Held(item: $0, reason: $0.waitingReason(connection: entry.connection)) }
                }
                try c.encode(items, forKey: "outbox")
            case .delivered(let reports):
                try c.encode(reports.map(Delivery.init), forKey: "deliveries")
            case .discarded(let items):
                try c.encode(items, forKey: "discarded")
            case .conversation(let record, _):
                try c.encode(record, forKey: "conversation")
            }
        }
    }

    /// An outbox item with why it waits.
    struct Held: Encodable {
        var item: OutboxItem
        var reason: String

        func encode(to encoder: any Encoder) throws {
            try item.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(reason, forKey: "reason")
        }
    }

    struct Delivery: Encodable {
        var key: ProjectKey
        var delivered: [String]
        var foundPosted: [String]
        var held: [String]
        @ExplicitNull var stopped: String? = nil
        @ExplicitNull var event: ConnectionEvent? = nil

        init(_ report: DeliveryReport) {
            key = report.key
            delivered = report.delivered.map(\.item.id)
            foundPosted = report.delivered.filter(\.foundPosted).map(\.item.id)
            held = report.held.map(\.id)
            stopped = report.stopped
            event = report.event
        }
    }

    /// Adds `fields` to the JSON object `document`, so that a command still prints one document.
    static func merging(_ fields: [String: some Encodable], into document: String) -> String {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(document.utf8))) as? [String: Any] else {
            return document
        }
        for (name, value) in fields {
            guard let data = try? encoder.encode(value), let json = try? JSONSerialization.jsonObject(with: data)
            else { continue }
            object[name] = json
        }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return document }
        return String(decoding: data, as: UTF8.self)
    }

    /// A coding key made of any string, for documents whose keys depend on the case.
    struct Key: CodingKey, ExpressibleByStringLiteral {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        init(stringLiteral value: String) { stringValue = value }
    }
}
