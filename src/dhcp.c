/*
 * dhcp.c - DHCP messages off the wire (dhcp.h).
 */
#include "dhcp.h"

#include <string.h>

#include "rd.h"

#define DHCP_FIXED  236 /* op .. file, before the cookie */
#define DHCP_COOKIE 0x63825363u

static const char *const dhcp_keys[DHCP__COUNT] = {
	[DHCP_OK] = "dhcp.ok",
	[DHCP_TRUNCATED] = "dhcp.truncated",
	[DHCP_NOT_DHCP] = "dhcp.not_dhcp",
	[DHCP_BAD_OPTION] = "dhcp.bad_option",
};

const char *
dhcp_status_key(enum dhcp_status s)
{
	return (unsigned)s < DHCP__COUNT ? dhcp_keys[s] : NULL;
}

/* Option text: printable ASCII kept, anything else as '?', NUL ended. */
static void
opt_text(char *out, const uint8_t *p, size_t n)
{
	size_t i;

	if (n > DHCP_NAME_MAX - 1)
		n = DHCP_NAME_MAX - 1;
	for (i = 0; i < n; i++)
		out[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	/* a trailing NUL some clients send is no part of the name */
	while (i > 0 && p[i - 1] == 0) {
		i--;
	}
	out[i] = '\0';
}

/* Option 81 (RFC 4702): flags, two rcodes, then the name, in DNS wire
 * form when the E flag is set (labels joined with dots), else ASCII. */
static void
opt_fqdn(char *out, const uint8_t *p, size_t n)
{
	size_t i, o = 0, l;

	out[0] = '\0';
	if (n < 3)
		return;
	if (!(p[0] & 0x04)) {
		opt_text(out, p + 3, n - 3);
		return;
	}
	for (i = 3; i < n && p[i] != 0; i += l + 1) {
		l = p[i];
		if (l > 63 || i + 1 + l > n || o + l + 2 > DHCP_NAME_MAX)
			break;
		if (o > 0)
			out[o++] = '.';
		opt_text(out + o, p + i + 1, l);
		o += strlen(out + o);
	}
	out[o] = '\0';
}

enum dhcp_status
dhcp_parse(struct dhcp_msg *m, const uint8_t *buf, size_t caplen)
{
	struct rd r;
	const uint8_t *v;
	uint8_t code, len, htype, hlen;

	memset(m, 0, sizeof(*m));
	rd_init(&r, buf, caplen);
	m->op = rd_u8(&r);
	htype = rd_u8(&r);
	hlen = rd_u8(&r);
	rd_skip(&r, 1); /* hops */
	m->xid = rd_be32(&r);
	rd_skip(&r, 4); /* secs, flags */
	rd_bytes(&r, m->ciaddr, 4);
	rd_bytes(&r, m->yiaddr, 4);
	rd_skip(&r, 8); /* siaddr, giaddr */
	rd_bytes(&r, m->chaddr, 6);
	if (r.err)
		return DHCP_TRUNCATED;
	if ((m->op != 1 && m->op != 2) || htype != 1 || hlen != 6)
		return DHCP_NOT_DHCP;
	m->header_ok = 1;
	rd_skip(&r, DHCP_FIXED - 34); /* the rest of chaddr, sname, file */
	if (rd_left(&r) < 4)
		return DHCP_TRUNCATED;
	if (rd_be32(&r) != DHCP_COOKIE)
		return DHCP_NOT_DHCP;
	for (;;) {
		if (rd_left(&r) == 0)
			return DHCP_TRUNCATED;
		code = rd_u8(&r);
		if (code == 0)
			continue; /* pad */
		if (code == 255)
			return DHCP_OK;
		if (rd_left(&r) == 0)
			return DHCP_TRUNCATED;
		len = rd_u8(&r);
		if ((v = rd_ptr(&r, len)) == NULL)
			return DHCP_TRUNCATED;
		switch (code) {
		case 53:
			if (len != 1)
				return DHCP_BAD_OPTION;
			m->type = v[0];
			break;
		case 1:
		case 3:
		case 50:
		case 54:
			/* option 3 may list several routers: the first */
			if (len < 4 || (code != 3 && len != 4))
				return DHCP_BAD_OPTION;
			if (code == 1) {
				memcpy(m->mask, v, 4);
				m->has_mask = 1;
			} else if (code == 3) {
				memcpy(m->router, v, 4);
				m->has_router = 1;
			} else if (code == 50) {
				memcpy(m->requested, v, 4);
				m->has_requested = 1;
			} else {
				memcpy(m->server, v, 4);
				m->has_server = 1;
			}
			break;
		case 12:
			opt_text(m->hostname, v, len);
			break;
		case 60:
			opt_text(m->vendor, v, len);
			break;
		case 81:
			opt_fqdn(m->fqdn, v, len);
			break;
		case 52:
			m->overload = 1;
			break;
		default:
			break;
		}
	}
}
