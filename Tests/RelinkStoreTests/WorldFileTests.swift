import Foundation
import IntercomMockWorld
import RelinkStore
import RelinkTestSupport
import Testing

@testable import IntercomMockStore

@Suite("The mock's world in the store")
struct WorldFileTests {
    @Test("Two processes changing the world at once lose none of each other's changes")
    func concurrentProcesses() async throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url)
        try store.replaceWorld(with: MockWorld())
        let torture = try builtExecutable("store-torture")
        let changes = 40
        let children = try ["A", "B"].map { prefix in
            try ChildProcess(torture, ["world", directory.url.path, prefix, String(changes)])
        }
        for child in children {
            var acks = 0
            while await child.nextLine() != nil { acks += 1 }
            await child.process.waitForExit()
            #expect(child.process.terminationStatus == 0)
            #expect(acks == changes)
        }
        let world = try #require(try store.loadWorld())
        #expect(world.teammates.count == 2 * changes)
        // Every change read the world the other process had just saved: the serial counted them all.
        #expect(world.nextSerial == 1 + 2 * changes)
    }

    @Test("A damaged world.json is named with its problem and never overwritten")
    func damagedWorld() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url)
        let damage = Data(#"{"workspaces": [ {"idCode": 3 "#.utf8)
        try damage.write(to: directory.file("world.json"))
        #expect {
            try store.loadWorld()
        } throws: { error in
            "\(error)".contains(directory.file("world.json").path) && "\(error)".contains("not a valid mock world")
        }
        #expect(throws: StoreError.self) { try store.updateWorld { $0.nextSerial += 1 } }
        #expect(throws: StoreError.self) { try store.replaceWorld(with: MockWorld()) }
        #expect(try Data(contentsOf: directory.file("world.json")) == damage)
    }

    @Test("History lines are appended at mode 0600 and read back in order")
    func history() throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.url)
        try store.appendHistory("show SUP")
        try store.appendHistory("check --all")
        #expect(try store.historyLines() == ["show SUP", "check --all"])
        #expect(try store.historyLines(limit: 1) == ["check --all"])
        let mode =
            try FileManager.default.attributesOfItem(atPath: directory.file("history").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
