/*
 * jbuf.c - append-only JSON writer over a caller's fixed buffer.
 *
 * The central structure is struct jbuf: a buffer, its length and a sticky
 * overflow flag.  Every append checks room first; once a value does not
 * fit, nothing more is appended and the caller drops the line rather than
 * write half of it.
 */
#include "jbuf.h"

#include "decode.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void
jbuf_init(struct jbuf *j, char *buf, size_t cap)
{
	j->buf = buf;
	j->cap = cap;
	j->len = 0;
	j->overflow = cap == 0;
	j->need_comma = 0;
	if (cap > 0)
		buf[0] = '\0';
}

static void
put(struct jbuf *j, const char *s, size_t n)
{
	if (j->overflow)
		return;
	/* keep one byte for the terminating NUL */
	if (n >= j->cap - j->len) {
		j->overflow = 1;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void
putc1(struct jbuf *j, char c)
{
	put(j, &c, 1);
}

/*
 * Decimal digits of v, right-aligned ending at end; returns the first.
 * The writers format numbers by hand: snprintf's format parsing was a
 * fifth of the analyzer's time with every log on.
 */
static char *
fmt_u64(char *end, uint64_t v)
{
	char *p = end;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return p;
}

static const char hexdig[] = "0123456789abcdef";

/* Length of a valid UTF-8 sequence starting at s (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void
put_escaped(struct jbuf *j, const char *v, size_t n)
{
	const unsigned char *s = (const unsigned char *)v;
	size_t i, run, ul;
	char esc[8];

	putc1(j, '"');
	i = 0;
	while (i < n && !j->overflow) {
		/* copy the longest run that needs no escaping at once */
		run = i;
		while (run < n && s[run] >= 0x20 && s[run] < 0x80 &&
		    s[run] != '"' && s[run] != '\\')
			run++;
		if (run > i) {
			put(j, (const char *)s + i, run - i);
			i = run;
			continue;
		}
		switch (s[i]) {
		case '"':
			put(j, "\\\"", 2);
			i++;
			continue;
		case '\\':
			put(j, "\\\\", 2);
			i++;
			continue;
		case '\n':
			put(j, "\\n", 2);
			i++;
			continue;
		case '\r':
			put(j, "\\r", 2);
			i++;
			continue;
		case '\t':
			put(j, "\\t", 2);
			i++;
			continue;
		default:
			break;
		}
		if (s[i] >= 0x80 && (ul = utf8_len(s + i, n - i)) > 0) {
			put(j, (const char *)s + i, ul);
			i += ul;
			continue;
		}
		/* control character, or a byte that is not valid UTF-8 */
		memcpy(esc, "\\u00", 4);
		esc[4] = hexdig[s[i] >> 4];
		esc[5] = hexdig[s[i] & 0xf];
		put(j, esc, 6);
		i++;
	}
	putc1(j, '"');
}

static void
key(struct jbuf *j, const char *k)
{
	if (j->need_comma)
		putc1(j, ',');
	j->need_comma = 1;
	if (k != NULL) {
		put_escaped(j, k, strlen(k));
		putc1(j, ':');
	}
}

void
jbuf_open(struct jbuf *j)
{
	if (j->need_comma)
		putc1(j, ',');
	putc1(j, '{');
	j->need_comma = 0;
}

void
jbuf_close(struct jbuf *j)
{
	putc1(j, '}');
	j->need_comma = 1;
}

void
jbuf_key_open(struct jbuf *j, const char *k)
{
	key(j, k);
	putc1(j, '{');
	j->need_comma = 0;
}

void
jbuf_key_array(struct jbuf *j, const char *k)
{
	key(j, k);
	putc1(j, '[');
	j->need_comma = 0;
}

void
jbuf_array_close(struct jbuf *j)
{
	putc1(j, ']');
	j->need_comma = 1;
}

void
jbuf_strn(struct jbuf *j, const char *k, const char *v, size_t n)
{
	key(j, k);
	put_escaped(j, v, n);
}

void
jbuf_str(struct jbuf *j, const char *k, const char *v)
{
	jbuf_strn(j, k, v, strlen(v));
}

void
jbuf_elem_str(struct jbuf *j, const char *v)
{
	jbuf_strn(j, NULL, v, strlen(v));
}

void
jbuf_u64(struct jbuf *j, const char *k, uint64_t v)
{
	char num[24], *p;

	key(j, k);
	p = fmt_u64(num + sizeof(num), v);
	put(j, p, (size_t)(num + sizeof(num) - p));
}

void
jbuf_dbl(struct jbuf *j, const char *k, double v, int prec)
{
	char num[64];
	int n;

	key(j, k);
	if (!isfinite(v)) {
		put(j, "null", 4);
		return;
	}
	n = snprintf(num, sizeof(num), "%.*f", prec, v);
	if (n < 0 || (size_t)n >= sizeof(num)) {
		put(j, "null", 4);
		return;
	}
	put(j, num, (size_t)n);
}

/* Seconds.micro from microseconds, exact (no floating point). */
static void
put_usec(struct jbuf *j, int64_t us)
{
	char num[32], *p, *end = num + sizeof(num);
	uint64_t a, frac;
	int i;

	a = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
	frac = a % 1000000;
	p = end;
	for (i = 0; i < 6; i++) {
		*--p = (char)('0' + frac % 10);
		frac /= 10;
	}
	*--p = '.';
	p = fmt_u64(p, a / 1000000);
	if (us < 0)
		*--p = '-';
	put(j, p, (size_t)(end - p));
}

void
jbuf_ts(struct jbuf *j, const char *k, int64_t us)
{
	key(j, k);
	put_usec(j, us);
}

void
jbuf_interval(struct jbuf *j, const char *k, int64_t us)
{
	key(j, k);
	put_usec(j, us);
}

void
jbuf_bool(struct jbuf *j, const char *k, int v)
{
	key(j, k);
	if (v)
		put(j, "true", 4);
	else
		put(j, "false", 5);
}

char *
jbuf_addr_fmt(const uint8_t a[16], char *out, size_t outlen)
{
	char num[16], *p, *q;
	int i, v4 = addr_is_v4mapped(a);

	if (v4 && outlen >= 16) {
		/* by hand: glibc's inet_ntop formats IPv4 with sprintf */
		q = out;
		for (i = 12; i < 16; i++) {
			p = fmt_u64(num + sizeof(num), a[i]);
			memcpy(q, p, (size_t)(num + sizeof(num) - p));
			q += num + sizeof(num) - p;
			*q++ = i < 15 ? '.' : '\0';
		}
	} else if (inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? a + 12 : a, out,
		       (socklen_t)outlen) == NULL)
		snprintf(out, outlen, "?");
	return out;
}

void
jbuf_addr(struct jbuf *j, const char *k, const uint8_t a[16])
{
	char s[INET6_ADDRSTRLEN];

	jbuf_addr_fmt(a, s, sizeof(s));
	key(j, k);
	putc1(j, '"');
	put(j, s, strlen(s));
	putc1(j, '"');
}

void
jbuf_mac(struct jbuf *j, const char *k, const uint8_t m[6])
{
	char s[20];
	int i;

	for (i = 0; i < 6; i++) {
		s[i * 3] = hexdig[m[i] >> 4];
		s[i * 3 + 1] = hexdig[m[i] & 0xf];
		s[i * 3 + 2] = ':';
	}
	key(j, k);
	putc1(j, '"');
	put(j, s, 17);
	putc1(j, '"');
}
