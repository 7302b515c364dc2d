/*
 * syslog_out.c - notices to a syslog collector over TCP (syslog_out.h).
 *
 * struct syslog_out: a byte queue of framed messages under a mutex (the
 * analyzer appends, the sender thread peeks, sends and then pops), the
 * collector's address, and the sender's connection with the messages it
 * wrote but the collector's host has not acknowledged yet (their ends in
 * bytes written on this connection; SIOCOUTQ says how many are still
 * unacknowledged).
 */
#include "syslog_out.h"

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

struct syslog_out {
	pthread_t th;
	pthread_mutex_t mu;
	unsigned char *q; /* ring of [uint32 length][bytes] */
	size_t cap, head, used;
	int stop, joined;
	struct syslog_stats st;
	struct sockaddr_storage addr;
	socklen_t alen;
	char hostname[64];
	long pid;
	/* the sender's own */
	int fd;
	uint64_t wrote; /* bytes written, this connection */
	uint64_t flight[SW_SYSLOG_INFLIGHT]; /* ends of unacknowledged ones */
	unsigned fhead, fn;
	char msg[SW_SYSLOG_MSG_MAX];
};

static int64_t
mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* --- the message --- */

static int
pri_of(int severity)
{
	/* facility local0 (16); the notice's severity as syslog's */
	int sev = severity >= 15 ? 1 :
	    severity >= 12	 ? 2 :
	    severity >= 10	 ? 3 :
	    severity >= 6	 ? 4 :
	    severity >= 5	 ? 5 :
				   6;

	return 16 * 8 + sev;
}

size_t
syslog_format(char *out, size_t cap, const char *hostname, const char *note,
    int severity, int64_t ts_us, const char *line, size_t len)
{
	char head[256], when[40], msgid[33];
	/* floored: a stamp before 1970 (capture.c keeps them down to 1901)
	 * is the second before, plus a positive fraction */
	int64_t frac = ts_us % 1000000;
	time_t t = (time_t)(ts_us / 1000000 - (frac < 0));
	struct tm tm;
	size_t h, n, i;
	int k;

	if (gmtime_r(&t, &tm) == NULL)
		return 0;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	/* MSGID: the note without its category, printable, 32 at most */
	note = strncmp(note, "Spyware::", 9) == 0 ? note + 9 : note;
	for (i = 0; note[i] != '\0' && i < 32; i++)
		msgid[i] = note[i] > ' ' && note[i] < 127 ? note[i] : '_';
	msgid[i] = '\0';
	k = snprintf(head, sizeof(head),
	    "<%d>1 %s.%06ldZ %s stalkerwatch %ld "
	    "%s - ",
	    pri_of(severity), when, (long)(frac < 0 ? frac + 1000000 : frac),
	    hostname, (long)getpid(), i > 0 ? msgid : "-");
	if (k < 0 || (size_t)k >= sizeof(head))
		return 0;
	h = (size_t)k;
	n = (size_t)snprintf(out, cap, "%zu ", h + len);
	if (n >= cap || n + h + len > cap)
		return 0;
	memcpy(out + n, head, h);
	memcpy(out + n + h, line, len);
	return n + h + len;
}

/* --- the queue (under mu) --- */

static void
q_copy_in(struct syslog_out *s, size_t at, const void *p, size_t n)
{
	size_t first = s->cap - at < n ? s->cap - at : n;

	memcpy(s->q + at, p, first);
	memcpy(s->q, (const unsigned char *)p + first, n - first);
}

static void
q_copy_out(const struct syslog_out *s, size_t at, void *p, size_t n)
{
	size_t first = s->cap - at < n ? s->cap - at : n;

	memcpy(p, s->q + at, first);
	memcpy((unsigned char *)p + first, s->q, n - first);
}

void
syslog_out_notice(struct syslog_out *s, const char *note, int severity,
    int64_t ts_us, const char *line, size_t len)
{
	char buf[SW_SYSLOG_MSG_MAX];
	uint32_t n;

	if (s == NULL)
		return;
	n = (uint32_t)syslog_format(buf, sizeof(buf), s->hostname, note,
	    severity, ts_us, line, len);
	pthread_mutex_lock(&s->mu);
	if (n == 0 || s->used + 4 + n > s->cap) {
		s->st.dropped++;
	} else {
		q_copy_in(s, (s->head + s->used) % s->cap, &n, 4);
		q_copy_in(s, (s->head + s->used + 4) % s->cap, buf, n);
		s->used += 4 + n;
		s->st.queued++;
	}
	pthread_mutex_unlock(&s->mu);
}

void
syslog_out_stats(struct syslog_out *s, struct syslog_stats *st)
{
	pthread_mutex_lock(&s->mu);
	*st = s->st;
	pthread_mutex_unlock(&s->mu);
}

/* --- the connection (the sender thread's) --- */

