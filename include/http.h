/*
 * http.h - HTTP/1.x request Host reader (RFC 9112), on any port.
 *
 * http_parse_host() looks at one buffer that starts a client's request
 * (the first payload of a connection, or the first after an idle gap):
 * when it starts with an HTTP/1.x request line - a known method token, one
 * space, a request-target without controls or spaces, one space,
 * "HTTP/1.<digit>", CRLF or LF - it scans the header fields that follow,
 * within the bytes given and at most SW_HTTP_SCAN_MAX of them, for the first
 * Host field (name case-insensitive, RFC 9110 5.1; no whitespace before
 * the colon, RFC 9112 5.1; optional whitespace around the value).
 *
 * The value returned is the host as sent (case kept) without its ":port"
 * suffix.  An IPv6 literal loses its brackets ("[2001:db8::1]:8080" gives
 * "2001:db8::1"), because the name is matched against address indicators
 * and a bracketed literal would match nothing.  Everything is read through
 * rd.h; nothing is allocated.  Cost per packet: at most SW_HTTP_SCAN_MAX
 * bytes, of a connection's first client payload only (applayer.c).
 */
#ifndef SW_HTTP_H
#define SW_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define HTTP_HOST_MAX	256	/* host bytes kept, with NUL */

enum http_status {
	HTTP_OK = 0,	/* a request with a Host field: host is filled */
	HTTP_NO_HOST,	/* a request whose header block ends (or passes
			 * SW_HTTP_SCAN_MAX) with no Host field */
	HTTP_NEED_MORE,	/* a request line, but the header block does not
			 * end within the bytes given and no Host yet */
	HTTP_NOT_HTTP,	/* not an HTTP/1.x request line */
	HTTP_MALFORMED,	/* a Host field with an empty or bad value */
	HTTP__COUNT
};

struct http_request {
	char method[16];	/* "GET", "POST", ... */
	uint8_t version_minor;	/* 0 or 1 for HTTP/1.0, HTTP/1.1 */
	uint8_t host_trunc;	/* host longer than HTTP_HOST_MAX - 1 */
	uint16_t port;		/* port from the Host value, 0 if none */
	char host[HTTP_HOST_MAX];	/* as sent, no port, no brackets */
};

/*
 * Read the request at the start of buf[0..len).  Always fills *req (zeroed
 * first; method and version as soon as the request line is read).  Cost:
 * linear in min(len, SW_HTTP_SCAN_MAX).
 */
enum http_status http_parse_host(const uint8_t *buf, size_t len,
    struct http_request *req);

/* "http.ok", "http.no_host", ... stable stats keys. */
const char *http_status_key(enum http_status s);

#endif /* SW_HTTP_H */
