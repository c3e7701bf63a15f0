import Foundation
import RelinkCore
import RelinkStore
import SupportBundles

#if canImport(Glibc)
    import Glibc
#endif

extension CommandExecutor {
    /// `import PATH [--replace]`: the bundle is checked whole before the store is touched, and a
    /// store that holds projects is replaced only when the person says so (`--replace`, or yes
    /// at the REPL's question).
    func importBundle(from path: String, replace: Bool) async throws -> String {
        if services.isRealAPI {
            throw CommandFailure.importNeedsMock
        }
        if !services.isBuiltInMock {
            throw CommandFailure.importNeedsBuiltInMock(
                intercom: services.intercomDescription, store: store.directory.path)
        }
        let contents = try SupportBundle.read(URL(fileURLWithPath: path, isDirectory: true))
        var replace = replace
        let held = store.projectCount
        if !replace, held > 0, interactive, isatty(STDIN_FILENO) == 1 {
            guard
                try await TerminalInteraction(feedback: feedback, width: style.width).confirm(
                    "\(store.directory.path) holds \(held) project(s). Replace everything in it with the bundle "
                        + "(the old files are kept in backups/)?")
            else { throw CommandFailure.importCancelled }
            replace = true
        }
        let summary = try store.importBundle(contents, replace: replace)
        await services.storeReplaced()
        let text = Self.importReport(summary, contents: contents, path: path)
        return presenter.report(
            text, document: Documents.Import(summary, manifest: contents.manifest, path: path, message: text))
    }

    static func importReport(_ summary: SupportBundle.ImportSummary, contents: SupportBundle.Contents, path: String)
        -> String
    {
        let manifest = contents.manifest
        var lines = [
            "Imported \(summary.projects) projects, \(summary.connections) connections and \(summary.events) events "
                + "from \(path) (exported \(TextRenderer.time(manifest.exportedAt)) by relink \(manifest.relinkVersion))"
                + (summary.replacedProjects > 0 ? ", replacing the store's \(summary.replacedProjects) projects." : ".")
        ]
        lines.append(
            (summary.worldFromBundle
                ? "The mock's world is rebuilt as the bundle recorded it"
                : "The bundle holds no mock world (an export from the real API): the mock's world is made from the connections")
                + ", with fresh fake secrets, since the bundle's were redacted: \(summary.tokensMinted) tokens, "
                + "\(summary.passwordsMinted) teammate passwords and an OAuth client secret.")
        for guess in summary.guessedCauses {
            lines.append(
                "\(guess.project): the bundle has no ground truth for why it broke; its token is killed by "
                    + "\(guess.cause.rawValue), a guess that fits the recorded evidence.")
        }
        lines.append("check --all shows each project as the bundle recorded it.")
        return lines.joined(separator: "\n")
    }
}
