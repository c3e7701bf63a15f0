/// The values the `Intercom-Version` request header accepts (schema `intercom_version`).
public enum IntercomVersion {
    /// The header's name.
    public static let headerName = "Intercom-Version"
    /// The version relink speaks unless configured otherwise (`config set intercom-version`).
    public static let current = "2.14"
    /// Every published value (schema `intercom_version` of the 2.14 description lists 1.0–2.14;
    /// later descriptions add up to 2.17); anything else is answered 400 `intercom_version_invalid`.
    public static let valid: [String] =
        ["1.0", "1.1", "1.2", "1.3", "1.4"]
        + (0...17).map { "2.\($0)" }
        + ["Unstable", "Preview"]

    /// Whether `value` is an accepted version.
    public static func isValid(_ value: String) -> Bool {
        valid.contains(value)
    }
}

/// The rate-limit headers Intercom puts on authenticated answers.
public enum RateLimitHeader {
    /// Requests allowed per window.
    public static let limit = "X-RateLimit-Limit"
    /// Requests left in the current window.
    public static let remaining = "X-RateLimit-Remaining"
    /// When the window resets, in Unix seconds.
    public static let reset = "X-RateLimit-Reset"
    /// How long to wait before asking again (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
    /// When present it comes before `X-RateLimit-Reset`, as Intercom's official SDKs read it.
    public static let retryAfter = "Retry-After"
}
