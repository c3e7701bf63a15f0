import Foundation
import RelinkCore
@_spi(Benchmarks) import RelinkStore

/// Where opening a store spends its time (`relink-bench open-profile DIR`): reading the snapshot,
/// finding its lines, decoding projects and connections on one thread, then the store's own open.
enum OpenProfile {
    static func measure(store directory: URL) throws -> [(String, Double)] {
        let clock = ContinuousClock()
        var phases: [(String, Double)] = []
        var mark = clock.now
        func lap(_ name: String) {
            let now = clock.now
            let elapsed = now - mark
            phases.append(
                (name, Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15))
            mark = now
        }
        let data = try Data(contentsOf: directory.appendingPathComponent("state.json"))
        lap("read")
        guard let layout = LineLayout(data) else { return phases }
        lap("layout (\(layout.recordCount) records)")
        _ = SnapshotChecksum.update(0, data)
        lap("CRC-32C of the file (\(SnapshotChecksum.isHardware ? "SSE4.2" : "table"))")
        _ = try Store(directory: directory, options: .init(durable: false))
        lap("Store(directory:) (lazy)")
        let store = try Store(directory: directory, options: .init(durable: false))
        lap("Store(directory:) again")
        _ = try store.projects
        _ = try store.connections
        lap("decode every project and connection (parallel)")
        return phases
    }

}
