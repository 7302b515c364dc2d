/*
 * fuzz_dhcp.c - libFuzzer target for the DHCP reader (dhcp.h).
 *
 * Input: a UDP payload.  Besides the sanitizers' checks it aborts when a
 * result breaks a contract of dhcp.h: a status out of range, a text field
 * without its NUL or with a byte outside printable ASCII.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_text(const char *s)
{
	size_t i, n = strnlen(s, DHCP_NAME_MAX);

	if (n == DHCP_NAME_MAX)
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_msg m;
	enum dhcp_status st;

	st = dhcp_parse(&m, data, size);
	if ((unsigned)st >= DHCP__COUNT || dhcp_status_key(st) == NULL)
		abort();
	check_text(m.hostname);
	check_text(m.vendor);
	check_text(m.fqdn);
	return 0;
}
