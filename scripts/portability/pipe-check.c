/* Builds CProcess's portable branch (no pipe2, as on macOS) and checks what it promises:
   both ends close-on-exec, and a spawned child writes through the pipe. Run by scripts/test. */
#include "mlci_process.h"
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    int fds[2];
    if (mlci_pipe_cloexec(fds) != 0) { perror("mlci_pipe_cloexec"); return 1; }
    for (int i = 0; i < 2; i++) {
        if (!(fcntl(fds[i], F_GETFD) & FD_CLOEXEC)) { fprintf(stderr, "end %d is not close-on-exec\n", i); return 1; }
    }
    char *argv[] = {"/bin/sh", "-c", "printf portable", NULL};
    char *envp[] = {NULL};
    pid_t pid;
    if (mlci_spawn("/bin/sh", argv, envp, "/", fds[1], &pid) != 0) { perror("mlci_spawn"); return 1; }
    close(fds[1]);
    char buffer[64] = {0};
    ssize_t n = read(fds[0], buffer, sizeof buffer - 1);
    int status = 0;
    waitpid(pid, &status, 0);
    if (n != 8 || strcmp(buffer, "portable") != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "the child's output did not arrive: '%s'\n", buffer);
        return 1;
    }
    puts("CProcess portable branch: ok");
    return 0;
}
