/// Which lines must never reach the history file.
enum SecretLines {
    static let secretFlags = ["--password", "--client-secret", "--code"]

    static func carriesSecret(_ line: String, knownSecrets: [String]) -> Bool {
        let words = (try? Words.split(line)) ?? line.split(separator: " ").map(String.init)
        if words.contains(where: { word in secretFlags.contains { word == $0 || word.hasPrefix($0 + "=") } }) {
            return true
        }
        return knownSecrets.contains { !$0.isEmpty && line.contains($0) }
    }
}
