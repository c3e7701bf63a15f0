#ifndef RELINK_PSEUDO_TERMINAL_H
#define RELINK_PSEUDO_TERMINAL_H
#include <sys/types.h>

/// Starts `path` with `argv` and `envp` in a new session whose controlling terminal is a new
/// pseudo-terminal of `rows`×`columns`; stores the master side in `*master`. Returns the child's
/// pid, or -1. forkpty and exec live in C because the child may only make async-signal-safe calls
/// between fork and exec, which Swift cannot promise.
pid_t relink_spawn_in_pty(const char *path, char *const argv[], char *const envp[], int rows, int columns, int *master);
#endif
