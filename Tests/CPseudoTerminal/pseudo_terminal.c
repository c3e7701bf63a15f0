#include "pseudo_terminal.h"
#include <pty.h>
#include <termios.h>
#include <unistd.h>

pid_t relink_spawn_in_pty(const char *path, char *const argv[], char *const envp[], int rows, int columns, int *master) {
    struct winsize size = {0};
    size.ws_row = (unsigned short)rows;
    size.ws_col = (unsigned short)columns;
    pid_t pid = forkpty(master, NULL, NULL, &size);
    if (pid == 0) {
        execve(path, argv, envp);
        _exit(127);
    }
    return pid;
}
