import CInterrupts
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A signal that stops what relink is doing: Ctrl-C (SIGINT), or SIGTERM and SIGHUP, which end
/// relink after the same clean-up.
public enum Interrupt: Sendable, Equatable {
    case interrupt
    case terminate(signal: Int32)

    init?(signal: Int32) {
        switch signal {
        case SIGINT: self = .interrupt
        case SIGTERM, SIGHUP: self = .terminate(signal: signal)
        default: return nil
        }
    }

    /// The shell's convention: 128 + the signal's number (130 for SIGINT).
    public var exitStatus: Int32 {
        switch self {
        case .interrupt: 128 + SIGINT
        case .terminate(let signal): 128 + signal
        }
    }

    /// The more severe of two: a termination outranks an interrupt.
    func combined(with other: Interrupt?) -> Interrupt {
        guard let other else { return self }
        if case .terminate = other { return other }
        return self
    }
}

/// SIGINT, SIGTERM and SIGHUP as events relink reads rather than as the end of the process.
///
/// The handlers (in C, `CInterrupts`) write the signal's number to a pipe. There is one reader at
/// a time: while a line is edited, the line editor's read polls the pipe beside the keyboard;
/// while a command runs, ``cancellable(_:)``'s watcher thread polls it and cancels the command's
/// task. Only the composition root installs them (``install()``), so library code and tests that
/// run commands in-process keep the default actions.
public enum Interrupts {
    /// Installs the handlers; returns the pipe's read end. Idempotent.
    @discardableResult
    public static func install() -> Int32 {
        relink_interrupts_install()
    }

    /// Puts the default actions back.
    public static func uninstall() {
        relink_interrupts_uninstall()
    }

    /// Every signal waiting on the pipe, as one interrupt (a termination outranks Ctrl-C), or nil.
    static func take() -> Interrupt? {
        var result: Interrupt?
        while case let number = relink_interrupts_take(), number != 0 {
            if let interrupt = Interrupt(signal: number) { result = interrupt.combined(with: result) }
        }
        return result
    }

    /// Runs `operation` in a task of its own that SIGINT, SIGTERM or SIGHUP cancels, and returns
    /// its value with the interrupt that cancelled it, if one came. The operation sees the
    /// cancellation as Swift task cancellation (the HTTP client cancels its request, a retry stops
    /// waiting) and returns what it has. When the handlers are not installed it simply runs.
    public static func cancellable<T: Sendable>(
        _ operation: @escaping @Sendable () async -> T
    ) async -> (value: T, interrupt: Interrupt?) {
        let descriptor = relink_interrupts_descriptor()
        guard descriptor >= 0 else { return (await operation(), nil) }
        let task = Task { await operation() }
        let watcher = Watcher(signals: descriptor) { task.cancel() }
        let value = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        return (value, watcher.stop())
    }
}

/// A thread that waits for signals on the pipe while one command runs, and cancels it on the
/// first; ``stop()`` ends it, after which the pipe has no other reader than the line editor.
private final class Watcher: Sendable {
    private let stopPipe: (read: Int32, write: Int32)
    private let received = Mutex<Interrupt?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    init(signals: Int32, onInterrupt: @escaping @Sendable () -> Void) {
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        } else {
            ends = [-1, -1]
        }
        stopPipe = (ends[0], ends[1])
        let stopDescriptor = ends[0]
        Thread.detachNewThread { [self] in
            defer { finished.signal() }
            guard stopDescriptor >= 0 else { return }
            while true {
                var descriptors = [
                    pollfd(fd: signals, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: stopDescriptor, events: Int16(POLLIN), revents: 0),
                ]
                let ready = poll(&descriptors, 2, -1)
                if ready < 0 {
                    if errno == EINTR { continue }
                    return
                }
                if descriptors[1].revents != 0 { return }
                guard descriptors[0].revents != 0, let interrupt = Interrupts.take() else { continue }
                received.withLock { $0 = interrupt.combined(with: $0) }
                onInterrupt()
            }
        }
    }

    /// Ends the thread and returns the interrupt it saw, if any.
    func stop() -> Interrupt? {
        var byte: UInt8 = 0
        if stopPipe.write >= 0 { _ = write(stopPipe.write, &byte, 1) }
        finished.wait()
        if stopPipe.read >= 0 {
            close(stopPipe.read)
            close(stopPipe.write)
        }
        return received.withLock { $0 }
    }
}
