import RelinkCore
import Testing

@testable import RelinkCommands

/// The words of the app's work: issue keys, conversation ids, free text, outbox items.
@Suite("The app's work in the command language")
struct WorkCommandTests {
    static let sup12 = IssueKey(rawValue: "SUP-12")!

    @Test func theCommandsParse() throws {
        let cases: [(String, Command)] = [
            ("links", .links(nil, project: nil)),
            ("links sup", .links(nil, project: "SUP")),
            ("links sup-12", .links(Self.sup12, project: nil)),
            ("link SUP-12 1004 1005", .link(Self.sup12, conversations: ["1004", "1005"])),
            ("unlink SUP-12 1002", .unlink(Self.sup12, conversations: ["1002"])),
            (#"comment SUP-12 Fixed in "2.3 — ü"  today"#, .comment(Self.sup12, text: "Fixed in 2.3 — ü today")),
            ("assign SUP-12 alice@acme.test", .assign(Self.sup12, assignee: "alice@acme.test")),
            ("assign SUP-12 NONE", .assign(Self.sup12, assignee: nil)),
            ("transition SUP-12 In Progress", .transition(Self.sup12, status: "In Progress")),
            ("outbox", .outbox(nil)),
            ("outbox SUP", .outbox("SUP")),
            ("outbox deliver", .outboxDeliver(nil)),
            ("outbox deliver sup", .outboxDeliver("SUP")),
            ("outbox discard sup.3", .outboxDiscard(.item("SUP.3"))),
            ("outbox discard SUP", .outboxDiscard(.project("SUP"))),
            ("mock conversation 1001", .mockConversation(id: "1001")),
        ]
        for (line, expected) in cases {
            #expect(try CommandParser.parse(line) == expected, "\(line)")
        }
    }

    @Test(
        "Issue keys, conversation ids and outbox items that are not are usage errors",
        arguments: [
            "link SUP-0 1", "link SUP-2147483648 1", "link SUP-99999999999999999999 1", "link SUP--1 1",
            "link SUP-1x 1", "link ÄB-1 1", "link 12-SUP 1", "link SUP-12", "link SUP-12 a/b", "comment SUP-12",
            "transition SUP-12", "outbox discard SUP.0", "outbox discard SUP.-1", "outbox discard .3",
            "outbox discard SUP.x", "links SUP-", "mock conversation",
        ])
    func refusals(_ line: String) {
        #expect(throws: UsageError.self, "\(line)") { try CommandParser.parse(line) }
    }

    @Test func theLargestIssueNumberJiraCountsParses() throws {
        #expect(IssueKey(rawValue: "sup-2147483647")?.rawValue == "SUP-2147483647")
        #expect(IssueKey(rawValue: "SUP-+1") == nil && IssueKey(rawValue: "SUP-١") == nil)
    }
}
