import Foundation

/// Where the mock's world is kept between runs.
public protocol WorldPersistence: Sendable {
    /// The saved world, or `nil` when none was saved yet. Throws when one exists but cannot be read.
    func loadWorld() throws -> MockWorld?
    /// Saves the world, replacing the previous one atomically.
    func saveWorld(_ world: MockWorld) throws
}

/// Why a world file could not be used; names the file and the problem.
public struct WorldFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var description: String {
        "\(path): \(problem). The file was left untouched; fix or move it away and start again."
    }
}

/// Keeps the world as pretty, key-sorted JSON in one file (`world.json` in relink's store),
/// written atomically: a temporary file in the same directory, fsync, rename.
///
/// A damaged file is never overwritten: once loading failed, saving refuses too, so the bytes stay
/// there for inspection.
public struct FileWorldPersistence: WorldPersistence {
    public let fileURL: URL
    private let damaged = DamageFlag()

    public init(fileURL: URL) {
        self.fileURL = fileURL
    }

    /// Throws ``WorldFileError`` when the file exists but is not a valid world.
    public func loadWorld() throws -> MockWorld? {
        let data: Data
        do {
            data = try Data(contentsOf: fileURL)
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return nil
        } catch {
            damaged.set()
            throw WorldFileError(path: fileURL.path, problem: "cannot be read (\(error.localizedDescription))")
        }
        do {
            return try MockWorld.decoder.decode(MockWorld.self, from: data)
        } catch {
            damaged.set()
            throw WorldFileError(path: fileURL.path, problem: "is not a valid mock world (\(Self.describe(error)))")
        }
    }

    /// Throws ``WorldFileError`` when the file was found damaged, or on an I/O failure.
    public func saveWorld(_ world: MockWorld) throws {
        if damaged.isSet {
            throw WorldFileError(path: fileURL.path, problem: "was damaged when loaded and will not be overwritten")
        }
        let data = try MockWorld.encoder.encode(world)
        let directory = fileURL.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(fileURL.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw WorldFileError(path: temporary.path, problem: "cannot be created")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            // fsync before rename, so a crash leaves either the old or the new world, never a torn one.
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw WorldFileError(path: fileURL.path, problem: "cannot be written (\(error.localizedDescription))")
        }
        guard rename(temporary.path, fileURL.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw WorldFileError(path: fileURL.path, problem: "cannot be replaced (\(reason))")
        }
        // fsync the directory too, so the rename itself survives a crash.
        let directoryFD = open(directory.path, O_RDONLY)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return "corrupt JSON: \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(Self.path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong value at \(Self.path(context.codingPath)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// Remembers that a load found the file damaged. A class so that the flag survives copies of the
/// persistence value; `@unchecked Sendable` is safe because the flag is only touched under the lock.
private final class DamageFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

extension MockWorld {
    /// Pretty, key-sorted, ISO 8601 dates: a world a person can read and diff.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
