/*
 * intel_rec.c - the record checks every indicator reader shares: strict
 * addresses and CIDR prefixes, domain names, URLs, role and category
 * words, and the quoting of untrusted text in messages.  One place, so a
 * name or an address means the same thing in every file format.
 */
#include "intel_reader.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "decode.h"

void
intel_quote(char *out, size_t outlen, const char *s, size_t len)
{
	size_t o = 0, i;
	unsigned char c;

	if (outlen < 8) {
		if (outlen > 0)
			out[0] = '\0';
		return;
	}
	out[o++] = '"';
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (o + 9 >= outlen || i >= 80) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x",
			    c);
		else
			out[o++] = (char)c;
	}
	out[o++] = '"';
	out[o] = '\0';
}

/* --- addresses ---------------------------------------------------------- */

enum cidr_err {
	CIDR_OK,
	CIDR_BAD_V4,
	CIDR_BAD_V6,
	CIDR_BAD_PLEN,
	CIDR_V4_RANGE,
	CIDR_V6_RANGE
};

static const char *const cidr_why[] = {
	[CIDR_OK] = "ok",
	[CIDR_BAD_V4] = "bad IPv4 address",
	[CIDR_BAD_V6] = "bad IPv6 address",
	[CIDR_BAD_PLEN] = "bad prefix length",
	[CIDR_V4_RANGE] = "prefix length out of range for IPv4",
	[CIDR_V6_RANGE] = "prefix length out of range for IPv6",
};

/*
 * Strict dotted quad: four decimal parts of 1-3 digits, no sign, no
 * leading zero (inet_aton would read 010 as octal 8, other tools as 10:
 * an IOC must not mean two things).
 */
static int
parse_v4(const char *s, size_t len, uint8_t out[4])
{
	size_t i = 0, part, nd;
	unsigned v;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= len || s[i] != '.')
				return -1;
			i++;
		}
		v = 0;
		for (nd = 0; i < len && s[i] >= '0' && s[i] <= '9'; nd++, i++) {
			if (nd == 3)
				return -1;
			v = v * 10 + (unsigned)(s[i] - '0');
		}
		if (nd == 0 || v > 255 || (nd > 1 && s[i - nd] == '0'))
			return -1;
		out[part] = (uint8_t)v;
	}
	return i == len ? 0 : -1;
}

static void
mask_addr(uint8_t a[16], unsigned plen)
{
	unsigned i;

	for (i = 0; i < 16; i++) {
		if (plen >= 8) {
			plen -= 8;
			continue;
		}
		a[i] &= (uint8_t)(0xff00u >> plen);
		plen = 0;
	}
}

/*
 * The parser behind intel_parse_cidr(); *plen_at is set to the offset of
 * the prefix length text (or len) so a caller can quote either part.
 */
static enum cidr_err
cidr_parse(const char *s, uint8_t addr[16], uint8_t *prefix, int *is_subnet,
    size_t *plen_at)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	char buf[INET6_ADDRSTRLEN];
	unsigned plen = 0, max, nd;
	const char *p;
	int v6 = memchr(s, ':', alen) != NULL;

	*plen_at = slash ? alen + 1 : alen;
	memset(addr, 0, 16);
	if (v6) {
		if (alen >= sizeof(buf))
			return CIDR_BAD_V6;
		memcpy(buf, s, alen);
		buf[alen] = '\0';
		if (inet_pton(AF_INET6, buf, addr) != 1)
			return CIDR_BAD_V6;
		max = 128;
	} else {
		if (parse_v4(s, alen, addr + 12) != 0)
			return CIDR_BAD_V4;
		addr[10] = addr[11] = 0xff;
		max = 32;
	}
	if (slash != NULL) {
		/* decimal, no sign, no leading zero, at most 3 digits */
		for (p = slash + 1, nd = 0; *p >= '0' && *p <= '9'; p++, nd++) {
			if (nd == 3)
				return CIDR_BAD_PLEN;
			plen = plen * 10 + (unsigned)(*p - '0');
		}
		if (nd == 0 || *p != '\0' || (nd > 1 && slash[1] == '0'))
			return CIDR_BAD_PLEN;
		if (plen > max)
			return v6 ? CIDR_V6_RANGE : CIDR_V4_RANGE;
	} else
		plen = max;
	if (!v6)
		plen += 96;
	mask_addr(addr, plen);
	*prefix = (uint8_t)plen;
	*is_subnet = slash != NULL;
	return CIDR_OK;
}

