/// What the `world` and `mock …` commands ask of a running mock beyond ``WorldControl``: its world
/// without secrets, its faults, its request journal, and a reset.
///
/// `MockControlClient` answers over the control API under `/__mock/`; the command line knows only
/// this protocol, never the HTTP client behind it. Every call throws ``MockControlError`` when the
/// mock refuses it or cannot be reached.
public protocol MockControl: WorldControl {
    /// The world, without any secret.
    func world() async throws(MockControlError) -> RedactedWorld

    /// Installs a fault; answers it with its id and the seed in use.
    func addFault(_ spec: FaultSpec) async throws(MockControlError) -> FaultInfo

    /// The installed faults, in the order they are tried.
    func faults() async throws(MockControlError) -> [FaultInfo]

    /// Removes one fault; throws (404) when there is none with that id.
    func removeFault(id: String) async throws(MockControlError)

    /// Removes every fault.
    func removeAllFaults() async throws(MockControlError)

    /// The most recent journal entries, oldest first (tokens redacted); all of them when `limit` is nil.
    func journal(limit: Int?) async throws(MockControlError) -> [JournalEntry]

    /// Puts the world back to its baseline and clears faults, journal and rate-limit counters.
    func reset() async throws(MockControlError)

    /// Makes the workspace's IP allowlist refuse the machine relink runs on, or lets it in again.
    func setAllowlistRefuses(_ refuses: Bool, workspace: String) async throws(MockControlError) -> RedactedWorld
}
