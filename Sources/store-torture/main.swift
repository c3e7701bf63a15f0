// A child process for the store's crash and concurrency tests (Tests/RelinkStoreTests).
//
//   store-torture STORE PREFIX COUNT [COMPACT_BYTES]
//
// Commits COUNT changes to the store in STORE. Commit i adds project PREFIX<i> and increments the
// shared counter project CNT (a read-modify-write, so a lost update shows), then prints "ack i"
// and flushes: a line printed is a change the store reported as done.
//
//   store-torture world STORE PREFIX COUNT
//
// Changes the mock's world in STORE COUNT times through the store: change i adds teammate
// PREFIX<i>@torture.test and increments the world's serial (a read-modify-write), then prints
// "ack i". Two of these at once show whether one process saves a stale world over the other's.
//
//   store-torture import STORE COUNT BUNDLE…
//
// Imports the support bundles into STORE in turn, COUNT imports in all, each replacing what the
// store holds, and prints "ack i" after import i. The import tests kill it at random instants: the
// store must then hold one bundle's case whole.
import Foundation
import IntercomMockStore
import IntercomMockWorld
import RelinkCore
import RelinkStore
import SupportBundles

let arguments = CommandLine.arguments
if arguments.count >= 5, arguments[1] == "import", let count = Int(arguments[3]) {
    do {
        let store = try Store(directory: URL(fileURLWithPath: arguments[2]))
        let bundles = try arguments[4...].map { try SupportBundle.read(URL(fileURLWithPath: $0, isDirectory: true)) }
        for i in 0..<count {
            _ = try store.importBundle(bundles[i % bundles.count], replace: true)
            FileHandle.standardOutput.write(Data("ack \(i)\n".utf8))
        }
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("store-torture: \(error)\n".utf8))
        exit(1)
    }
}
if arguments.count == 5, arguments[1] == "world", let count = Int(arguments[4]) {
    do {
        let store = try Store(directory: URL(fileURLWithPath: arguments[2]))
        for i in 0..<count {
            _ = try store.updateWorld { world in
                world.addTeammate(
                    id: "\(world.takeSerial())", email: "\(arguments[3])\(i)@torture.test", name: "Torture \(i)",
                    password: "fake", workspaces: [])
            }
            FileHandle.standardOutput.write(Data("ack \(i)\n".utf8))
        }
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("store-torture: \(error)\n".utf8))
        exit(1)
    }
}
guard arguments.count >= 4, let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: store-torture STORE PREFIX COUNT [COMPACT_BYTES]\n".utf8))
    exit(2)
}
let prefix = arguments[2]
let options = Store.Options(durable: true, compactionThreshold: arguments.count > 4 ? Int(arguments[4]) : nil)
do {
    let store = try Store(directory: URL(fileURLWithPath: arguments[1]), options: options)
    for i in 0..<count {
        try store.update { transaction in
            let key = ProjectKey(rawValue: "\(prefix)\(i)")!
            transaction.put(Project(key: key, name: "project \(prefix) \(i)", jiraSite: "torture.atlassian.net"))
            var counter =
                try transaction.project("CNT") ?? Project(key: "CNT", name: "0", jiraSite: "torture.atlassian.net")
            counter.name = String((Int(counter.name) ?? 0) + 1)
            transaction.put(counter)
        }
        FileHandle.standardOutput.write(Data("ack \(i)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("store-torture: \(error)\n".utf8))
    exit(1)
}