int
intel_parse_cidr(const char *s, uint8_t addr[16], uint8_t *prefix,
    int *is_subnet, const char **why)
{
	uint8_t a[16], pl = 0;
	int sub = 0;
	size_t at;
	enum cidr_err e;

	if (s == NULL) {
		if (why != NULL)
			*why = cidr_why[CIDR_BAD_V4];
		return -1;
	}
	e = cidr_parse(s, a, &pl, &sub, &at);
	if (e != CIDR_OK) {
		if (why != NULL)
			*why = cidr_why[e];
		return -1;
	}
	memcpy(addr, a, sizeof(a));
	if (prefix != NULL)
		*prefix = pl;
	if (is_subnet != NULL)
		*is_subnet = sub;
	return 0;
}

/* Decimal digits of v (< 1000) at p; the end. */
static char *
put_dec(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/*
 * Canonical text of a network: IPv4 when mapped and long enough.  IPv4
 * and the length by hand: glibc's inet_ntop() prints IPv4 with sprintf(),
 * and with the snprintf() after it that was 13 % of the instructions of
 * loading 100,000 indicators (callgrind).
 */
static void
format_net(char *out, size_t outlen, const uint8_t a[16], unsigned plen,
    int with_len)
{
	char b[INET6_ADDRSTRLEN + 4], *p = b;
	size_t n;
	int i;

	if (addr_is_v4mapped(a) && plen >= 96) {
		for (i = 12; i < 16; i++) {
			p = put_dec(p, a[i]);
			*p++ = '.';
		}
		p--;
		plen -= 96;
	} else {
		inet_ntop(AF_INET6, a, b, INET6_ADDRSTRLEN);
		p = b + strlen(b);
	}
	if (with_len) {
		*p++ = '/';
		p = put_dec(p, plen);
	}
	if (outlen == 0)
		return;
	n = (size_t)(p - b);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, b, n);
	out[n] = '\0';
}

/* What a byte is in a domain name: a table, not five compares a byte
 * (names are most of a large list). */
enum {
	DC_BAD,
	DC_DOT,
	DC_DIGIT,
	DC_UPPER,
	DC_NAME
};
static const unsigned char dom_class[256] = {
	['.'] = DC_DOT,
	['0'] = DC_DIGIT,
	['1'] = DC_DIGIT,
	['2'] = DC_DIGIT,
	['3'] = DC_DIGIT,
	['4'] = DC_DIGIT,
	['5'] = DC_DIGIT,
	['6'] = DC_DIGIT,
	['7'] = DC_DIGIT,
	['8'] = DC_DIGIT,
	['9'] = DC_DIGIT,
	['A'] = DC_UPPER,
	['B'] = DC_UPPER,
	['C'] = DC_UPPER,
	['D'] = DC_UPPER,
	['E'] = DC_UPPER,
	['F'] = DC_UPPER,
	['G'] = DC_UPPER,
	['H'] = DC_UPPER,
	['I'] = DC_UPPER,
	['J'] = DC_UPPER,
	['K'] = DC_UPPER,
	['L'] = DC_UPPER,
	['M'] = DC_UPPER,
	['N'] = DC_UPPER,
	['O'] = DC_UPPER,
	['P'] = DC_UPPER,
	['Q'] = DC_UPPER,
	['R'] = DC_UPPER,
	['S'] = DC_UPPER,
	['T'] = DC_UPPER,
	['U'] = DC_UPPER,
	['V'] = DC_UPPER,
	['W'] = DC_UPPER,
	['X'] = DC_UPPER,
	['Y'] = DC_UPPER,
	['Z'] = DC_UPPER,
	['a'] = DC_NAME,
	['b'] = DC_NAME,
	['c'] = DC_NAME,
	['d'] = DC_NAME,
	['e'] = DC_NAME,
	['f'] = DC_NAME,
	['g'] = DC_NAME,
	['h'] = DC_NAME,
	['i'] = DC_NAME,
	['j'] = DC_NAME,
	['k'] = DC_NAME,
	['l'] = DC_NAME,
	['m'] = DC_NAME,
	['n'] = DC_NAME,
	['o'] = DC_NAME,
	['p'] = DC_NAME,
	['q'] = DC_NAME,
	['r'] = DC_NAME,
	['s'] = DC_NAME,
	['t'] = DC_NAME,
	['u'] = DC_NAME,
	['v'] = DC_NAME,
	['w'] = DC_NAME,
	['x'] = DC_NAME,
	['y'] = DC_NAME,
	['z'] = DC_NAME,
	['-'] = DC_NAME,
	['_'] = DC_NAME,
};

