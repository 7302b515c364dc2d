/*
 * fuzz_http.c - libFuzzer target for the HTTP/1.x request Host reader.
 *
 * The input is the first client payload of a connection.  Besides the
 * sanitizers' checks it aborts when a contract breaks: a status out of
 * range, a host that is empty, not NUL-terminated, or holds controls or
 * spaces, or a prefix of a request whose Host was found that claims
 * something other than "need more" or the same host.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request q, p;
	enum http_status st, ps;
	size_t i, n;

	st = http_parse_host(data, size, &q);
	if (st >= HTTP__COUNT || (st == HTTP_OK) != (q.host[0] != '\0'))
		abort();
	if (memchr(q.host, '\0', sizeof(q.host)) == NULL ||
	    memchr(q.method, '\0', sizeof(q.method)) == NULL)
		abort();
	n = strlen(q.host);
	for (i = 0; i < n; i++)
		if ((unsigned char)q.host[i] <= 0x20 ||
		    (unsigned char)q.host[i] == 0x7f)
			abort();
	if (st != HTTP_OK || size > SW_HTTP_SCAN_MAX)
		return 0;
	/* a prefix cut anywhere: need more, or the same answer */
	n = (size_t)data[0] * size / 256;
	ps = http_parse_host(data, n, &p);
	if (ps != HTTP_NEED_MORE && !(ps == HTTP_NOT_HTTP && n == 0) &&
	    !(ps == HTTP_OK && strcmp(p.host, q.host) == 0))
		abort();
	return 0;
}
