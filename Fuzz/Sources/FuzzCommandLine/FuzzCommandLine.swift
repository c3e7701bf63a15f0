import RelinkCommands

/// One command line, as the REPL, `-c`, a script or standard input would give it: parsing never
/// crashes, and a usage error never shows a value given to `--password`. The corpus carries the
/// marker password `Hunter2Zq` so that mutations keep it around.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommandLine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try CommandParser.parse(line)
        _ = SecretLines.carriesSecret(line, knownSecrets: ["Hunter2Zq"])
    } catch {
        let givenAsSecret = SecretLines.secretValues(in: line).contains { $0.contains("Hunter2Zq") }
        if givenAsSecret, error.description.contains("Hunter2Zq") {
            fatalError("a usage error shows a password: \(line.debugDescription) → \(error.description)")
        }
    }
    // Completion reads the same table with whatever was typed so far.
    _ = Completion { _ in ["SUP", "alice@acme.test"] }.candidates(
        line: line, word: String(line.split(separator: " ").last ?? ""))
    return 0
}
