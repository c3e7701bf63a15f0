import Foundation
import IntercomMockFaults
import RelinkCore
import Testing

@testable import RelinkCommands

@Suite("The command language")
struct CommandParserTests {
    @Test func wordsSplitLikeAShell() throws {
        #expect(try Words.split("show  SUP") == ["show", "SUP"])
        #expect(try Words.split(#"export "/tmp/a b" 'c d'"#) == ["export", "/tmp/a b", "c d"])
        #expect(try Words.split(#"a\ b"#) == ["a b"])
        #expect(throws: Words.UnterminatedQuote.self) { try Words.split(#"show "SUP"#) }
    }

    @Test func everyCommandOfTheDesignParses() throws {
        let cases: [(String, Command)] = [
            ("projects", .projects),
            ("show sup", .show("SUP")),
            (
                "connect OPS --as bob@acme.test",
                .connect("OPS", teammate: "bob@acme.test", workspace: nil, password: nil, method: .pasteCode)
            ),
            (
                "connect OPS --as=bob@acme.test --workspace acmeeu01",
                .connect("OPS", teammate: "bob@acme.test", workspace: "acmeeu01", password: nil, method: .pasteCode)
            ),
            (
                "connect OPS --token",
                .connect("OPS", teammate: nil, workspace: nil, password: nil, method: .accessToken)
            ),
            ("connect OPS --paste", .connect("OPS", teammate: nil, workspace: nil, password: nil, method: .pasteCode)),
            ("check", .check(keys: [], all: true)),
            ("check --all", .check(keys: [], all: true)),
            ("check SUP BUG", .check(keys: ["SUP", "BUG"], all: false)),
            ("connect OPS --listen", .connect("OPS", teammate: nil, workspace: nil, password: nil, method: .listen)),
            ("connect OPS --paste", .connect("OPS", teammate: nil, workspace: nil, password: nil, method: .pasteCode)),
            ("check SUP --deep", .check(keys: ["SUP"], all: false, deep: true)),
            ("check --all --exit-code", .check(keys: [], all: true, exitCode: true)),
            ("break WEB token-revoked", .breakConnection("WEB", .tokenRevoked)),
            (
                "reconnect SUP --as alice@acme.test --allow-workspace-change",
                .reconnect(
                    "SUP", teammate: "alice@acme.test", workspace: nil, allowWorkspaceChange: true, password: nil,
                    method: .pasteCode)
            ),
            ("revoke SUP", .revoke("SUP")),
            (
                "app-user SUP --as alice@acme.test",
                .appUser("SUP", teammate: "alice@acme.test", allowWorkspaceChange: false, password: nil)
            ),
            ("log", .log(nil, limit: nil)),
            ("log SUP --limit 5", .log("SUP", limit: 5)),
            ("world", .world),
            (
                "mock fault add /me status --status 503 --probability 0.5 --seed 7",
                .mockFault(
                    .add(FaultSpec(path: "/me", kind: .status, status: 503, probability: 0.5, seed: 7)))
            ),
            ("mock fault list", .mockFault(.list)),
            ("mock fault clear", .mockFault(.clear(id: nil))),
            ("mock journal --limit 3", .mockJournal(limit: 3)),
            ("mock reset", .mockReset),
            ("export /tmp/bundle", .export(path: "/tmp/bundle")),
            ("help", .help(nil)),
            ("help reconnect", .help("reconnect")),
            ("quit", .quit),
            ("exit", .quit),
        ]
        for (line, expected) in cases {
            #expect(try CommandParser.parse(line) == expected, "\(line)")
        }
        #expect(try CommandParser.parse("") == nil)
        #expect(try CommandParser.parse("   # a comment") == nil)
        #expect(
            try CommandParser.parse(#"# the customer said: "it broke"#) == nil, "quotes in a comment need not balance")
    }

    /// `mock fault add` parses straight into the mock's own ``FaultSpec``: each form of latency, and
    /// the bytes the control API and mock-faults.json carry (sorted keys, as both encode them).
    @Test(arguments: [
        (
            "mock fault add /admins/* latency --latency-min-ms 100 --latency-max-ms 900 --times 3",
            FaultSpec(path: "/admins/*", kind: .latency, latencyMinMs: 100, latencyMaxMs: 900, times: 3),
            #"{"kind":"latency","latency_max_ms":900,"latency_min_ms":100,"path":"/admins/*","times":3}"#
        ),
        (
            "mock fault add * latency --latency-ms 2000 --method get",
            FaultSpec(path: "*", method: "GET", kind: .latency, latencyMs: 2000),
            #"{"kind":"latency","latency_ms":2000,"method":"GET","path":"*"}"#
        ),
        (
            "mock fault add /me status --status 502 --body html --seed 18446744073709551615",
            FaultSpec(path: "/me", kind: .status, status: 502, body: .html, seed: .max),
            #"{"body":"html","kind":"status","path":"/me","seed":18446744073709551615,"status":502}"#
        ),
        (
            "mock fault add /me rate_limit --probability 0.25",
            FaultSpec(path: "/me", kind: .rateLimit, probability: 0.25),
            #"{"kind":"rate_limit","path":"/me","probability":0.25}"#
        ),
    ])
    func faultsParseIntoTheMocksType(line: String, spec: FaultSpec, json: String) throws {
        #expect(try CommandParser.parse(line) == .mockFault(.add(spec)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(String(decoding: try encoder.encode(spec), as: UTF8.self) == json)
    }

    @Test(arguments: [
        ("shwo SUP", #"unknown command "shwo"; did you mean "show"?"#),
        ("show", "which project?"),
        ("show 1SUP", "is not a project key"),
        ("break SUP token-revokd", #"did you mean "token-revoked"?"#),
        ("break SUP", "which cause?"),
        ("reconnect SUP --allow-workspace-chang", "did you mean --allow-workspace-change?"),
        ("connect SUP --paste --token", "exclude each other"),
        ("check SUP --all", "not both"),
        ("log --limit zero", "positive whole number"),
        ("app-user SUP", "--as EMAIL is required"),
        ("show SUP extra", #"unexpected "extra""#),
        ("help shw", #"did you mean "show"?"#),
        ("mock fault add /me explode", "unknown fault kind"),
        (#"show "SUP"#, "unterminated quote"),
    ])
    func badUsageSaysWhatIsWrong(line: String, message: String) {
        #expect {
            _ = try CommandParser.parse(line)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func linesThatCarryASecretAreRecognised() {
        #expect(SecretLines.carriesSecret("connect OPS --as a@b --password hunter2", knownSecrets: []))
        #expect(SecretLines.carriesSecret("connect OPS --password=hunter2", knownSecrets: []))
        #expect(SecretLines.carriesSecret("show fake-token-123", knownSecrets: ["fake-token-123"]))
        #expect(!SecretLines.carriesSecret("connect OPS --token", knownSecrets: ["x-secret"]))
        #expect(!SecretLines.carriesSecret("show SUP", knownSecrets: [""]))
    }
}
