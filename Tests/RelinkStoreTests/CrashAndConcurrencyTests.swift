import Foundation
import RelinkCore
import RelinkTestSupport
import Testing

@testable import RelinkStore

@Suite("The store under crashes and concurrent writers")
struct CrashAndConcurrencyTests {
    /// A child commits in a loop and is killed with SIGKILL at a random moment, many times over the
    /// same store. Each time the store must open with every acknowledged change and no torn one.
    @Test func everyAcknowledgedChangeSurvivesKill9AtAnyInstant() async throws {
        let directory = try TemporaryDirectory()
        let storeDirectory = directory.file("store")
        let torture = try builtExecutable("store-torture")
        var generator = SystemRandomNumberGenerator()
        var acknowledgedTotal = 0
        var landedTotal = 0
        for round in 0..<25 {
            let prefix = "R\(round)X"
            // A small compaction threshold so that some kills land in the middle of a compaction.
            let child = try ChildProcess(torture, [storeDirectory.path, prefix, "100000", "8192"])
            let killAfter = Int.random(in: 1...60, using: &generator)
            var acknowledged = Set<Int>()
            while acknowledged.count < killAfter, let line = await child.nextLine() {
                if let index = Int(line.dropFirst(4)) { acknowledged.insert(index) }
            }
            await child.kill()
            while let line = await child.nextLine() {  // acks printed before the kill count too
                if let index = Int(line.dropFirst(4)) { acknowledged.insert(index) }
            }

            let store = try Store(directory: storeDirectory)
            let landed = store.projectKeys.filter { $0.rawValue.hasPrefix(prefix) }
            for index in acknowledged {
                let project = try #require(
                    try store.project(ProjectKey(rawValue: "\(prefix)\(index)")!), "round \(round): ack \(index) lost")
                #expect(project.name == "project \(prefix) \(index)")
            }
            // At most the one change in flight when the kill came may have landed unacknowledged.
            #expect(landed.count == acknowledged.count || landed.count == acknowledged.count + 1, "round \(round)")
            acknowledgedTotal += acknowledged.count
            landedTotal += landed.count
            #expect(
                try store.project("CNT")?.name == String(landedTotal), "the counter counts exactly the changes that landed")
        }
        #expect(acknowledgedTotal > 25)
    }

    /// Several processes commit to one store at once; each change increments a shared counter
    /// (a read-modify-write). Nothing may be lost: every project is there, the counter is exact.
    @Test func concurrentWriterProcessesLoseNothing() async throws {
        let directory = try TemporaryDirectory()
        let storeDirectory = directory.file("store")
        let torture = try builtExecutable("store-torture")
        let writers = 4
        let commits = 150
        let children = try (0..<writers).map { writer in
            try ChildProcess(torture, [storeDirectory.path, "W\(writer)X", String(commits), "16384"])
        }
        for child in children {
            var acks = 0
            while await child.nextLine() != nil { acks += 1 }
            await child.process.waitForExit()
            #expect(child.process.terminationStatus == 0)
            #expect(acks == commits)
        }
        let store = try Store(directory: storeDirectory)
        #expect(store.projectCount == writers * commits + 1)
        #expect(try store.project("CNT")?.name == String(writers * commits))
    }

    @Test func aProcessSeesAnotherProcesssCommitsAfterRefresh() throws {
        let directory = try TemporaryDirectory()
        let first = try Store(directory: directory.url, options: .init(compactionThreshold: 1024))
        let second = try Store(directory: directory.url, options: .init(compactionThreshold: 1024))
        for i in 0..<40 {  // past several compactions by the first
            try first.update { $0.put(Project(key: ProjectKey(rawValue: "P\(i)")!, name: "p", jiraSite: "s")) }
        }
        #expect(second.projectCount == 0)
        try second.refresh()
        #expect(second.projectCount == 40)
        try second.update { $0.put(Project(key: "Q", name: "q", jiraSite: "s")) }
        try first.refresh()
        #expect(first.projectCount == 41)
    }
}
