/// Which lines must never reach the history file: a line that gives a secret option (the table's
/// `.secret` options, whatever the command) or holds a secret the store keeps.
public enum SecretLines {
    /// Every option of the language whose value is a secret.
    public static let secretOptions: Set<String> = Set(
        CommandTable.all.flatMap(\.options).filter { $0.kind == .secret }.map(\.name))

    public static func carriesSecret(_ line: String, knownSecrets: [String]) -> Bool {
        let words = (try? Words.split(line)) ?? line.split(separator: " ").map(String.init)
        if words.contains(where: { word in secretOptions.contains { word == $0 || word.hasPrefix($0 + "=") } }) {
            return true
        }
        return knownSecrets.contains { !$0.isEmpty && line.contains($0) }
    }
}
