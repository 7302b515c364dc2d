/*
 * records.h - the record writers: conn.log, dns.log and ssl.log, each
 * opt-in, as Zeek writes them (field names, order, exact times).
 *
 * struct records holds the three logs (each NULL unless enabled), the
 * line being built and the count of lines that could not be written.
 * The lines are buffered, whole (logw_set_buffer()), and written when a
 * buffer fills, at records_flush() (the sensor loop calls it once a wall
 * clock second), at a rotation and at records_free().  The notice
 * record is notice.c's: a notice is written at once, never buffered.
 */
#ifndef SW_RECORDS_H
#define SW_RECORDS_H

#include <stddef.h>
#include <stdint.h>

struct dns_msg;
struct flow;
struct tls_hello;

struct records;

/* Open the enabled logs under logdir ("-": standard output).  NULL with
 * the reason in errbuf (errlen bytes). */
struct records *records_new(const char *logdir, int conn, int dns, int ssl,
    char *errbuf, size_t errlen);
void records_free(struct records *r);

/* One conn.log line for a connection that ended. */
void records_conn(struct records *r, const struct flow *f);
/* One dns.log line for a message with a question, seen at ts_us. */
void records_dns(struct records *r, const struct flow *f, int64_t ts_us,
    const struct dns_msg *m);
/* One ssl.log line for a ClientHello seen at ts_us. */
void records_ssl(struct records *r, const struct flow *f, int64_t ts_us,
    const struct tls_hello *h);

/* Write what is buffered: at most once a wall-clock second unless now. */
void records_flush(struct records *r, int now);
/* Follow a rotation (move-and-create) of any of the logs. */
void records_check_rotation(struct records *r);
/* Lines not written: too long for a line, or lost to a failed write. */
uint64_t records_errors(const struct records *r);

#endif /* SW_RECORDS_H */
