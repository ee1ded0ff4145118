/* SPDX-License-Identifier: MIT */
/* LD_PRELOAD shim for tests: a suspend without suspending the machine.
 *
 * Writing a number of milliseconds to the file named by $GB_FAKE_SUSPEND makes
 * CLOCK_BOOTTIME run that far ahead of CLOCK_MONOTONIC from then on, which is
 * exactly what a real suspend of that length leaves behind. Absolute timerfds
 * on CLOCK_BOOTTIME follow the fake clock: a watcher thread re-arms them when
 * the offset grows, so a deadline that "passed during the suspend" fires at
 * once, as the kernel does on resume. CLOCK_REALTIME timerfds (a resume
 * sensor armed with TFD_TIMER_CANCEL_ON_SET) fire at once too, as the kernel
 * cancels them on resume; unless $GB_FAKE_SUSPEND_OLD_KERNEL is set, which
 * keeps them quiet so that the deadline is the first wake-up after the resume
 * (as on kernels before 5.14, or when the kernel's resume work runs late).
 * The offset only ever grows. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_TIMERS 8
#define NS_PER_S 1000000000LL

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long long offset_ns;
static struct {
	int fd;
	int armed;
	long long deadline_ns; /* absolute, on the fake clock */
} timers[MAX_TIMERS];
static int n_timers;
static int realtime_fds[MAX_TIMERS];
static int n_realtime;
static int old_kernel;

static int (*real_clock_gettime)(clockid_t, struct timespec *);
static int (*real_timerfd_create)(int, int);
static int (*real_timerfd_settime)(int, int, const struct itimerspec *, struct itimerspec *);

static long long
to_ns(const struct timespec *ts)
{
	return ts->tv_sec * NS_PER_S + ts->tv_nsec;
}

static struct timespec
from_ns(long long ns)
{
	struct timespec ts = { .tv_sec = ns / NS_PER_S, .tv_nsec = ns % NS_PER_S };

	return ts;
}

/* with lock held */
static int
arm(int i)
{
	struct itimerspec spec = { 0 };
	long long real = timers[i].deadline_ns - offset_ns;

	if (timers[i].armed)
		spec.it_value = from_ns(real > 0 ? real : 1);
	return real_timerfd_settime(timers[i].fd, TFD_TIMER_ABSTIME, &spec, NULL);
}

int
clock_gettime(clockid_t id, struct timespec *ts)
{
	int ret = real_clock_gettime(id, ts);

	if (ret == 0 && id == CLOCK_BOOTTIME) {
		pthread_mutex_lock(&lock);
		*ts = from_ns(to_ns(ts) + offset_ns);
		pthread_mutex_unlock(&lock);
	}
	return ret;
}

int
timerfd_create(int clockid, int flags)
{
	int fd = real_timerfd_create(clockid, flags);

	pthread_mutex_lock(&lock);
	if (fd >= 0 && clockid == CLOCK_BOOTTIME && n_timers < MAX_TIMERS)
		timers[n_timers++] = (__typeof__(timers[0])) { .fd = fd };
	if (fd >= 0 && clockid == CLOCK_REALTIME && n_realtime < MAX_TIMERS)
		realtime_fds[n_realtime++] = fd;
	pthread_mutex_unlock(&lock);
	return fd;
}

int
timerfd_settime(int fd, int flags, const struct itimerspec *new_value, struct itimerspec *old_value)
{
	int ret = -2;

	pthread_mutex_lock(&lock);
	for (int i = 0; i < n_timers; i++) {
		if (timers[i].fd != fd || !(flags & TFD_TIMER_ABSTIME) || new_value->it_interval.tv_sec ||
		    new_value->it_interval.tv_nsec || old_value != NULL)
			continue;
		timers[i].armed = new_value->it_value.tv_sec || new_value->it_value.tv_nsec;
		timers[i].deadline_ns = to_ns(&new_value->it_value);
		ret = arm(i);
	}
	pthread_mutex_unlock(&lock);
	return ret != -2 ? ret : real_timerfd_settime(fd, flags, new_value, old_value);
}

static void
read_offset(const char *path)
{
	FILE *file = fopen(path, "re");
	long long ms;

	if (file == NULL)
		return;
	if (fscanf(file, "%lld", &ms) == 1) {
		pthread_mutex_lock(&lock);
		if (ms * 1000000 > offset_ns) {
			offset_ns = ms * 1000000;
			for (int i = 0; i < n_timers; i++)
				arm(i);
			for (int i = 0; i < n_realtime && !old_kernel; i++) {
				/* already expired: readable at once */
				struct itimerspec now = { .it_value = { .tv_nsec = 1 } };

				real_timerfd_settime(realtime_fds[i], TFD_TIMER_ABSTIME, &now, NULL);
			}
		}
		pthread_mutex_unlock(&lock);
	}
	fclose(file);
}

static void *
watch(void *data)
{
	const char *path = data;
	char *dir = strdup(path);
	char buf[4096];
	int fd = inotify_init1(IN_CLOEXEC);

	*strrchr(dir, '/') = '\0';
	if (fd < 0 || inotify_add_watch(fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
		perror("fake-suspend: inotify");
		return NULL;
	}
	for (;;) {
		if (read(fd, buf, sizeof(buf)) <= 0 && errno != EINTR)
			return NULL;
		read_offset(path);
	}
}

__attribute__((constructor)) static void
init(void)
{
	const char *path = getenv("GB_FAKE_SUSPEND");
	pthread_t thread;

	real_clock_gettime = dlsym(RTLD_NEXT, "clock_gettime");
	real_timerfd_create = dlsym(RTLD_NEXT, "timerfd_create");
	real_timerfd_settime = dlsym(RTLD_NEXT, "timerfd_settime");
	old_kernel = getenv("GB_FAKE_SUSPEND_OLD_KERNEL") != NULL;
	if (path == NULL || strchr(path, '/') == NULL)
		return;
	read_offset(path);
	if (pthread_create(&thread, NULL, watch, strdup(path)) == 0)
		pthread_detach(thread);
}