/* Messages the collector's host acknowledged are sent; with lost, the
 * rest are dropped (the connection went). */
static void
settle(struct syslog_out *s, int lost)
{
	int outq = 0;
	uint64_t acked;

	if (!lost && (s->fd < 0 || ioctl(s->fd, SIOCOUTQ, &outq) != 0))
		lost = 1;
	acked = lost ? 0 : s->wrote - (uint64_t)outq;
	pthread_mutex_lock(&s->mu);
	while (s->fn > 0 && !lost && s->flight[s->fhead] <= acked) {
		s->fhead = (s->fhead + 1) % SW_SYSLOG_INFLIGHT;
		s->fn--;
		s->st.sent++;
	}
	if (lost) {
		s->st.dropped += s->fn;
		s->fn = 0;
	}
	pthread_mutex_unlock(&s->mu);
}

static void
disconnect(struct syslog_out *s)
{
	if (s->fd < 0)
		return;
	/* a reset connection's send queue reads empty: nothing is taken
	 * as acknowledged now that it is gone */
	settle(s, 1);
	close(s->fd);
	s->fd = -1;
	pthread_mutex_lock(&s->mu);
	s->st.disconnects++;
	pthread_mutex_unlock(&s->mu);
}

static int
connect_now(struct syslog_out *s)
{
	struct pollfd p;
	int fd, err = 0;
	socklen_t el = sizeof(err);

	fd = socket(s->addr.ss_family,
	    SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&s->addr, s->alen) != 0) {
		if (errno != EINPROGRESS) {
			close(fd);
			return -1;
		}
		p.fd = fd;
		p.events = POLLOUT;
		if (poll(&p, 1, SW_SYSLOG_CONNECT_MS) != 1 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 ||
		    err != 0) {
			close(fd);
			return -1;
		}
	}
	s->fd = fd;
	s->wrote = 0;
	s->fn = 0;
	pthread_mutex_lock(&s->mu);
	s->st.connects++;
	pthread_mutex_unlock(&s->mu);
	return 0;
}

/* The collector closed (1: a FIN, what it acknowledged stands) or reset
 * (2) the connection, checked while idle; 0: still there. */
static int
peer_gone(struct syslog_out *s, int wait_ms)
{
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	char b[256];
	ssize_t r;

	if (poll(&p, 1, wait_ms) <= 0)
		return 0;
	if (p.revents & POLLERR)
		return 2;
	r = recv(s->fd, b, sizeof(b), MSG_DONTWAIT);
	if (r == 0)
		return 1;
	if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		return 2;
	return (p.revents & POLLHUP) ? 1 : 0;
}

static int
stopping_late(struct syslog_out *s, int64_t deadline)
{
	int stop;

	pthread_mutex_lock(&s->mu);
	stop = s->stop;
	pthread_mutex_unlock(&s->mu);
	return stop && deadline != 0 && mono_ms() >= deadline;
}

/* 0 sent; -1 failed before a byte went; -2 failed part way (the frame
 * is torn: the collector drops it with the connection).  A collector
 * slow to read is waited for, not given up on, until stopping is late. */
static int
send_all(struct syslog_out *s, const char *p, size_t n, int64_t deadline)
{
	struct pollfd pf = { .fd = s->fd, .events = POLLOUT };
	size_t done = 0;
	ssize_t w;

	while (done < n) {
		w = send(s->fd, p + done, n - done, MSG_NOSIGNAL);
		if (w > 0) {
			done += (size_t)w;
			s->wrote += (uint64_t)w;
			continue;
		}
		if (w < 0 &&
		    (errno == EINTR || errno == EAGAIN ||
			errno == EWOULDBLOCK)) {
			if (errno != EINTR && poll(&pf, 1, 500) < 0 &&
			    errno != EINTR)
				break;
			if (stopping_late(s, deadline))
				break;
			continue;
		}
		break;
	}
	return done == n ? 0 : done == 0 ? -1 : -2;
}

