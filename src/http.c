/*
 * http.c - HTTP/1.x request Host reader (RFC 9112 3 request line, 5 field
 * syntax; RFC 9110 7.2 Host; RFC 3986 3.2.2 host, with IPv6 literals).
 *
 * Central data structure: a struct rd over the first min(len,
 * SW_HTTP_SCAN_MAX) bytes, read line by line (LF ends a line; a CR before it
 * is dropped, RFC 9112 2.2).  The request line is checked strictly enough
 * that random binary or another protocol does not pass: a method from a
 * fixed list, single spaces, a visible-ASCII target and "HTTP/1.<digit>".
 */
#include <string.h>

#include "http.h"
#include "rd.h"

/* RFC 9110 9.3 methods, PATCH (RFC 5789) and common WebDAV ones. */
static const char *const http_methods[] = {
	"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
	"TRACE", "PATCH", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE",
	"LOCK", "UNLOCK",
};

const char *
http_status_key(enum http_status s)
{
	switch (s) {
	case HTTP_OK:		return "http.ok";
	case HTTP_NO_HOST:	return "http.no_host";
	case HTTP_NEED_MORE:	return "http.need_more";
	case HTTP_NOT_HTTP:	return "http.not_http";
	case HTTP_MALFORMED:	return "http.malformed";
	default:		return "http.unknown";
	}
}

/*
 * Length of the method token (without its space) when buf starts with a
 * known method and a space; -1 when it cannot; 0 when buf is a prefix of
 * "METHOD " and more bytes are needed to tell.
 */
static int
http_method(const uint8_t *buf, size_t len)
{
	size_t i, n;
	int prefix = 0;

	for (i = 0; i < sizeof(http_methods) / sizeof(http_methods[0]); i++) {
		n = strlen(http_methods[i]);
		if (len > n) {
			if (memcmp(buf, http_methods[i], n) == 0 &&
			    buf[n] == ' ')
				return (int)n;
		} else if (memcmp(buf, http_methods[i], len) == 0) {
			prefix = 1;
		}
	}
	return prefix && len > 0 ? 0 : -1;
}

/* Next line of r, without its CR LF: 1 and *p, *n; 0 when no LF is left. */
static int
http_line(struct rd *r, const uint8_t **p, size_t *n)
{
	const uint8_t *s = r->base + r->off, *lf;
	size_t left = rd_left(r);

	if ((lf = memchr(s, '\n', left)) == NULL)
		return 0;
	*n = (size_t)(lf - s);
	*p = rd_ptr(r, *n + 1);
	if (*n > 0 && s[*n - 1] == '\r')
		(*n)--;
	return 1;
}

/* RFC 9112 3: method SP request-target SP HTTP-version.  Returns 0 when
 * the line is a request line; -1 when not; when `partial`, a line cut by
 * the end of the bytes only needs a valid prefix. */
static int
http_request_line(const uint8_t *p, size_t n, int partial,
    struct http_request *req)
{
	static const char ver[] = " HTTP/1.";
	size_t i, t;
	int m;

	if ((m = http_method(p, n)) <= 0)
		return partial && m == 0 ? 0 : -1;
	memcpy(req->method, p, (size_t)m);
	req->method[m] = '\0';
	/* request-target: visible ASCII (RFC 3986 chars, and some clients
	 * send raw UTF-8, so bytes >= 0x80 pass too) */
	for (t = (size_t)m + 1; t < n && p[t] != ' '; t++)
		if (p[t] < 0x21 || p[t] == 0x7f)
			return -1;
	if (t == (size_t)m + 1 && t < n)
		return -1;		/* empty target */
	for (i = 0; i < sizeof(ver) - 1; i++)
		if (t + i >= n)
			return partial ? 0 : -1;
		else if (p[t + i] != (uint8_t)ver[i])
			return -1;
	t += sizeof(ver) - 1;
	if (t >= n)
		return partial ? 0 : -1;
	if (p[t] < '0' || p[t] > '9')
		return -1;
	req->version_minor = (uint8_t)(p[t] - '0');
	return t + 1 == n ? 0 : -1;
}

/* Case-insensitive "Host:" at the start of a field line. */
static int
http_is_host(const uint8_t *p, size_t n)
{
	static const char name[] = "host:";
	size_t i;

	if (n < sizeof(name) - 1)
		return 0;
	for (i = 0; i < sizeof(name) - 1; i++)
		if ((p[i] | (i < 4 ? 0x20 : 0)) != (uint8_t)name[i])
			return 0;
	return 1;
}

/* RFC 9110 7.2: Host = uri-host [ ":" port ].  Fills req->host/port. */
static enum http_status
http_host_value(const uint8_t *p, size_t n, struct http_request *req)
{
	size_t i, hlen, colons = 0, last = 0, keep;
	const uint8_t *h = p, *port = NULL;
	uint32_t pv = 0;

	/* OWS around the value (RFC 9110 5.5) */
	while (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	for (i = 0; i < n; i++) {
		if (p[i] < 0x21 || p[i] == 0x7f)
			return HTTP_MALFORMED;
		if (p[i] == ':') {
			colons++;
			last = i;
		}
	}
	h = p;
	hlen = n;
	if (n > 0 && p[0] == '[') {
		/* IP-literal: strip the brackets, then an optional :port */
		const uint8_t *rb = memchr(p, ']', n);

		if (rb == NULL)
			return HTTP_MALFORMED;
		h = p + 1;
		hlen = (size_t)(rb - h);
		if ((size_t)(rb - p) + 1 < n) {
			if (rb[1] != ':')
				return HTTP_MALFORMED;
			port = rb + 2;
		}
	} else if (colons == 1) {
		hlen = last;
		port = p + last + 1;
	}
	/* more than one colon and no brackets: a bare IPv6 literal, kept */
	if (port != NULL) {
		for (; port < p + n; port++) {
			if (*port < '0' || *port > '9' || pv > 65535)
				return HTTP_MALFORMED;
			pv = pv * 10 + (uint32_t)(*port - '0');
		}
		if (pv > 65535)
			return HTTP_MALFORMED;
		req->port = (uint16_t)pv;
	}
	if (hlen == 0)
		return HTTP_MALFORMED;
	keep = hlen < HTTP_HOST_MAX - 1 ? hlen : HTTP_HOST_MAX - 1;
	memcpy(req->host, h, keep);
	req->host[keep] = '\0';
	req->host_trunc = keep < hlen;
	return HTTP_OK;
}

enum http_status
http_parse_host(const uint8_t *buf, size_t len, struct http_request *req)
{
	struct rd r;
	const uint8_t *p;
	size_t n, scan = len < SW_HTTP_SCAN_MAX ? len : SW_HTTP_SCAN_MAX;

	memset(req, 0, sizeof(*req));
	rd_init(&r, buf, scan);
	if (!http_line(&r, &p, &n)) {
		/* no whole request line: a valid prefix needs more bytes,
		 * unless the scan limit is what stopped us */
		n = scan > 0 && buf[scan - 1] == '\r' ? scan - 1 : scan;
		if (scan < len || http_request_line(buf, n, 1, req) != 0)
			return HTTP_NOT_HTTP;
		return HTTP_NEED_MORE;
	}
	if (http_request_line(p, n, 0, req) != 0)
		return HTTP_NOT_HTTP;
	while (http_line(&r, &p, &n)) {
		if (n == 0)
			return HTTP_NO_HOST;	/* end of the header block */
		if (http_is_host(p, n))
			return http_host_value(p + 5, n - 5, req);
	}
	return scan < len ? HTTP_NO_HOST : HTTP_NEED_MORE;
}
