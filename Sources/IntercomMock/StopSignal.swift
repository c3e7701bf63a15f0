import Synchronization

/// Fired once when the mock stops: injected latency ends early then, so a mock with a long latency
/// fault stops at once instead of holding its graceful shutdown (and relink's exit) for the delay.
final class StopSignal: Sendable {
    private struct State {
        var fired = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var watchers: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Ends every wait, now and later.
    func fire() {
        let waiting = state.withLock { state in
            state.fired = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Waits for `duration` (the fault being simulated, not a synchronisation), or until the
    /// signal fires or the task is cancelled. Returns whether it was cut short by the signal.
    func sleep(for duration: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await Task.sleep(for: duration)
                return false
            }
            group.addTask {
                await self.wait()
                return !Task.isCancelled
            }
            let stopped = await group.next() ?? false
            group.cancelAll()
            return stopped
        }
    }

    /// Returns once someone waits (a request sleeping in a latency fault): for tests that must
    /// stop the mock while a request is held.
    func someoneWaits() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if !state.waiters.isEmpty { return true }
                state.watchers.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func wait() async {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (resumeNow, watchers) = state.withLock { state in
                    if state.fired { return (true, [CheckedContinuation<Void, Never>]()) }
                    state.waiters[id] = continuation
                    defer { state.watchers.removeAll() }
                    return (false, state.watchers)
                }
                for watcher in watchers { watcher.resume() }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
