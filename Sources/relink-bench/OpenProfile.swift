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
        lap("layout")
        let decoder = StoreCoding.decoder()
        _ = try decoder.decode([Project].self, from: joined(layout.records["projects"] ?? []))
        lap("decode projects (1 thread)")
        _ = try decoder.decode([Connection].self, from: joined(layout.records["connections"] ?? []))
        lap("decode connections (1 thread)")
        _ = try Store(directory: directory, options: .init(durable: false))
        lap("Store(directory:) (parallel)")
        return phases
    }

    /// The records as one JSON array.
    private static func joined(_ records: [LineLayout.Record]) -> Data {
        var array = Data("[".utf8)
        for (index, record) in records.enumerated() {
            if index > 0 { array.append(0x2C) }
            array.append(record.bytes)
        }
        array.append(0x5D)
        return array
    }
}
