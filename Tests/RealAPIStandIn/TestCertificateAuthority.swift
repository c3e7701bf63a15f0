import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A certificate authority made at test time, in memory, with a server certificate it signed.
///
/// The leaf names `localhost` and `127.0.0.1` (both as subject alternative names), so a client can
/// reach the stand-in by either. Keys are P-256, the certificates live an hour. Nothing here reads or
/// writes outside the directory a test gives ``writeCA(into:)``.
///
/// For the "untrusted certificate" case, make a second authority and trust only its `ca.pem`: the
/// server's chain then leads to a root the client does not know.
public struct TestCertificateAuthority: Sendable {
    /// The CA certificate, PEM: what goes into `SSL_CERT_FILE`.
    public let caCertificatePEM: String
    /// The server certificate (the leaf) the CA signed, PEM.
    public let leafCertificatePEM: String
    /// The leaf's private key, PEM (PKCS #8).
    public let leafPrivateKeyPEM: String
    /// The CA's subject common name, for telling two authorities apart in a failure.
    public let name: String

    /// Makes a CA and a leaf for `dnsNames` and `ipAddresses` signed by it.
    ///
    /// - Parameters:
    ///   - name: the CA's common name.
    ///   - dnsNames: DNS subject alternative names of the leaf.
    ///   - ipAddresses: IPv4 addresses (four bytes each) or IPv6 (sixteen) for the leaf's IP SANs.
    public init(
        name: String = "relink test CA",
        dnsNames: [String] = ["localhost"],
        ipAddresses: [[UInt8]] = [[127, 0, 0, 1]]
    ) throws {
        let now = Date()
        let notBefore = now.addingTimeInterval(-300)
        let notAfter = now.addingTimeInterval(3600)

        let caKey = P256.Signing.PrivateKey()
        let caPublicKey = Certificate.PublicKey(caKey.publicKey)
        let caName = try DistinguishedName {
            OrganizationName("relink tests")
            CommonName(name)
        }
        let caSKI = SubjectKeyIdentifier(hash: caPublicKey)
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: caPublicKey,
            notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                caSKI
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey))

        let leafKey = P256.Signing.PrivateKey()
        let leafPublicKey = Certificate.PublicKey(leafKey.publicKey)
        let leafName = try DistinguishedName {
            OrganizationName("relink tests")
            CommonName(dnsNames.first ?? "localhost")
        }
        let names: [GeneralName] =
            dnsNames.map { .dnsName($0) } + ipAddresses.map { .ipAddress(ASN1OctetString(contentBytes: $0[...])) }
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: leafPublicKey,
            notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: caName, subject: leafName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
                SubjectKeyIdentifier(hash: leafPublicKey)
                AuthorityKeyIdentifier(keyIdentifier: caSKI.keyIdentifier)
            },
            issuerPrivateKey: Certificate.PrivateKey(caKey))

        self.name = name
        self.caCertificatePEM = try ca.serializeAsPEM().pemString
        self.leafCertificatePEM = try leaf.serializeAsPEM().pemString
        self.leafPrivateKeyPEM = leafKey.pemRepresentation
    }

    /// Writes the CA certificate as `fileName` (default `ca.pem`) into `directory` and returns its
    /// path: the value for `SSL_CERT_FILE`.
    @discardableResult
    public func writeCA(into directory: URL, fileName: String = "ca.pem") throws -> URL {
        let url = directory.appendingPathComponent(fileName)
        try Data(caCertificatePEM.utf8).write(to: url)
        return url
    }

    /// The CA certificate for a client's `TLSConfiguration.additionalTrustRoots`.
    public func caCertificates() throws -> [NIOSSLCertificate] {
        try NIOSSLCertificate.fromPEMBytes(Array(caCertificatePEM.utf8))
    }

    /// A client configuration that trusts this CA in addition to the system's roots.
    public func clientTLSConfiguration() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.additionalTrustRoots = [.certificates(try caCertificates())]
        return tls
    }

    /// The server side: the leaf and the CA as its chain, and the leaf's key.
    public func serverTLSConfiguration() throws -> TLSConfiguration {
        let leaf = try NIOSSLCertificate(bytes: Array(leafCertificatePEM.utf8), format: .pem)
        let ca = try NIOSSLCertificate(bytes: Array(caCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(leafPrivateKeyPEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(leaf), .certificate(ca)], privateKey: .privateKey(key))
        // A graceful stop sends close_notify and waits this long for the client's (NIOSSL's default
        // is 5 s): a client that closed without answering held every shutdown 5 s.
        tls.shutdownTimeout = .milliseconds(300)
        return tls
    }
}
