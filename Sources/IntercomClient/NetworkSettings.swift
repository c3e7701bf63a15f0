import Foundation

/// The network settings relink honours as curl, git and Python do, read once from the environment
/// at the composition root: extra trust roots (`SSL_CERT_FILE`) and an HTTP CONNECT proxy
/// (`HTTPS_PROXY`/`https_proxy`) with the hosts it must not be used for (`NO_PROXY`/`no_proxy`).
///
/// Two differences from curl, on purpose: `SSL_CERT_FILE` *adds* its certificates to the system's
/// instead of replacing them (a TLS-inspecting proxy's CA beside the public ones), and the proxy is
/// used for the real API only: the mock is on this machine and is always reached directly.
public struct NetworkSettings: Sendable, Equatable {
    /// A PEM bundle whose certificates are trusted besides the system's roots.
    public var extraTrustRoots: String?
    /// The proxy for `https` requests to the real API.
    public var httpsProxy: ProxyAddress?
    /// Hosts reached directly even when a proxy is set.
    public var noProxy: NoProxyList

    public init(extraTrustRoots: String? = nil, httpsProxy: ProxyAddress? = nil, noProxy: NoProxyList = .init("")) {
        self.extraTrustRoots = extraTrustRoots
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
    }

    /// The settings an environment gives; the lower-case names win over the upper-case ones, as
    /// curl reads them. An empty variable is unset.
    public init(environment: [String: String]) throws(NetworkSettingsError) {
        func value(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        self.init(
            extraTrustRoots: value("SSL_CERT_FILE"),
            httpsProxy: try value("https_proxy", "HTTPS_PROXY").map { text throws(NetworkSettingsError) in
                try ProxyAddress(parsing: text)
            },
            noProxy: NoProxyList(value("no_proxy", "NO_PROXY") ?? ""))
    }

    /// The proxy to use for `url`: nil for a host `NO_PROXY` names or a URL that is not `https`.
    public func proxy(for url: URL) -> ProxyAddress? {
        guard let httpsProxy, url.scheme?.lowercased() == "https", let host = url.host else { return nil }
        return noProxy.excludes(host: host, port: url.port ?? 443) ? nil : httpsProxy
    }
}

/// Where an HTTP CONNECT proxy listens, and the credentials it asks for.
public struct ProxyAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?

    public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    /// `http://[user:password@]host[:port]`, or `host:port` without a scheme as curl allows. The
    /// tunnel's TLS runs inside the proxy's connection, so an `https://` proxy (TLS to the proxy
    /// itself) or a SOCKS one is refused rather than used wrongly.
    public init(parsing text: String) throws(NetworkSettingsError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let withScheme = trimmed.contains("://") ? trimmed : "http://" + trimmed
        guard let components = URLComponents(string: withScheme), let scheme = components.scheme?.lowercased() else {
            throw .invalidProxy(Self.redacted(trimmed), reason: "it is not a URL")
        }
        guard scheme == "http" else {
            throw .invalidProxy(
                Self.redacted(trimmed), reason: "relink speaks to a proxy over plain HTTP CONNECT; \(scheme):// is not supported")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidProxy(Self.redacted(trimmed), reason: "it has no host")
        }
        let port = components.port ?? 1080
        guard (1...65535).contains(port) else {
            throw .invalidProxy(Self.redacted(trimmed), reason: "its port is out of range")
        }
        self.init(
            host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port,
            username: components.user?.removingPercentEncoding ?? components.user,
            password: components.password?.removingPercentEncoding ?? components.password)
    }

    /// `host:port`, never the credentials.
    public var description: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// A proxy setting as it may be shown: any `user:password@` replaced.
    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        let start = text.range(of: "://")?.upperBound ?? text.startIndex
        return String(text[..<start]) + "…@" + String(text[text.index(after: at)...])
    }
}

/// `NO_PROXY` as curl reads it: comma-separated entries; `*` alone matches every host; a name
/// matches itself and its subdomains (a leading dot changes nothing); an entry may end in
/// `:port`; an IP address matches that address, or a range as `10.0.0.0/8`; case does not matter.
public struct NoProxyList: Sendable, Equatable {
    public var entries: [String]

    public init(_ text: String) {
        entries = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
    }

    /// Whether requests to `host` (port `port`) go around the proxy.
    public func excludes(host: String, port: Int) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return entries.contains { entry in
            if entry == "*" { return true }
            var name = entry
            if let colon = name.lastIndex(of: ":"), !name.contains("]"), name.filter({ $0 == ":" }).count == 1,
                let entryPort = Int(name[name.index(after: colon)...])
            {
                guard entryPort == port else { return false }
                name = String(name[..<colon])
            }
            name = name.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            if name.hasPrefix(".") { name.removeFirst() }
            if let (network, bits) = Self.cidr(name) { return Self.ipv4(host).map { Self.within($0, network, bits) } ?? false }
            return host == name || host.hasSuffix("." + name)
        }
    }

    private static func cidr(_ entry: String) -> (UInt32, Int)? {
        let parts = entry.split(separator: "/")
        guard parts.count == 2, let address = ipv4(String(parts[0])), let bits = Int(parts[1]), (0...32).contains(bits)
        else { return nil }
        return (address, bits)
    }

    private static func ipv4(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ ($0 ?? 256) < 256 }) else { return nil }
        return octets.reduce(0) { $0 << 8 | $1! }
    }

    private static func within(_ address: UInt32, _ network: UInt32, _ bits: Int) -> Bool {
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
        return address & mask == network & mask
    }
}

/// A network setting that cannot be used; said before any request is made.
public enum NetworkSettingsError: Error, Equatable, CustomStringConvertible {
    case invalidProxy(String, reason: String)
    case unreadableTrustRoots(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidProxy(let text, let reason):
            "HTTPS_PROXY=\(text) cannot be used: \(reason). Set it to http://HOST:PORT (credentials as http://USER:PASSWORD@HOST:PORT), or unset it."
        case .unreadableTrustRoots(let path, let reason):
            "SSL_CERT_FILE=\(path) cannot be used: \(reason). Point it at a PEM file of CA certificates, or unset it."
        }
    }
}
