/// A call to the mock's control API that did not succeed.
public struct MockControlError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `POST /__mock/causes` and the like.
    public var request: String
    /// The HTTP status, when the mock answered.
    public var status: Int?
    /// The control API's own `{"error":"…"}` message, or what went wrong on the way.
    public var message: String

    public init(request: String, status: Int?, message: String) {
        self.request = request
        self.status = status
        self.message = message
    }

    public var description: String {
        let status = status.map { " (HTTP \($0))" } ?? ""
        return "The mock's control API refused \(request)\(status): \(message)"
    }
}
