import Crypto
import Foundation

/// The one public id of an access token, the same in the mock's world, in relink's connection
/// record, in `world` and in a support bundle: `tok-` and the first 16 hex digits of the token's
/// SHA-256.
///
/// Derived from the token rather than counted, because relink and the mock never share a
/// counter: relink holds the plaintext (it received it from the token exchange), the mock its
/// digest, and both arrive at the same id. Sixteen hex digits of a digest of a random token say
/// nothing about the token; against the real API the id is made the same way.
public enum TokenID {
    /// The id of the token whose plaintext is `token`.
    public static func of(token: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in SHA256.hash(data: Data(token.utf8)).prefix(8) {
            hex += [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]]
        }
        return "tok-" + String(decoding: hex, as: UTF8.self)
    }

    /// The id of the token whose hex SHA-256 is `digest`.
    public static func fromDigest(_ digest: String) -> String { "tok-" + digest.lowercased().prefix(16) }
}
