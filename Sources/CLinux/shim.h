// Linux-only calls that Swift's Glibc module does not import, because glibc declares them only
// under _GNU_SOURCE (renameat2, F_SETLEASE) or in headers the module map leaves out (eventfd).
// Each is wrapped in a function so Swift sees a plain C signature and no macros.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <sys/eventfd.h>

// rename(2) that fails with EEXIST instead of replacing the target: claims and archive moves must
// never overwrite a file that is already there.
static inline int winnow_rename_noreplace(const char *from, const char *to) {
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
}

// F_SETLEASE with F_RDLCK succeeds only if no process has the file open for writing, which tells
// the inbox whether a writer is still at work. `fcntl` is variadic, hence the wrapper.
static inline int winnow_set_read_lease(int fd) { return fcntl(fd, F_SETLEASE, F_RDLCK); }
static inline int winnow_release_lease(int fd) { return fcntl(fd, F_SETLEASE, F_UNLCK); }

// A non-blocking, close-on-exec eventfd used to wake a poll loop from another thread.
static inline int winnow_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
