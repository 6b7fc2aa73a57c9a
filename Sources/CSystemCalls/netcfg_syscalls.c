#define _GNU_SOURCE
#include "netcfg_syscalls.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <malloc.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

const int netcfg_o_path = O_PATH;

int netcfg_open_in_root(int rootfd, const char *path, int flags, mode_t mode) {
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = (unsigned long long)(unsigned)flags;
  how.mode = (flags & O_CREAT) ? mode : 0;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
}

int netcfg_openat(int dirfd, const char *path, int flags, mode_t mode) {
  return openat(dirfd, path, flags, mode);
}

void *netcfg_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
  return memmem(haystack, haystack_length, needle, needle_length);
}

int netcfg_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int netcfg_set_trim_threshold(int bytes) { return mallopt(M_TRIM_THRESHOLD, bytes); }
