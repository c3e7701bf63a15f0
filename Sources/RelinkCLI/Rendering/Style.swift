import Foundation
import RelinkCore

/// How text is laid out for its reader: colour only when standard output is a terminal (never
/// with `NO_COLOR` or `TERM=dumb`), and lines wrapped to the terminal's width (80 when not a terminal).
public struct Style: Sendable {
    public var colour: Bool
    /// Columns to lay text out for.
    public var width: Int
    /// Whether error messages are fitted to `width` at their words: when standard error is a
    /// terminal. A message in a log file stays on one line for `grep`. (Standard output's text is
    /// always laid out for `width`, as the transcripts show it.)
    public var fitsLines: Bool

    public init(colour: Bool, width: Int = 80, fitsLines: Bool = false) {
        self.colour = colour
        self.width = max(40, width)
        self.fitsLines = fitsLines
    }

    /// Colour and width for standard output as it is.
    public static func detect(environment: [String: String]) -> Style {
        let noColour = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let terminal = isatty(STDOUT_FILENO) == 1
        var size = winsize()
        let columns =
            terminal && ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        return Style(colour: terminal && !noColour && environment["TERM"] != "dumb", width: columns,
            fitsLines: isatty(STDERR_FILENO) == 1)
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
