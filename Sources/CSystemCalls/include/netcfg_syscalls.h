#ifndef NETCFG_SYSCALLS_H
#define NETCFG_SYSCALLS_H

#include <pthread.h>
#include <sys/types.h>

/// openat2(2) with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS: `path` is resolved by the kernel
/// as if `rootfd` were the root directory (absolute links start there, `..` stops there),
/// in one step that no concurrent rename or link swap can redirect. -1 and errno on failure
/// (ENOSYS before Linux 5.6).
int netcfg_open_in_root(int rootfd, const char *path, int flags, mode_t mode);

/// openat(2) without the variadic mode argument Swift cannot pass.
int netcfg_openat(int dirfd, const char *path, int flags, mode_t mode);

/// memmem(3), which the C library declares only under _GNU_SOURCE.
void *netcfg_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

/// pipe2(2) with O_CLOEXEC (declared only under _GNU_SOURCE). 0, or -1 and errno.
int netcfg_pipe_cloexec(int fds[2]);

/// O_PATH, which the C library declares only under _GNU_SOURCE.
extern const int netcfg_o_path;

/// pthread_create(3) of a thread that starts on a CPU other than the caller's, when the
/// process may run on another (else as pthread_create). Linux puts a new thread on its
/// creator's CPU: while the creator kept that CPU busy, the thread waited there for the
/// scheduler's next balancing (about 3.5 ms here, with the other CPU idle). The thread
/// should call `netcfg_thread_allow_all_cpus` first. 0, or an error number.
int netcfg_thread_create_elsewhere(pthread_t *thread, void *(*start)(void *), void *argument);

/// Lets the calling thread run on every CPU the process may use (the main thread's set)
/// again, after `netcfg_thread_create_elsewhere` started it away from its creator's CPU.
void netcfg_thread_allow_all_cpus(void);

/// How many CPUs the calling thread may run on (its affinity mask), or -1.
int netcfg_allowed_cpu_count(void);

/// fwrite(3) to the C library's stdout, the stream Swift's `print` writes to (Swift 6
/// refuses the global `stdout` as shared mutable state).
size_t netcfg_write_stdout(const void *bytes, size_t count);

/// madvise(2) MADV_HUGEPAGE on the whole 2 MiB stretches of `start..<start + length` (none
/// in a smaller buffer): where transparent huge pages are given on request (Debian's and
/// Ubuntu's default), each such stretch is one page fault when first written instead of
/// 512. For buffers written whole soon after they are made: a stretch touched at all is
/// resident whole.
void netcfg_advise_huge_pages(void *start, size_t length);

#endif
