import Foundation

/// Why the store could not be opened or changed, naming the file and what to do.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file is damaged: truncated, not JSON, wrong types, a damaged journal line. Its bytes
    /// are left as they are for inspection.
    case damaged(file: String, problem: String)
    /// A file was written by a newer relink than this one.
    case newerSchema(file: String, found: Int, supported: Int)
    /// A file was written by an older relink; opening the store migrates it (keeping a backup).
    case olderSchema(file: String, found: Int)
    /// A system call failed.
    case io(file: String, operation: String, reason: String)
    /// Something other than a regular file (a symbolic link, device, pipe, directory) is where
    /// one of the store's files belongs. It is neither followed nor read nor written.
    case notARegularFile(file: String, found: String)
    /// A file the rest of the store depends on is not there; nothing was changed.
    case missing(file: String, problem: String)
    /// The store can be read but not changed by this user (or on this file system).
    case readOnly(directory: String, reason: String)

    public var description: String {
        switch self {
        case .damaged(let file, let problem):
            "\(file): \(problem). The file was left untouched; repair it or move it aside, then try again."
        case .newerSchema(let file, let found, let supported):
            "\(file): written by a newer relink (schema version \(found); this relink reads versions up to "
                + "\(supported)). The file was left untouched; use a newer relink."
        case .olderSchema(let file, let found):
            "\(file): schema version \(found) is older than this relink's; open the store to migrate it."
        case .io(let file, let operation, let reason):
            "\(file): cannot \(operation): \(reason). Check the file's owner and permissions and that the disk "
                + "has room, then try again."
        case .notARegularFile(let file, let found):
            "\(file): this is \(found), not a regular file; relink keeps its store only in regular files and "
                + "never follows or writes through anything else. Nothing was changed. Put the real file in its "
                + "place (or move this aside), then try again."
        case .missing(let file, let problem):
            "\(file): the file is missing, \(problem). Nothing was changed; restore the file (backups/ may hold a "
                + "copy), then try again."
        case .readOnly(let directory, let reason):
            "\(directory): this store is read-only for you (\(reason)), so relink shows it but refuses changes. "
                + "Ask its owner to change it, or copy it (cp -r) and work on the copy."
        }
    }

    package static func io(_ url: URL, _ operation: String, errno code: Int32 = errno) -> StoreError {
        .io(file: url.path, operation: operation, reason: String(cString: strerror(code)))
    }

    /// Turns a decoding failure into a message that names the place in the file and the problem.
    package static func damaged(_ url: URL, decoding error: any Error, data: Data) -> StoreError {
        .damaged(file: url.path, problem: describe(error, data: data))
    }

    package static func describe(_ error: any Error, data: Data) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.reduce(into: "") { text, key in
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case let error as SnapshotContentError:
            return error.problem
        case DecodingError.typeMismatch(let type, let context):
            return "wrong type at \(path(context)): expected \(typeName(type))"
        case DecodingError.valueNotFound(let type, let context):
            return "missing value at \(path(context)): expected \(typeName(type))"
        case DecodingError.keyNotFound(let key, let context):
            let container = path(context)
            return "missing field \"\(key.stringValue)\"" + (container == "the top level" ? "" : " in \(container)")
        case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty:
            return "bad value at \(path(context)): \(context.debugDescription)"
        case DecodingError.dataCorrupted:
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
            if data.isEmpty { return "empty file (truncated?)" }
            let first = data.first(where: { !isSpace($0) })
            let last = data.reversed().first(where: { !isSpace($0) })
            let opens = first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
            if opens, last != UInt8(ascii: "}"), last != UInt8(ascii: "]") {
                return "truncated: the JSON document ends early (\(data.count) bytes)"
            }
            return "not valid JSON"
        default:
            return "unreadable: \(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default:
            String(describing: type).contains("Array") ? "a list" : "an object"
        }
    }
}

/// A snapshot whose JSON decodes but whose records contradict each other (two records with one
/// key, a connection without its project).
package struct SnapshotContentError: Error {
    package var problem: String

    package init(problem: String) { self.problem = problem }
}
