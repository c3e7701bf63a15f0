import RelinkCore
import RelinkService

extension Documents {
    /// `config --json`, and `config set`/`unset --json` (then `changed` names the setting).
    struct Config: Encodable {
        struct Setting: Encodable {
            var name: String
            /// `null` when not set; a secret only as `[redacted]`.
            @ExplicitNull var value: String? = nil
            var source: String
            @ExplicitNull var overriddenBy: String? = nil
            var secret: Bool
            @ExplicitNull var note: String? = nil
        }

        var settings: [Setting]
        var changed: String?

        init(_ entries: [SettingEntry], changed: RealAPISetting?) {
            settings = entries.map {
                Setting(
                    name: $0.setting.rawValue, value: $0.shown, source: $0.source.rawValue,
                    overriddenBy: $0.overriddenBy,
                    secret: $0.setting.isSecret, note: $0.note)
            }
            self.changed = changed?.rawValue
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(settings, forKey: .settings)
            try c.encodeIfPresent(changed, forKey: .changed)
        }

        enum CodingKeys: String, CodingKey { case settings, changed }
    }
}

extension TextRenderer {
    /// Every setting, its value (never a secret's) and where it comes from; after `config set` or
    /// `unset`, only the changed one.
    func config(_ entries: [SettingEntry], changed: RealAPISetting?) -> String {
        if let changed, let entry = entries.first(where: { $0.setting == changed }) {
            let now = describe(entry)
            return "\(changed.rawValue): \(now)."
        }
        let width = entries.map(\.setting.rawValue.count).max() ?? 0
        var lines = ["Real-API settings (config set NAME VALUE keeps one in the store; the environment overrides it):"]
        for entry in entries {
            lines.append(
                "  " + entry.setting.rawValue.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                    + describe(entry))
        }
        return lines.joined(separator: "\n")
    }

    private func describe(_ entry: SettingEntry) -> String {
        var text: String
        switch entry.source {
        case .notSet: text = "not set"
        case .environment, .option:
            text =
                "\(entry.shown ?? "") (from \(entry.overriddenBy ?? entry.source.rawValue), which overrides the store)"
        case .store: text = "\(entry.shown ?? "") (store)"
        case .default: text = "\(entry.shown ?? "") (default)"
        }
        if let note = entry.note { text += " — \(note)" }
        return text
    }
}
