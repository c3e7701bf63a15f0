#ifndef RELINK_CLIBEDIT_SHIM_H
#define RELINK_CLIBEDIT_SHIM_H
// libedit through its readline-compatible API: plain (non-variadic) C functions Swift can call.
// The histedit API (el_set, history) is variadic, which Swift cannot call; the few settings it
// would give are reached through rl_parse_and_bind here instead.
#include <stdio.h>
#include <editline/readline.h>

/// Binds Ctrl-R to incremental reverse search, which libedit's readline emulation leaves to a
/// non-incremental search by default.
static inline int relink_bind_reverse_search(void) {
    return rl_parse_and_bind("bind ^R em-inc-search-prev");
}

// libedit's readline globals, reached through functions: Swift 6 rejects touching C globals as
// shared mutable state, and LineEditor touches them from the REPL's one thread only.
static inline void relink_set_readline_name(const char *name) { rl_readline_name = name; }
static inline void relink_set_attempted_completion(rl_completion_func_t *function) {
    rl_attempted_completion_function = function;
}
static inline void relink_set_completion_over(void) { rl_attempted_completion_over = 1; }
/// What follows a unique completion: a space after a word, nothing after a directory's `/`.
static inline void relink_set_completion_append(int character) { rl_completion_append_character = character; }
static inline const char *relink_line_buffer(void) { return rl_line_buffer; }
/// Reads the keyboard through `function`. libedit's readline emulation stores what it returns as
/// one wide character (`*c = (wchar_t)i`), so `function` returns whole Unicode scalars, not bytes.
static inline void relink_set_getc(int (*function)(FILE *)) { rl_getc_function = function; }

/// Turns the terminal's signal keys off while a line is edited. libedit's edit mode keeps ISIG on,
/// so Ctrl-C would be a SIGINT, raised by the terminal driver at once while keys typed before it
/// may still be unread (the driver discards them) and keys typed after it may be read before the
/// signal is seen. Without ISIG, Ctrl-C is the byte 0x03 in the input, in the order it was typed.
/// readline() resets libedit's terminal modes on every call, so this runs as its pre-input hook,
/// after that reset and before the terminal is switched to edit mode.
static int relink_edit_without_signal_keys(void) { return rl_parse_and_bind("setty -d -isig"); }
static inline void relink_keep_signal_keys_as_bytes(void) { rl_pre_input_hook = relink_edit_without_signal_keys; }
/// Leaves signals to the caller: libedit's own handlers would resume the read after a signal.
static inline void relink_leave_signals_alone(void) { rl_catch_signals = 0; }
#endif