/*
 * A domain name: lower-cased, one trailing dot removed, labels of 1-63
 * bytes of [a-z0-9-_], 253 bytes at most.  An all-digit last label is
 * refused: no TLD is numeric, so "300.1.2.3" is a bad address, not a name.
 */
int
intel_parse_domain(const char *s, size_t len, char out[INTEL_REC_TEXT],
    char *why, size_t whylen)
{
	size_t i, lab = 0;
	int digits_only = 1;
	unsigned char c;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253) {
		snprintf(why, whylen, "domain name longer than 253 bytes");
		if (len == 0)
			snprintf(why, whylen, "empty domain name");
		return -1;
	}
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		switch (dom_class[c]) {
		case DC_DOT:
			if (lab == 0) {
				snprintf(why, whylen, "empty label in domain");
				return -1;
			}
			lab = 0;
			digits_only = 1;
			out[i] = '.';
			continue;
		case DC_BAD:
			snprintf(why, whylen, "bad character in domain");
			return -1;
		case DC_UPPER:
			/* ASCII only: tolower() asks the locale */
			c = (unsigned char)(c - 'A' + 'a');
			/* fall through */
		case DC_NAME:
			digits_only = 0;
			break;
		default: /* DC_DIGIT */
			break;
		}
		if (++lab > 63) {
			snprintf(why, whylen, "domain label longer than 63 "
			    "bytes");
			return -1;
		}
		out[i] = (char)c;
	}
	if (lab == 0) {
		snprintf(why, whylen, "empty label in domain");
		return -1;
	}
	if (digits_only) {
		snprintf(why, whylen, "bad IPv4 address");
		return -1;
	}
	out[len] = '\0';
	return 0;
}

/* Fill r from an address or prefix token; reason in why. */
int
intel_rec_cidr(struct intel_rec *r, const char *tok, char *why, size_t whylen)
{
	char q[128];
	size_t at;
	int sub;
	enum cidr_err e;

	e = cidr_parse(tok, r->addr, &r->prefix, &sub, &at);
	switch (e) {
	case CIDR_OK:
		break;
	case CIDR_BAD_V4:
	case CIDR_BAD_V6:
		intel_quote(q, sizeof(q), tok, strlen(tok));
		snprintf(why, whylen, "%s %s", cidr_why[e], q);
		return -1;
	case CIDR_BAD_PLEN:
		intel_quote(q, sizeof(q), tok + at, strlen(tok + at));
		snprintf(why, whylen, "bad prefix length %s", q);
		return -1;
	case CIDR_V4_RANGE:
	case CIDR_V6_RANGE:
		snprintf(why, whylen, "prefix length %s out of range for %s",
		    tok + at, e == CIDR_V4_RANGE ? "IPv4" : "IPv6");
		return -1;
	}
	r->type = sub ? INTEL_SUBNET : INTEL_ADDR;
	r->zeek_type = sub ? "Intel::SUBNET" : "Intel::ADDR";
	format_net(r->text, sizeof(r->text), r->addr, r->prefix, sub);
	return 0;
}

/* Does this token look like an address (so a failure is a bad address)? */
int
intel_looks_like_addr(const char *tok, size_t len)
{
	size_t i, last = 0;

	/* one pass: any ':' or '/', and where the last label starts */
	for (i = 0; i < len; i++) {
		if (tok[i] == ':' || tok[i] == '/')
			return 1;
		if (tok[i] == '.' && i + 1 < len)
			last = i + 1;
	}
	for (i = last; i < len && tok[i] != '.'; i++)
		if (tok[i] < '0' || tok[i] > '9')
			return 0;
	return 1;
}

/* An address, prefix or domain, as a plain list or Intel::* would hold. */
int
intel_rec_any(struct intel_rec *r, const char *tok, char *why, size_t whylen)
{

	if (intel_looks_like_addr(tok, strlen(tok)))
		return intel_rec_cidr(r, tok, why, whylen);
	return intel_rec_domain(r, tok, why, whylen);
}

