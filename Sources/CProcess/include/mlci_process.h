#ifndef MLCI_PROCESS_H
#define MLCI_PROCESS_H
#include <sys/types.h>

/* Starts `argv` (argv[0] is a path) in its own process group, in directory `dir`, with
   standard input from /dev/null and standard output and error both written to `out_fd`.
   Signal dispositions and the signal mask are reset, so a child never inherits mlci's own
   handling of SIGINT or SIGPIPE. Returns 0 and sets *pid, or an errno value. */
int mlci_spawn(const char *path, char *const argv[], char *const envp[], const char *dir, int out_fd, pid_t *pid);



/* A pipe whose both ends are close-on-exec from the start, so a process spawned by another
   thread at the same moment never inherits it. */
int mlci_pipe_cloexec(int fds[2]);
#endif
