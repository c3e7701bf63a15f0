#ifndef RELINK_CLIBEDIT_SHIM_H
#define RELINK_CLIBEDIT_SHIM_H
// libedit's readline-compatible API: plain (non-variadic) C functions that Swift can call.
#include <stdio.h>
#include <editline/readline.h>
#endif
