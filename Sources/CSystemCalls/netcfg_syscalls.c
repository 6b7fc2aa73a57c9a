#define _GNU_SOURCE
#include "netcfg_syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
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

int netcfg_thread_create_elsewhere(pthread_t *thread, void *(*start)(void *), void *argument) {
  cpu_set_t others;
  int cpu = sched_getcpu();
  pthread_attr_t attributes;
  if (cpu < 0 || sched_getaffinity(0, sizeof others, &others) != 0 || cpu >= CPU_SETSIZE) {
    return pthread_create(thread, NULL, start, argument);
  }
  CPU_CLR(cpu, &others);
  if (CPU_COUNT(&others) == 0 || pthread_attr_init(&attributes) != 0) {
    return pthread_create(thread, NULL, start, argument);
  }
  int error = pthread_attr_setaffinity_np(&attributes, sizeof others, &others);
  if (error == 0) error = pthread_create(thread, &attributes, start, argument);
  pthread_attr_destroy(&attributes);
  if (error == EINVAL) error = pthread_create(thread, NULL, start, argument);
  return error;
}

void netcfg_thread_allow_all_cpus(void) {
  cpu_set_t all;
  if (sched_getaffinity(getpid(), sizeof all, &all) == 0) sched_setaffinity(0, sizeof all, &all);
}

int netcfg_allowed_cpu_count(void) {
  cpu_set_t allowed;
  return sched_getaffinity(0, sizeof allowed, &allowed) == 0 ? CPU_COUNT(&allowed) : -1;
}

size_t netcfg_write_stdout(const void *bytes, size_t count) { return fwrite(bytes, 1, count, stdout); }

void netcfg_advise_huge_pages(void *start, size_t length) {
  const uintptr_t huge = (uintptr_t)2 << 20;
  uintptr_t from = ((uintptr_t)start + huge - 1) & ~(huge - 1);
  uintptr_t to = ((uintptr_t)start + length) & ~(huge - 1);
  if (to > from) madvise((void *)from, to - from, MADV_HUGEPAGE);
}
