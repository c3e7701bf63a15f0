/// Why the mock refused a world edit, a cause or a control request. The message names what was
/// not found or not valid; it never carries a secret.
public struct MockError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A teammate, workspace, app, token or conversation that does not exist.
        case notFound
        /// A request that cannot be applied as given.
        case invalid
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
