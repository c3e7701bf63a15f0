import Foundation
import JournaledFiles
import RelinkCore

/// Reads the few fields the `projects` list shows straight from a record's JSON bytes, without
/// `JSONDecoder`: at 100,000 projects the decoder's generic machinery (containers, key lookup,
/// nested objects) was most of the listing's time.
///
/// It walks one JSON object, reads the members it is asked for and skips every other value
/// (strings with escapes, nested objects and arrays). It reads the JSON relink writes and any
/// other valid JSON; what it does not understand (a malformed value, a key with an escape, a field
/// of the wrong type) makes it give up with nil, and the caller decodes that record with
/// `JSONDecoder`, which names what is wrong. The snapshot's checksum vouched for the bytes.
struct ListingScanner {
    private var position: UnsafePointer<UInt8>
    private let end: UnsafePointer<UInt8>

    /// nil for no bytes at all (which are no JSON value either).
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        position = base
        end = base + bytes.count
    }

    /// Reads an object, calling `member` with each key (its raw bytes, unescaped keys only) with
    /// the scanner at the member's value; `member` must read or skip that value and return false
    /// to give up. True when the whole object was read.
    mutating func object(_ member: (UnsafeBufferPointer<UInt8>, inout ListingScanner) -> Bool) -> Bool {
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return false }
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return true }
        while true {
            skipWhitespace()
            guard take(UInt8(ascii: "\"")) else { return false }
            let keyStart = position
            while position < end, position.pointee != UInt8(ascii: "\""), position.pointee != UInt8(ascii: "\\") {
                position += 1
            }
            guard position < end, position.pointee == UInt8(ascii: "\"") else { return false }
            let key = UnsafeBufferPointer(start: keyStart, count: keyStart.distance(to: position))
            position += 1
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            guard member(key, &self) else { return false }
            skipWhitespace()
            if take(UInt8(ascii: ",")) { continue }
            return take(UInt8(ascii: "}"))
        }
    }

    /// The string at the scanner, unescaped; nil when the value is not a string or is malformed.
    mutating func string() -> String? {
        skipWhitespace()
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while position < end {
            let byte = position.pointee
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(start: start, count: start.distance(to: position)), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") {
                position = start
                return escapedString()
            }
            if byte < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    /// A string holding escapes (the scanner is just after its opening quote).
    private mutating func escapedString() -> String? {
        var utf8: [UInt8] = []
        while position < end {
            let byte = position.pointee
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < end else { return nil }
                let escape = position.pointee
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate must be followed by `\u` and a low one.
                        guard end - position >= 6, position[0] == UInt8(ascii: "\\"), position[1] == UInt8(ascii: "u")
                        else { return nil }
                        position += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        return nil
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    utf8.append(contentsOf: UTF8.encode(unicode)!)
                default:
                    return nil
                }
            default:
                if byte < 0x20 { return nil }
                utf8.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard end - position >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = position.pointee
            position += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Skips one value of any kind; false when it is malformed.
    mutating func skipValue() -> Bool {
        skipWhitespace()
        guard position < end else { return false }
        switch position.pointee {
        case UInt8(ascii: "\""):
            position += 1
            while position < end {
                let byte = position.pointee
                position += 1
                if byte == UInt8(ascii: "\"") { return true }
                if byte == UInt8(ascii: "\\") {
                    guard position < end else { return false }
                    position += 1
                }
            }
            return false
        case UInt8(ascii: "{"):
            return object { _, scanner in scanner.skipValue() }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if take(UInt8(ascii: "]")) { return true }
            while true {
                guard skipValue() else { return false }
                skipWhitespace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "]"))
            }
        default:
            // A number, true, false or null: up to the next delimiter.
            let start = position
            while position < end {
                switch position.pointee {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D:
                    return position > start
                default: position += 1
                }
            }
            return position > start
        }
    }

    /// Whether only whitespace is left.
    mutating func atEnd() -> Bool {
        skipWhitespace()
        return position == end
    }

    private mutating func skipWhitespace() {
        while position < end {
            switch position.pointee {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard position < end, position.pointee == byte else { return false }
        position += 1
        return true
    }
}

/// A key's raw bytes against a field name.
func isField(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
    key.count == name.utf8CodeUnitCount && (key.count == 0 || memcmp(key.baseAddress!, name.utf8Start, key.count) == 0)
}

/// A record part that can be read by a `ListingScanner`; nil sends the record to `JSONDecoder`.
protocol ScannedPart: Decodable, Sendable {
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Self?
}

extension ListedProject: ScannedPart {
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> ListedProject? {
        guard var scanner = ListingScanner(bytes) else { return nil }
        var key: ProjectKey?
        var name: String?
        let read = scanner.object { field, scanner in
            if isField(field, "key") {
                guard let text = scanner.string(), let value = ProjectKey(rawValue: text) else { return false }
                key = value
                return true
            }
            if isField(field, "name") {
                name = scanner.string()
                return name != nil
            }
            return scanner.skipValue()
        }
        guard read, scanner.atEnd(), let key, let name else { return nil }
        return ListedProject(key: key, name: name)
    }
}

extension ListedConnection: ScannedPart {
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> ListedConnection? {
        guard var scanner = ListingScanner(bytes) else { return nil }
        var project: ProjectKey?
        var state: ConnectionState.StateName?
        var authorization: ListedAuthorization?
        let read = scanner.object { field, scanner in
            if isField(field, "project") {
                guard let text = scanner.string(), let value = ProjectKey(rawValue: text) else { return false }
                project = value
                return true
            }
            if isField(field, "state") {
                state = scanner.string().flatMap(ConnectionState.StateName.init(rawValue:))
                return state != nil
            }
            if isField(field, "authorization") {
                authorization = scanAuthorization(&scanner)
                return authorization != nil
            }
            return scanner.skipValue()
        }
        guard read, scanner.atEnd(), let project, let state else { return nil }
        return ListedConnection(project: project, state: state, authorization: authorization)
    }

    private static func scanAuthorization(_ scanner: inout ListingScanner) -> ListedAuthorization? {
        var workspace: Workspace?
        var appUser: AppUser?
        let read = scanner.object { field, scanner in
            if isField(field, "workspace") {
                var id: String?
                var name: String?
                var region: Region?
                let read = scanner.object { field, scanner in
                    if isField(field, "id") { id = scanner.string(); return id != nil }
                    if isField(field, "name") { name = scanner.string(); return name != nil }
                    if isField(field, "region") {
                        region = scanner.string().flatMap(Region.init(rawValue:))
                        return region != nil
                    }
                    return scanner.skipValue()
                }
                guard read, let id, let name, let region else { return false }
                workspace = Workspace(id: id, name: name, region: region)
                return true
            }
            if isField(field, "appUser") {
                var id: String?
                var email: String?
                var name: String?
                let read = scanner.object { field, scanner in
                    if isField(field, "id") { id = scanner.string(); return id != nil }
                    if isField(field, "email") { email = scanner.string(); return email != nil }
                    if isField(field, "name") { name = scanner.string(); return name != nil }
                    return scanner.skipValue()
                }
                guard read, let id, let email, let name else { return false }
                appUser = AppUser(id: id, email: email, name: name)
                return true
            }
            return scanner.skipValue()
        }
        guard read, let workspace, let appUser else { return nil }
        return ListedAuthorization(workspace: workspace, appUser: appUser)
    }
}
