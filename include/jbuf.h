/*
 * jbuf.h - a small append-only JSON-lines writer over a fixed buffer.
 *
 * Every log line (notice.log, conn.log, stats.log) is built here with a
 * fixed key order and exact number formats (timestamps with microseconds,
 * as Zeek's JSON writer prints them), then handed whole to logw_write().
 * No allocation: the buffer belongs to the caller.  When a value does not
 * fit, `overflow` is set and the line must not be written.  Strings are
 * escaped per RFC 8259 (control characters as \u00XX, invalid UTF-8 bytes
 * as \u00XX of the byte, so a line is always valid JSON).
 */
#ifndef SW_JBUF_H
#define SW_JBUF_H

#include <stddef.h>
#include <stdint.h>

struct jbuf {
	char *buf;
	size_t cap;
	size_t len;
	int overflow;
	int need_comma;		/* private */
};

void jbuf_init(struct jbuf *j, char *buf, size_t cap);

/* Start/end an object (top level or as the value of the next key). */
void jbuf_open(struct jbuf *j);
void jbuf_close(struct jbuf *j);
/* Start an object or array as the value of key k. */
void jbuf_key_open(struct jbuf *j, const char *k);
void jbuf_key_array(struct jbuf *j, const char *k);
void jbuf_array_close(struct jbuf *j);

void jbuf_str(struct jbuf *j, const char *k, const char *v);
/* A string value of n bytes (need not be NUL-terminated). */
void jbuf_strn(struct jbuf *j, const char *k, const char *v, size_t n);
void jbuf_u64(struct jbuf *j, const char *k, uint64_t v);
/* A double with `prec` digits after the point (%.*f); NaN/inf as null. */
void jbuf_dbl(struct jbuf *j, const char *k, double v, int prec);
/* Microseconds as epoch seconds with 6 decimals ("1700000000.123456"). */
void jbuf_ts(struct jbuf *j, const char *k, int64_t us);
/* Microseconds as an interval in seconds with 6 decimals. */
void jbuf_interval(struct jbuf *j, const char *k, int64_t us);
void jbuf_bool(struct jbuf *j, const char *k, int v);
/* A 16-byte IPv4-mapped/IPv6 address in its usual text form. */
void jbuf_addr(struct jbuf *j, const char *k, const uint8_t a[16]);
/* A MAC address as "aa:bb:cc:dd:ee:ff". */
void jbuf_mac(struct jbuf *j, const char *k, const uint8_t m[6]);
/* Array element (inside jbuf_key_array): a string. */
void jbuf_elem_str(struct jbuf *j, const char *v);

/* Format a 16-byte address into out (at least 46 bytes); returns out. */
char *jbuf_addr_fmt(const uint8_t a[16], char *out, size_t outlen);

#endif /* SW_JBUF_H */
