import CRelinkChecksum
import Foundation
import JournaledFiles

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where one record not yet decoded lies in a snapshot, and what its bytes were at open.
struct RawRecord: Sendable {
    /// The record's first byte, from the start of the file.
    var start: Int
    var count: Int32
    /// The record's line in the file (from 1), to name it when it cannot be read.
    var line: Int32
    /// The CRC-32C of the record's bytes as the open streamed them.
    var crc: UInt32 = 0
    /// Where the record's key lies in its section's key bytes (`LineLayout.keys`), for projects
    /// and connections.
    var keyOffset: Int32 = 0
    var keyLength: UInt8 = 0

    var end: Int { start + Int(count) }
}

/// The snapshot's records not yet decoded, read when they are first used.
///
/// A snapshot opened whole (one without a checksum, read and decoded at open) keeps its bytes in
/// memory. One opened by streaming (`LineLayout.scan`) keeps only its file descriptor, open since
/// the open: a compaction renames a new file over the path, never over the inode held here, so the
/// bytes read later are the ones the open checksummed, unless a program rewrote the file in place.
/// Each record's bytes are then checked against the CRC-32C taken while streaming, and a mismatch
/// is `StoreError.damaged` naming the file and the line (never a crash, never a `SIGBUS` as a
/// mapped file would be when truncated).
final class SnapshotBytes: @unchecked Sendable {
    // @unchecked: every member is immutable after init; `pread` and `fstat` on the descriptor
    // are safe from any thread.
    let url: URL
    private let data: Data?
    private let descriptor: Int32
    private let openedAs: (size: Int, modified: timespec)?

    /// How many bytes a read of consecutive records asks for at once.
    static let runLength = 4 << 20

    /// Bytes held in memory (a snapshot decoded whole at open).
    init(data: Data, url: URL) {
        self.data = data
        self.url = url
        descriptor = -1
        openedAs = nil
    }

    /// Bytes read from `descriptor` when used; the descriptor is closed with this object.
    init(descriptor: Int32, url: URL) {
        self.url = url
        self.descriptor = descriptor
        data = nil
        var info = stat()
        openedAs = fstat(descriptor, &info) == 0 ? (Int(info.st_size), info.st_mtim) : nil
    }

    /// How many of the file's bytes this holds in memory: none when streamed.
    var heldByteCount: Int { data?.count ?? 0 }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether the file held open was written since the open (its size or modification time
    /// moved): a program rewrote it in place. A rename over the path (a compaction) does not
    /// change the file held, nor its modification time (only its change time, which is not
    /// compared for that reason).
    var changedInPlace: Bool {
        guard descriptor >= 0, let openedAs else { return false }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return true }
        return Int(info.st_size) != openedAs.size
            || info.st_mtim.tv_sec != openedAs.modified.tv_sec || info.st_mtim.tv_nsec != openedAs.modified.tv_nsec
    }

    /// One record's bytes, checked against its CRC-32C when read from the file.
    ///
    /// - Throws: `StoreError.damaged` naming the line when the bytes changed since the open;
    ///   `.io` when they cannot be read.
    func bytes(of record: RawRecord) throws(StoreError) -> Data {
        if let data {
            let start = data.startIndex + record.start
            return data[start..<(start + Int(record.count))]
        }
        var result = Data()
        try withBytes(of: [record]) { _, bytes in
            result = Data(bytes)
            return true
        }
        return result
    }

    /// Calls `body` with each record's index and bytes, in order, reading consecutive records
    /// from the file in runs of up to `runLength` bytes through one buffer, each checked against
    /// its CRC-32C. `records` must be in file order; `body` returns false to stop.
    ///
    /// - Throws: `StoreError.damaged` naming the line of a record whose bytes changed since the
    ///   open (or that the file no longer holds); `.io` when it cannot be read.
    func withBytes(
        of records: some RandomAccessCollection<RawRecord>,
        _ body: (_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool
    ) throws(StoreError) {
        let list = Array(records)
        guard !list.isEmpty else { return }
        if let data {
            data.withUnsafeBytes { buffer in
                let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
                for (index, record) in list.enumerated()
                where !body(index, UnsafeBufferPointer(start: base + record.start, count: Int(record.count))) {
                    return
                }
            }
            return
        }
        let longest = list.reduce(0) { max($0, Int($1.count)) }
        let capacity = max(min(Self.runLength, list.last!.end - list.first!.start), longest, 1)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var first = 0
        while first < list.count {
            // The run: records from `first` while their span fits the buffer.
            let runStart = list[first].start
            var last = first
            while last + 1 < list.count, list[last + 1].end - runStart <= capacity { last += 1 }
            let runLength = list[last].end - runStart
            var filled = 0
            while filled < runLength {
                let n = pread(descriptor, buffer + filled, runLength - filled, off_t(runStart + filled))
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw StoreError.io(url, "read", errno: errno)
                }
                if n == 0 { break }
                filled += n
            }
            let base = buffer.assumingMemoryBound(to: UInt8.self)
            for index in first...last {
                let record = list[index]
                let offset = record.start - runStart
                guard offset + Int(record.count) <= filled else {
                    throw .damaged(
                        file: url.path,
                        problem: "line \(record.line): the file was cut short since relink opened it (another "
                            + "program changed it in place); open the store again")
                }
                let bytes = UnsafeBufferPointer(start: base + offset, count: Int(record.count))
                let crc = relink_crc32c(0, bytes.baseAddress, bytes.count)
                guard crc == record.crc else {
                    throw .damaged(
                        file: url.path,
                        problem: "line \(record.line): its bytes changed since relink opened the store "
                            + "(CRC-32C \(JournalLineChecksum.format(record.crc)) at open, "
                            + "\(JournalLineChecksum.format(crc)) now): another program rewrote the file in place; "
                            + "open the store again")
                }
                if !body(index, bytes) { return }
            }
            first = last + 1
        }
    }

    /// Each record's bytes, in order (see `withBytes`).
    func lines(of records: some RandomAccessCollection<RawRecord>) throws(StoreError) -> [Data] {
        var lines: [Data] = []
        lines.reserveCapacity(records.count)
        try withBytes(of: records) { _, bytes in
            lines.append(Data(bytes))
            return true
        }
        return lines
    }
}
