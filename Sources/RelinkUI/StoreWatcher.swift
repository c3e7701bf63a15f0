import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Notices changes any process makes to the store by polling its files' identity (inode, size,
/// modification time) every `interval`, and tells each subscriber the store changed.
///
/// Polling, not inotify: a commit by another process appends to `journal.jsonl` or renames a new
/// `state.json` over the old one, and a `stat` of a handful of files every 50 ms costs nothing
/// measurable while catching both, on any file system (inotify misses changes made through NFS
/// or another mount namespace).
actor StoreWatcher {
    /// What changed since the last tick.
    struct Change: Sendable, Equatable {
        /// Counts changes of the store's records; the page re-fetches when it moves.
        var generation: Int
        /// The mock's world changed (a `break` in another process), not only relink's records.
        var worldChanged: Bool
    }

    private let recordFiles: [String]
    private let worldFile: String
    private let interval: Duration
    private var fingerprints: [String: FileFingerprint] = [:]
    private var generation = 0
    /// Behind a mutex rather than the actor, so that a stream whose reader went away is removed
    /// at once from its termination handler, without a task of its own.
    private let subscribers = Subscribers()
    private var polling: Task<Void, Never>?
    /// Ticks since the last heartbeat: every `heartbeatTicks` subscribers hear the unchanged
    /// generation, so an event stream to a closed tab fails its write and ends.
    private var quietTicks = 0
    private let heartbeatTicks: Int

    init(directory: URL, interval: Duration = .milliseconds(50)) {
        // The files whose change another process's commit makes; secrets too, since a lost token
        // turns a connection yellow. Only their identity is read, never their bytes.
        recordFiles = ["state.json", "journal.jsonl", "secrets.json", "secrets.jsonl", "settings.json"].map {
            directory.appendingPathComponent($0).path
        }
        worldFile = directory.appendingPathComponent("world.json").path
        self.interval = interval
        let milliseconds = max(
            1, interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)
        heartbeatTicks = Int(max(1, 15_000 / milliseconds))
    }

    /// Starts polling; the first tick only records what the files are.
    func start() {
        guard polling == nil else { return }
        for path in recordFiles + [worldFile] { fingerprints[path] = FileFingerprint(path: path) }
        let interval = interval
        polling = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                await self.tick()
            }
        }
    }

    /// Stops polling and ends every subscriber's stream (an open event stream then closes).
    func stop() {
        polling?.cancel()
        polling = nil
        let ended = subscribers.list.withLock { subscribers in
            defer { subscribers.removeAll() }
            return Array(subscribers.values)
        }
        for continuation in ended { continuation.finish() }
    }

    /// The changes from now on; the stream ends when the watcher stops or the caller stops reading.
    nonisolated func changes() -> AsyncStream<Change> {
        let (stream, continuation) = AsyncStream.makeStream(of: Change.self, bufferingPolicy: .bufferingNewest(8))
        let id = UUID()
        continuation.onTermination = { [subscribers] _ in
            _ = subscribers.list.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.list.withLock { $0[id] = continuation }
        return stream
    }

    var currentGeneration: Int { generation }

    private func broadcast(_ change: Change) {
        for continuation in subscribers.list.withLock({ Array($0.values) }) { continuation.yield(change) }
    }

    /// Compares each file's identity with the last tick's.
    func tick() {
        var recordsChanged = false
        for path in recordFiles {
            let now = FileFingerprint(path: path)
            if now != fingerprints[path] {
                fingerprints[path] = now
                recordsChanged = true
            }
        }
        let world = FileFingerprint(path: worldFile)
        let worldChanged = world != fingerprints[worldFile]
        fingerprints[worldFile] = world
        guard recordsChanged || worldChanged else {
            quietTicks += 1
            if quietTicks >= heartbeatTicks {
                quietTicks = 0
                broadcast(Change(generation: generation, worldChanged: false))
            }
            return
        }
        quietTicks = 0
        generation += 1
        broadcast(Change(generation: generation, worldChanged: worldChanged))
    }
}

/// The open streams, shared by reference with their termination handlers.
final class Subscribers: Sendable {
    let list = Mutex<[UUID: AsyncStream<StoreWatcher.Change>.Continuation]>([:])
}

/// A file's identity as `stat` tells it: a rename over the path changes the inode, an append the
/// size, a rewrite in place the modification time.
struct FileFingerprint: Equatable, Sendable {
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    /// nil when the file does not exist (yet).
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
