#define _GNU_SOURCE  // pipe2
#include "interrupts.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static int pipe_ends[2] = {-1, -1};
static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;
static const int handled[] = {SIGINT, SIGTERM, SIGHUP};

static void on_signal(int number) {
    int saved = errno;
    unsigned char byte = (unsigned char)number;
    // Non-blocking: a full pipe (thousands of signals nobody read) drops this one, never hangs.
    (void)!write(pipe_ends[1], &byte, 1);
    errno = saved;
}

int relink_interrupts_install(void) {
    pthread_mutex_lock(&install_lock);
    if (pipe_ends[0] < 0) {
        int ends[2];
        if (pipe2(ends, O_NONBLOCK | O_CLOEXEC) != 0) {
            pthread_mutex_unlock(&install_lock);
            return -1;
        }
        pipe_ends[0] = ends[0];
        pipe_ends[1] = ends[1];
    }
    struct sigaction action = {0};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (unsigned i = 0; i < sizeof handled / sizeof handled[0]; i++) sigaction(handled[i], &action, NULL);
    pthread_mutex_unlock(&install_lock);
    return pipe_ends[0];
}

int relink_interrupts_descriptor(void) {
    pthread_mutex_lock(&install_lock);
    int descriptor = pipe_ends[0];
    pthread_mutex_unlock(&install_lock);
    return descriptor;
}

int relink_interrupts_take(void) {
    unsigned char byte = 0;
    for (;;) {
        if (pipe_ends[0] < 0) return 0;
        ssize_t count = read(pipe_ends[0], &byte, 1);
        if (count == 1) return byte;
        if (count < 0 && errno == EINTR) continue;
        return 0;
    }
}

void relink_interrupts_uninstall(void) {
    for (unsigned i = 0; i < sizeof handled / sizeof handled[0]; i++) signal(handled[i], SIG_DFL);
}
