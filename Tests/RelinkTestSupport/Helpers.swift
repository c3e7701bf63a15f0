import Foundation
import Logging
import Synchronization

/// A logger that drops everything: for tests that do not look at logs.
public let quietLogger = Logger(label: "relink.tests") { _ in SwiftLogNoOpLogHandler() }

/// Records the waits a ``RetryPolicy`` asks for, and returns at once.
public final class SleepRecorder: Sendable {
    public init() {}

    private let waits = Mutex<[Duration]>([])

    public var recorded: [Duration] { waits.withLock { $0 } }

    public var sleep: @Sendable (Duration) async throws -> Void {
        { duration in self.waits.withLock { $0.append(duration) } }
    }
}

/// Counts calls and remembers results across `@Sendable` closures.
public final class Box<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    public init(_ value: Value) {
        storage = Mutex(value)
    }

    public var value: Value { storage.withLock { $0 } }

    public func update(_ change: (inout Value) -> Void) {
        storage.withLock { change(&$0) }
    }
}

extension Result {
    /// The failure, or `nil` on success.
    public var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