static void *
sender(void *arg)
{
	struct syslog_out *s = arg;
	int64_t backoff = SW_SYSLOG_BACKOFF_MIN_MS, retry_at = 0, deadline = 0;
	sigset_t all;
	uint32_t n;
	int stopping, rc, gone;

	/* signals are the main thread's (as the capture thread's) */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		pthread_mutex_lock(&s->mu);
		stopping = s->stop;
		if (stopping && deadline == 0)
			deadline = mono_ms() + SW_SYSLOG_DRAIN_MS;
		if (s->used == 0 || (stopping && mono_ms() >= deadline)) {
			if (stopping) {
				/* what is left is lost */
				while (s->used > 0) {
					q_copy_out(s, s->head, &n, 4);
					s->head = (s->head + 4 + n) % s->cap;
					s->used -= 4 + n;
					s->st.dropped++;
				}
				pthread_mutex_unlock(&s->mu);
				break;
			}
			pthread_mutex_unlock(&s->mu);
			/* idle: settle acknowledgements, notice a collector
			 * that went away */
			if (s->fd >= 0) {
				gone = peer_gone(s, 200);
				if (gone != 2)
					settle(s, 0);
				if (gone)
					disconnect(s);
			} else
				usleep(200 * 1000);
			continue;
		}
		q_copy_out(s, s->head, &n, 4);
		q_copy_out(s, (s->head + 4) % s->cap, s->msg, n);
		pthread_mutex_unlock(&s->mu);
		if (s->fd < 0) {
			if (mono_ms() < retry_at) {
				usleep(50 * 1000);
				continue;
			}
			if (connect_now(s) != 0) {
				retry_at = mono_ms() + backoff;
				backoff = backoff * 2 >
					SW_SYSLOG_BACKOFF_MAX_MS ?
				    SW_SYSLOG_BACKOFF_MAX_MS :
				    backoff * 2;
				continue;
			}
			backoff = SW_SYSLOG_BACKOFF_MIN_MS;
		}
		if (s->fn == SW_SYSLOG_INFLIGHT) {
			/* the window is full: wait for acknowledgements */
			settle(s, 0);
			if (s->fn == SW_SYSLOG_INFLIGHT) {
				if (peer_gone(s, 20))
					disconnect(s);
				continue;
			}
		}
		rc = send_all(s, s->msg, n, deadline);
		if (rc == -1) {
			/* nothing of it went: it stays queued for the next
			 * connection */
			disconnect(s);
			continue;
		}
		pthread_mutex_lock(&s->mu);
		s->head = (s->head + 4 + n) % s->cap;
		s->used -= 4 + n;
		if (rc == 0) {
			s->flight[(s->fhead + s->fn) % SW_SYSLOG_INFLIGHT] =
			    s->wrote;
			s->fn++;
		} else
			s->st.dropped++; /* torn: never sent twice */
		pthread_mutex_unlock(&s->mu);
		if (rc == -2)
			disconnect(s);
	}
	/* the last acknowledgements, then what is still unacknowledged is
	 * counted as lost */
	while (s->fd >= 0 && s->fn > 0 && mono_ms() < deadline + 1000) {
		settle(s, 0);
		if (s->fn > 0)
			usleep(20 * 1000);
	}
	disconnect(s);
	return NULL;
}

struct syslog_out *
syslog_out_new(const char *hostport, const char *hostname, char *errbuf)
{
	struct addrinfo hints, *res = NULL;
	char host[128], *port;
	struct syslog_out *s;
	size_t n = strlen(hostport);
	int rc;

	if (n == 0 || n >= sizeof(host) ||
	    (port = strrchr(strcpy(host, hostport), ':')) == NULL ||
	    port == host || port[1] == '\0') {
		snprintf(errbuf, SW_ERRLEN, "--syslog %s: not HOST:PORT",
		    hostport);
		return NULL;
	}
	*port++ = '\0';
	if (host[0] == '[' && port[-2] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	/* a number: the sensor resolves no name */
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(errbuf, SW_ERRLEN,
		    "--syslog %s: %s (a numeric address "
		    "and port)",
		    hostport, gai_strerror(rc));
		return NULL;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->q = malloc(SW_SYSLOG_QUEUE)) == NULL) {
		free(s);
		freeaddrinfo(res);
		snprintf(errbuf, SW_ERRLEN, "--syslog: out of memory");
		return NULL;
	}
	memcpy(&s->addr, res->ai_addr, res->ai_addrlen);
	s->alen = res->ai_addrlen;
	freeaddrinfo(res);
	s->cap = SW_SYSLOG_QUEUE;
	s->fd = -1;
	snprintf(s->hostname, sizeof(s->hostname), "%s",
	    hostname != NULL && hostname[0] != '\0' ? hostname : "-");
	for (n = 0; s->hostname[n] != '\0'; n++)
		if (s->hostname[n] <= ' ' || s->hostname[n] >= 127)
			s->hostname[n] = '_';
	pthread_mutex_init(&s->mu, NULL);
	if (pthread_create(&s->th, NULL, sender, s) != 0) {
		pthread_mutex_destroy(&s->mu);
		free(s->q);
		free(s);
		snprintf(errbuf, SW_ERRLEN,
		    "--syslog: cannot start its thread");
		return NULL;
	}
	return s;
}

void
syslog_out_stop(struct syslog_out *s)
{
	if (s == NULL || s->joined)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->th, NULL);
	s->joined = 1;
}

void
syslog_out_free(struct syslog_out *s)
{
	if (s == NULL)
		return;
	syslog_out_stop(s);
	pthread_mutex_destroy(&s->mu);
	free(s->q);
	free(s);
}