/*
 * A URL where a domain was expected (upstream lists carry a few, such as
 * a GitHub repository as "distribution"): kept as Intel::URL, which is
 * not matched, rather than turned into its host: "github.com" must never
 * become an indicator.  Returns 1 when tok is such a URL (r filled), 0
 * when not, -1 (why) when too long.
 */
int
intel_rec_url(struct intel_rec *r, const char *tok, char *why, size_t whylen)
{
	const char *c = strchr(tok, ':');
	size_t len;

	/* strchr(), not strstr(): every line of a list is asked */
	while (c != NULL && strncmp(c, "://", 3) != 0)
		c = strchr(c + 1, ':');
	if (c == NULL)
		return 0;
	len = strlen(tok);
	if (len >= sizeof(r->text)) {
		snprintf(why, whylen, "URL longer than %zu bytes",
		    sizeof(r->text) - 1);
		return -1;
	}
	memcpy(r->text, tok, len + 1);
	r->type = INTEL_OTHER;
	r->zeek_type = "Intel::URL";
	return 1;
}

/*
 * The host of a URL ("scheme://user@host:port/path"), into out; 0 or -1.
 */
int
intel_url_host(const char *url, char *out, size_t outlen)
{
	const char *p = strstr(url, "://"), *h, *e, *at;
	size_t n;

	h = p != NULL ? p + 3 : url;
	e = h + strcspn(h, "/?#");
	at = memchr(h, '@', (size_t)(e - h));
	if (at != NULL)
		h = at + 1;
	if (*h == '[') {
		h++;
		if ((p = memchr(h, ']', (size_t)(e - h))) == NULL)
			return -1;
		e = p;
	} else if ((p = memchr(h, ':', (size_t)(e - h))) != NULL)
		e = p;
	n = (size_t)(e - h);
	if (n == 0 || n >= outlen)
		return -1;
	memcpy(out, h, n);
	out[n] = '\0';
	return 0;
}

void
intel_rec_clear(struct intel_rec *r)
{
	r->type = (enum intel_type)0;
	r->zeek_type = r->source = r->desc = r->app = NULL;
	r->role = (enum intel_role)0;
	r->category = (enum intel_category)0;
	r->subdomains = r->role_assumed = 0;
	r->text[0] = '\0';
	memset(r->addr, 0, sizeof(r->addr));
	r->prefix = 0;
	r->port = 0;
}

void
intel_rec_init(struct intel_rec *r)
{
	intel_rec_clear(r);
	r->role = INTEL_ROLE_C2;
	r->category = INTEL_CAT_STALKERWARE;
	r->subdomains = 1;	/* as the upstream lists mean it */
}

int
intel_rec_domain(struct intel_rec *r, const char *tok, char *why,
    size_t whylen)
{
	char q[128], w[64];
	size_t len = strlen(tok);

	if (intel_parse_domain(tok, len, r->text, w, sizeof(w)) != 0) {
		intel_quote(q, sizeof(q), tok, len);
		snprintf(why, whylen, "%s %s", w, q);
		return -1;
	}
	r->type = INTEL_DOMAIN;
	r->zeek_type = "Intel::DOMAIN";
	return 0;
}

int
intel_parse_class(const char *v, size_t len, enum intel_role *role,
    enum intel_category *cat)
{
	static const struct {
		const char *word;
		int is_role, value;
	} w[] = {
		{ "c2", 1, INTEL_ROLE_C2 },
		{ "website", 1, INTEL_ROLE_WEBSITE },
		{ "distribution", 1, INTEL_ROLE_DISTRIBUTION },
		{ "stalkerware", 0, INTEL_CAT_STALKERWARE },
		{ "watchware", 0, INTEL_CAT_WATCHWARE },
	};
	size_t i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		if (strlen(w[i].word) != len || strncasecmp(v, w[i].word,
		    len) != 0)
			continue;
		if (w[i].is_role && role != NULL)
			*role = (enum intel_role)w[i].value;
		else if (!w[i].is_role && cat != NULL)
			*cat = (enum intel_category)w[i].value;
		else
			return -1;
		return 0;
	}
	return -1;
}
