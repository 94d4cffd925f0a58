// CSystemShims: thin wrappers for the Linux calls Swift's Glibc module does not expose
// (epoll, accept4, eventfd, timerfd, sched_getaffinity, MSG_NOSIGNAL sendmsg).
// No logic lives here: each function is one syscall with fixed flags, so NetIO owns every decision.
#ifndef CSYSTEMSHIMS_H
#define CSYSTEMSHIMS_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

/// epoll event bits, re-exported as plain integers (glibc defines them as enum + macro, which Swift cannot see).
static const uint32_t CSYS_EPOLLIN = 0x001;
static const uint32_t CSYS_EPOLLOUT = 0x004;
static const uint32_t CSYS_EPOLLERR = 0x008;
static const uint32_t CSYS_EPOLLHUP = 0x010;
static const uint32_t CSYS_EPOLLRDHUP = 0x2000;
static const uint32_t CSYS_EPOLLET = 1u << 31;

/// epoll_create1(EPOLL_CLOEXEC).
int csys_epoll_create(void);
/// epoll_ctl with a 64-bit user datum; op is 1 (ADD), 2 (DEL) or 3 (MOD).
int csys_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
/// epoll_wait unpacking the packed struct epoll_event into two parallel arrays of `max` entries.
int csys_epoll_wait(int epfd, uint64_t *data, uint32_t *events, int max, int timeout_ms);

/// socket(family, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0).
int csys_socket_stream(int family);
/// accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC.
int csys_accept4(int fd, struct sockaddr *addr, socklen_t *len);
/// sendmsg(MSG_NOSIGNAL) over an iovec array: writev without SIGPIPE.
ssize_t csys_writev_nosignal(int fd, const struct iovec *iov, int iovcnt);
/// send(MSG_NOSIGNAL) of one contiguous region.
ssize_t csys_send_nosignal(int fd, const void *buf, size_t len);
/// setsockopt(level, name) with an int value.
int csys_setsockopt_int(int fd, int level, int name, int value);
/// getsockopt(SOL_SOCKET, SO_ERROR): the pending error of a non-blocking connect, or -1 with errno.
int csys_socket_error(int fd);

/// Socket option constants that glibc hides behind enums or macros.
static const int CSYS_SOL_SOCKET = 1;
static const int CSYS_SO_REUSEADDR = 2;
static const int CSYS_SO_REUSEPORT = 15;
static const int CSYS_SO_SNDBUF = 7;
static const int CSYS_SO_RCVBUF = 8;
static const int CSYS_IPPROTO_TCP = 6;
static const int CSYS_TCP_NODELAY = 1;
static const int CSYS_SHUT_WR = 1;
static const int CSYS_SHUT_RDWR = 2;

/// eventfd(initval, EFD_NONBLOCK|EFD_CLOEXEC).
int csys_eventfd(unsigned int initval);
/// timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK|TFD_CLOEXEC).
int csys_timerfd_create(void);
/// timerfd_settime(TFD_TIMER_ABSTIME) to a CLOCK_MONOTONIC instant in nanoseconds; 0 disarms.
int csys_timerfd_set_absolute(int fd, uint64_t monotonic_ns);

/// CPU_COUNT of sched_getaffinity(0): the CPUs this process may run on, or -1.
int csys_affinity_cpu_count(void);

/// pthread_setname_np(pthread_self(), name) (at most 15 bytes).
int csys_set_thread_name(const char *name);

#endif
