/*
 * syslog_out.h - notices to a syslog collector (a Wazuh manager, rsyslog,
 * syslog-ng) over TCP: one RFC 5424 message per notice, octet-counted
 * (RFC 6587, "LEN SP MSG"), the notice's JSON line as the message.
 *
 * The analyzer only copies a message into a bounded queue
 * (SW_SYSLOG_QUEUE bytes) and never waits: a thread of this module sends,
 * connects, and reconnects with a growing pause (SW_SYSLOG_BACKOFF_*)
 * while the collector is away; the queue holds what comes meanwhile.
 * Nothing is sent twice.  A message is counted as dropped when the queue
 * is full, and, as plain TCP has no acknowledgement of its own, when the
 * connection breaks while the kernel still held bytes of it unacknowledged
 * by the collector's host (SIOCOUTQ): every notice either reaches the
 * collector's host or is counted.  The collector is the operator's: the
 * sensor makes no other connection.
 */
#ifndef SW_SYSLOG_OUT_H
#define SW_SYSLOG_OUT_H

#include <stddef.h>
#include <stdint.h>

struct syslog_out;

struct syslog_stats {
	uint64_t queued;      /* messages accepted */
	uint64_t sent;	      /* written and acknowledged */
	uint64_t dropped;     /* queue full, or lost with a connection */
	uint64_t connects;    /* connections made */
	uint64_t disconnects; /* connections lost */
};

/*
 * A sender to "HOST:PORT" ("[v6]:PORT" for IPv6) naming this sensor
 * `hostname` in its messages; its thread starts here.  NULL with a
 * one-line reason in errbuf (SW_ERRLEN bytes): a bad address.
 */
struct syslog_out *syslog_out_new(const char *hostport, const char *hostname,
    char *errbuf);
/* Send what is queued (for up to SW_SYSLOG_DRAIN_MS), wait for its
 * acknowledgement, and stop the thread (counters still readable). */
void syslog_out_stop(struct syslog_out *s);
/* Stop if not stopped, and free. */
void syslog_out_free(struct syslog_out *s);

/* Queue one notice (its JSON line, len bytes, no newline), its note and
 * severity and network time.  Never blocks. */
void syslog_out_notice(struct syslog_out *s, const char *note, int severity,
    int64_t ts_us, const char *line, size_t len);

/* A copy of the counters (taken under the queue's lock). */
void syslog_out_stats(struct syslog_out *s, struct syslog_stats *st);

/* The RFC 5424 message of a notice, framed ("LEN SP MSG"), into out:
 * its length, 0 when it does not fit.  Exposed for tests. */
size_t syslog_format(char *out, size_t cap, const char *hostname,
    const char *note, int severity, int64_t ts_us, const char *line,
    size_t len);

#endif /* SW_SYSLOG_OUT_H */
