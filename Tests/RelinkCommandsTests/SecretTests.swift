import Foundation
import RelinkCore
import Testing

@testable import RelinkCommands

/// No usage error quotes a value given to `--password`, wherever the option stands and however
/// the line is broken.
@Suite("Secrets never reach a usage error")
struct SecretTests {
    static let password = "Hunter2Zq"

    /// The issue's reproducers, each with the password in the way a person typed it.
    @Test(arguments: [
        #"connect OPS --as alice@acme.test --password "Hunter2Zq secret"#,
        "reconnect SUP --as a@b --password Hunter2Zq horse",
        "connect --password Hunter2Zq OPS --as nobody@acme.test extra",
        "connect --password Hunter2Zq",
        "connect 9OPS --password Hunter2Zq",
        "app-user SUP --password=Hunter2Zq",
        "app-user SUP --as a@b --password Hunter2Zq --password Hunter2Zq",
        "connect OPS --pasword=Hunter2Zq",
        "connect OPS --password Hunter2Zq --paste --token",
        // Found by Fuzz/FuzzCommandLine: the password inside the quoted first word.
        "\"\u{FFFD}P --password \"Hun\"Hunter2Zq two\" nnect SUP --password \"Hun\"HuntUP",
        "help \"--password Hunter2Zq\"",
        "mock \"--password Hunter2Zq\"",
    ])
    func reproducers(line: String) {
        do {
            _ = try CommandParser.parse(line)
        } catch {
            #expect(!error.description.contains(Self.password), "\(error.description)")
            return
        }
    }

    /// Many lines built around a password: the option at every position, the value quoted or not,
    /// then broken (a quote left open, words added, a word dropped, an option or command mistyped).
    @Test("Seeded broken lines never echo the password")
    func brokenLines() {
        var generator = SplitMix64(seed: 2026)
        let commands = [
            ["connect", "OPS", "--as", "alice@acme.test"], ["reconnect", "SUP", "--workspace", "acmeeu01"],
            ["app-user", "SUP", "--as", "bob@acme.test", "--allow-workspace-change"],
        ]
        let passwords = [Self.password, "\"Hunter2Zq with spaces\"", "'Hunter2Zq'", "Hunter2Zq\\ x"]
        var checked = 0
        for _ in 0..<3000 {
            var words = commands.randomElement(using: &generator)!
            let position = Int.random(in: 1...words.count, using: &generator)
            let secret = passwords.randomElement(using: &generator)!
            if Bool.random(using: &generator) {
                words.insert(contentsOf: ["--password", secret], at: position)
            } else {
                words.insert("--password=" + secret, at: position)
            }
            switch Int.random(in: 0..<7, using: &generator) {
            case 0: words.append(["\"", "'", "extra", "--bogus", "9X"].randomElement(using: &generator)!)
            case 1:
                // Any word but the option itself: without it the value is no longer given to a secret option.
                let index = Int.random(in: 1..<words.count, using: &generator)
                if words[index] != "--password" { words.remove(at: index) }
            case 2: words[0] = String(words[0].dropLast())
            case 3: words.insert("horse", at: Int.random(in: 1...words.count, using: &generator))
            case 4: words = words.map { $0.replacingOccurrences(of: "--password", with: "--pasword") }
            case 5: words.append("--password")
            default: break
            }
            let line = words.joined(separator: " ")
            do {
                _ = try CommandParser.parse(line)
            } catch {
                checked += 1
                #expect(!error.description.contains("Hunter2Zq"), "\(line) → \(error.description)")
            }
        }
        #expect(checked > 500, "the broken lines should mostly be refused")
    }

    @Test("The values given to secret options are found for redaction, however the line is broken")
    func secretValues() {
        #expect(SecretLines.secretValues(in: #"connect OPS --password "two words"#).contains("two"))
        #expect(SecretLines.secretValues(in: "connect OPS --password=abc").contains("abc"))
        #expect(SecretLines.secretValues(in: "reconnect SUP --password correct horse --as a").contains("horse"))
        #expect(SecretLines.redact("no project ABC", secrets: ["ABC"]) == "no project [redacted]")
    }
}


