#ifndef RELINK_INTERRUPTS_H
#define RELINK_INTERRUPTS_H
// SIGINT, SIGTERM and SIGHUP as bytes on a pipe (the self-pipe pattern): the handler only writes
// the signal's number, which is async-signal-safe, and whoever waits (the line editor's read,
// the watcher of a running command) polls the pipe's read end beside anything else it waits for.
// In C because a signal handler may touch nothing but async-signal-safe calls and plain globals.

/// Installs the handlers (with SA_RESTART, so no other read or write of relink sees EINTR) and
/// returns the pipe's read end (non-blocking), or -1. Later calls return the same descriptor.
int relink_interrupts_install(void);

/// The pipe's read end, or -1 before relink_interrupts_install.
int relink_interrupts_descriptor(void);

/// The next signal's number waiting on the pipe, or 0 when none is waiting. Never blocks.
int relink_interrupts_take(void);

/// Puts SIGINT, SIGTERM and SIGHUP back to their default actions.
void relink_interrupts_uninstall(void);
#endif
