import Foundation
import RelinkCore

/// Colour for a terminal: only when standard output is one, never with `NO_COLOR` or `TERM=dumb`.
public struct Style: Sendable {
    public var colour: Bool

    public init(colour: Bool) {
        self.colour = colour
    }

    /// Colour when standard output is a terminal and the environment does not say otherwise.
    public static func detect(environment: [String: String]) -> Style {
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return Style(colour: isatty(STDOUT_FILENO) == 1 && !noColour && environment["TERM"] != "dumb")
    }

    public static let plain = Style(colour: false)

    private func wrap(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func warning(_ text: String) -> String { wrap(text, "33") }
    func error(_ text: String) -> String { wrap(text, "31") }

    /// The indicator as a coloured dot and a word: `● green`.
    func indicator(_ indicator: Indicator) -> String {
        dot(indicator) + " " + indicator.rawValue
    }

    /// The indicator's dot alone, coloured.
    func dot(_ indicator: Indicator) -> String {
        let code =
            switch indicator {
            case .green: "32"
            case .yellow: "33"
            case .grey: "90"
            }
        return wrap("●", code)
    }
}