/// A password typed after a misspelled option is still a password (issue 28, finding 1): the line
/// stays out of history and no message echoes what follows the option.
@Suite("Secrets typed wrong")
struct SecretsTypedWrongTests {
    static let password = "hunter2-secret-A"

    @Test(
        "A near miss of --password is taken for it: history keeps nothing, messages echo nothing after it",
        arguments: [
            "reconnect SUP --as alice@acme.test --pasword hunter2-secret-A",
            "reconnect SUP --as alice@acme.test --Password hunter2-secret-A",
            "reconnect SUP --as alice@acme.test -password hunter2-secret-A",
            "reconnect SUP --as alice@acme.test --passwd=hunter2-secret-A",
            "reconnect SUP --as alice@acme.test --PASSWORD=hunter2-secret-A",
            "reconnect SUP --as alice@acme.test ---password hunter2-secret-A",
            "connect OPS --as bob@acme.test --passowrd hunter2-secret-A",
            "connect OPS --as bob@acme.test --pass hunter2-secret-A",
            "connect OPS --as bob@acme.test --passwrod=hunter2-secret-A",
            "app-user SUP --as bob@acme.test -Passwd hunter2-secret-A",
            // Quotes that never close.
            #"reconnect SUP --as alice@acme.test --pasword "hunter2-secret-A"#,
            #"connect OPS --as "bob@acme.test --Password hunter2-secret-A"#,
            // The option before the command's own words.
            "reconnect --paswords hunter2-secret-A SUP",
        ])
    func nearMiss(line: String) {
        #expect(SecretLines.carriesSecret(line, knownSecrets: []), "kept in history: \(line)")
        #expect(SecretLines.mentionsSecretOption(line))
        #expect(
            SecretLines.secretValues(in: line).contains { $0.contains(Self.password) }, "not redacted: \(line)")
        do {
            _ = try CommandParser.parse(line)
            Issue.record("\(line) parsed")
        } catch {
            #expect(!error.description.contains(Self.password), "\(error.description)")
        }
    }

    @Test(
        "Options a command really has, and words that are not options, are not taken for a password",
        arguments: [
            "reconnect SUP --paste", "connect OPS --as pass@acme.test", "comment SUP-1 pass the --salt",
            "reconnect SUP --token", "check --all --deep", "log SUP --limit 5", "comment SUP-1 my password is safe",
        ])
    func notNearMisses(line: String) {
        #expect(!SecretLines.carriesSecret(line, knownSecrets: []), "\(line)")
    }

    @Test("The rule lives in one place: the option a word means", arguments: [
        ("--pasword", "--password"), ("-password", "--password"), ("--Password", "--password"),
        ("--passwd=x", "--password"), ("--paste", nil), ("--as", nil), ("password", nil), ("--p", nil),
    ] as [(String, String?)])
    func meant(word: String, option: String?) {
        #expect(SecretLines.secretOption(meantBy: word) == option)
    }
}

@Suite("Redaction of a shortened secret")
struct ShortenedSecretRedactionTests {
    @Test("a stored secret a message shortened to its first 39 characters is redacted all the same")
    func shortenedSecretIsRedacted() {
        let secret = "fake-demo-token-" + String(repeating: "x7", count: 40)
        let message = "show: \(TerminalText.quotedWord(secret)) is not a project key"
        #expect(!message.contains(secret), "the word was shortened first")
        let redacted = SecretLines.redact(message, secrets: [secret, "other"])
        #expect(redacted == "show: \"[redacted]\" is not a project key", "\(redacted)")
        // A shortened word that is no secret's beginning stays as it was.
        let plain = "show: \(TerminalText.quotedWord(String(repeating: "Q", count: 100))) is not a project key"
        #expect(SecretLines.redact(plain, secrets: [secret]) == plain)
    }
}
