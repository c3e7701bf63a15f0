import Foundation
import JournaledFiles

/// The REPL's history (`history`): a file of the store like the others, reached only through it.
extension Store {
    /// The last `limit` lines of the REPL's history, oldest first.
    ///
    /// - Throws: `StoreError.notARegularFile` when something else is in the file's place.
    public func historyLines(limit: Int = 1000) throws -> [String] {
        try lock.withLock { () throws(StoreError) -> [String] in
            guard let data = try StoreFile.read(historyURL) else { return [] }
            return String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(limit).map(String.init)
        }
    }

    /// Appends one line to the REPL's history, a file of mode 0600 (also when something else
    /// created it more openly). The caller keeps lines that carry a secret out of it.
    ///
    /// - Throws: `StoreError.notARegularFile` when something else is in the file's place,
    ///   `StoreError.io` when the line cannot be written.
    public func appendHistory(_ line: String) throws {
        try withFileLock(exclusive: true) { () throws in
            // Refuses a link or device in the file's place, never creating a dangling link's target.
            try StoreFile.append(Data((line + "\n").utf8), to: historyURL, mode: 0o600)
        }
    }
}
