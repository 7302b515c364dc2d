/*
 * intel.c - indicator sets (IOCs): readers for indicator files and a
 * longest-prefix match over the address indicators.
 *
 * The central structure is struct intel: a growing array of struct
 * intel_item (their strings in a bump arena, freed at once), and after
 * intel_finalize() one struct intel_level per distinct prefix length: a
 * sorted array of (masked network, item) pairs.  A lookup masks the
 * address to each length, longest first, and binary-searches that array;
 * the first hit is the longest prefix.
 *
 * Files are read whole (capped), split into lines, and each line is handed
 * to one reader from the table `readers`, chosen by the file's first
 * non-empty line.  A reader turns a line into zero or one indicator, or a
 * reason; the loader owns line numbers, "file:line: reason" messages,
 * lenient mode and the roll-back of a file that fails.  A new format
 * (Echap network.csv, TinyCheck JSON, MISP, hosts files) is a new entry in
 * that table.
 */
#include "intel.h"
#include "config.h"

#include <sys/stat.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Limits.  They belong in config.h; these defaults stand until they move
 * there.
 */
#ifndef SW_INTEL_MAX_LINE
/* Longest line read, bytes.  A longer one is an error, never truncated:
 * a cut indicator would silently match something else. */
#define SW_INTEL_MAX_LINE	4096
#endif
#ifndef SW_INTEL_MAX_FILE
/* Largest indicator file, bytes; files are read whole. */
#define SW_INTEL_MAX_FILE	(64u << 20)
#endif
#ifndef SW_INTEL_MAX_ITEMS
/* Cap on indicators in one set, all files together: about 100 bytes each
 * plus strings, so about 200 MiB at the cap. */
#define SW_INTEL_MAX_ITEMS	(1u << 20)
#endif
#ifndef SW_INTEL_MAX_FIELDS
/* Most columns in a Zeek Intel `#fields` header. */
#define SW_INTEL_MAX_FIELDS	64
#endif

#define ARENA_CHUNK	(64u << 10)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	char data[];
};

/*
 * One entry of the LPM index: a masked network as two big-endian 64-bit
 * halves (two integer compares instead of a 16-byte memcmp in the binary
 * search), and the item it came from.
 */
struct intel_net {
	uint64_t hi, lo;
	const struct intel_item *item;
};

struct intel_level {
	uint8_t plen;
	size_t n;
	struct intel_net *nets;	/* sorted by net */
};

struct intel {
	struct intel_item *items;
	size_t n, cap;
	size_t count[INTEL_OTHER + 1];
	struct arena_chunk *arena;
	struct intel_level *levels;	/* longest prefix first */
	size_t nlevels;
	int finalized;
};

/* --- strings ------------------------------------------------------------ */

static char *
arena_strndup(struct intel *in, const char *s, size_t len)
{
	struct arena_chunk *c = in->arena;
	size_t need = len + 1, size;
	char *p;

	if (c == NULL || c->size - c->used < need) {
		size = need > ARENA_CHUNK ? need : ARENA_CHUNK;
		if (size > SIZE_MAX - sizeof(*c))
			return NULL;
		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = in->arena;
		in->arena = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += need;
	return p;
}

static char *
arena_strdup(struct intel *in, const char *s)
{
	return s == NULL ? NULL : arena_strndup(in, s, strlen(s));
}

/*
 * Quote untrusted text for a one-line message: control and non-ASCII
 * bytes become \xNN, long text is cut with "...", so a hostile file can
 * neither split a log line nor flood it.
 */
static void
quote(char *out, size_t outlen, const char *s, size_t len)
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
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o++] = '"';
	out[o] = '\0';
}

static void
seterr(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errbuf == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
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

static int
is_v4mapped(const uint8_t a[16])
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	return memcmp(a, pfx, sizeof(pfx)) == 0;
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

/* Canonical text of a network: IPv4 when mapped and long enough. */
static void
format_net(char *out, size_t outlen, const uint8_t a[16], unsigned plen,
    int with_len)
{
	char b[INET6_ADDRSTRLEN];

	if (is_v4mapped(a) && plen >= 96) {
		inet_ntop(AF_INET, a + 12, b, sizeof(b));
		plen -= 96;
	} else
		inet_ntop(AF_INET6, a, b, sizeof(b));
	if (with_len)
		snprintf(out, outlen, "%s/%u", b, plen);
	else
		snprintf(out, outlen, "%s", b);
}

/* --- what a reader hands the loader -------------------------------------- */

/* One parsed indicator, pointing into the line or into `text`. */
struct intel_rec {
	enum intel_type type;
	const char *zeek_type;
	const char *source;	/* NULL: the file's base name */
	const char *desc;	/* NULL: none */
	char text[256];		/* normalised indicator */
	uint8_t addr[16];
	uint8_t prefix;
};

/*
 * A domain name: lower-cased, one trailing dot removed, labels of 1-63
 * bytes of [a-z0-9-_], 253 bytes at most.  An all-digit last label is
 * refused: no TLD is numeric, so "300.1.2.3" is a bad address, not a name.
 */
static int
parse_domain(const char *s, size_t len, char out[256], char *why,
    size_t whylen)
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
		if (c == '.') {
			if (lab == 0) {
				snprintf(why, whylen, "empty label in domain");
				return -1;
			}
			lab = 0;
			digits_only = 1;
			out[i] = '.';
			continue;
		}
		c = (unsigned char)tolower(c);
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_')) {
			snprintf(why, whylen, "bad character in domain");
			return -1;
		}
		if (!(c >= '0' && c <= '9'))
			digits_only = 0;
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
static int
rec_cidr(struct intel_rec *r, const char *tok, char *why, size_t whylen)
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
		quote(q, sizeof(q), tok, strlen(tok));
		snprintf(why, whylen, "%s %s", cidr_why[e], q);
		return -1;
	case CIDR_BAD_PLEN:
		quote(q, sizeof(q), tok + at, strlen(tok + at));
		snprintf(why, whylen, "bad prefix length %s", q);
		return -1;
	case CIDR_V4_RANGE:
	case CIDR_V6_RANGE:
		snprintf(why, whylen, "prefix length %s out of range for %s",
		    tok + at, e == CIDR_V4_RANGE ? "IPv4" : "IPv6");
		return -1;
	}
	r->type = sub ? INTEL_SUBNET : INTEL_ADDR;
	format_net(r->text, sizeof(r->text), r->addr, r->prefix, sub);
	return 0;
}

/* Does this token look like an address (so a failure is a bad address)? */
static int
looks_like_addr(const char *tok, size_t len)
{
	size_t i, last = 0;

	if (memchr(tok, ':', len) != NULL || memchr(tok, '/', len) != NULL)
		return 1;
	for (i = 0; i < len; i++)
		if (tok[i] == '.' && i + 1 < len)
			last = i + 1;
	for (i = last; i < len && tok[i] != '.'; i++)
		if (tok[i] < '0' || tok[i] > '9')
			return 0;
	return 1;
}

/* An address, prefix or domain, as a plain list or Intel::* would hold. */
static int
rec_any(struct intel_rec *r, const char *tok, char *why, size_t whylen)
{
	char q[128], w[64];
	size_t len = strlen(tok);

	if (looks_like_addr(tok, len))
		return rec_cidr(r, tok, why, whylen);
	if (parse_domain(tok, len, r->text, w, sizeof(w)) != 0) {
		quote(q, sizeof(q), tok, len);
		snprintf(why, whylen, "%s %s", w, q);
		return -1;
	}
	r->type = INTEL_DOMAIN;
	return 0;
}

/* --- readers ------------------------------------------------------------ */

struct intel_zeek {
	size_t nfields;
	int f_ind, f_type, f_src, f_desc;	/* -1: absent */
};

/* What a reader keeps across the lines of one file. */
struct intel_rctx {
	struct intel_zeek zk;
};

/*
 * A reader: `sniff` says whether a file whose first non-empty line is
 * `first` is of its format; `line` turns one line (NUL-terminated, CR and
 * newline removed, never empty) into a record.  It returns 1 with *r
 * filled, 0 for a line without indicator (a comment), or -1 with why.
 */
struct intel_reader {
	const char *name;
	int (*sniff)(const char *first);
	int (*line)(struct intel_rctx *x, char *line, struct intel_rec *r,
	    char *why, size_t whylen);
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static int
zeek_sniff(const char *first)
{
	return strncmp(first, "#fields", 7) == 0 &&
	    (first[7] == '\t' || first[7] == ' ' || first[7] == '\0');
}

static int
zeek_header(struct intel_zeek *zk, char *line, char *why, size_t whylen)
{
	char *f, *next, q[128];
	int *slot;
	size_t i;

	if (line[7] != '\t') {
		snprintf(why, whylen, "#fields header must be TAB-separated");
		return -1;
	}
	memset(zk, 0, sizeof(*zk));
	zk->f_ind = zk->f_type = zk->f_src = zk->f_desc = -1;
	for (f = line + 8, i = 0; f != NULL; f = next, i++) {
		if ((next = strchr(f, '\t')) != NULL)
			*next++ = '\0';
		if (i >= SW_INTEL_MAX_FIELDS) {
			snprintf(why, whylen, "more than %d fields in #fields "
			    "header", SW_INTEL_MAX_FIELDS);
			return -1;
		}
		slot = strcmp(f, "indicator") == 0 ? &zk->f_ind :
		    strcmp(f, "indicator_type") == 0 ? &zk->f_type :
		    strcmp(f, "meta.source") == 0 ? &zk->f_src :
		    strcmp(f, "meta.desc") == 0 ? &zk->f_desc : NULL;
		if (slot == NULL)
			continue;	/* other meta.* fields: not used */
		if (*slot != -1) {
			quote(q, sizeof(q), f, strlen(f));
			snprintf(why, whylen, "field %s named twice in #fields "
			    "header", q);
			return -1;
		}
		*slot = (int)i;
	}
	zk->nfields = i;
	if (zk->f_ind < 0 || zk->f_type < 0) {
		snprintf(why, whylen, "#fields header has no \"%s\" field",
		    zk->f_ind < 0 ? "indicator" : "indicator_type");
		zk->nfields = 0;
		return -1;
	}
	return 0;
}

/* Zeek's unset and empty field markers. */
static const char *
zeek_value(const char *v)
{
	if (strcmp(v, "-") == 0 || strcmp(v, "(empty)") == 0 || *v == '\0')
		return NULL;
	return v;
}

static int
zeek_line(struct intel_rctx *x, char *line, struct intel_rec *r, char *why,
    size_t whylen)
{
	struct intel_zeek *zk = &x->zk;
	char *fields[SW_INTEL_MAX_FIELDS], *f, *next, q[128];
	const char *ind, *type;
	size_t i;
	size_t len;

	if (zeek_sniff(line))
		return zeek_header(zk, line, why, whylen) == 0 ? 0 : -1;
	if (line[0] == '#')
		return 0;	/* #separator, #close, comments */
	/* trailing blanks are not data; a trailing TAB is an empty field */
	len = strlen(line);
	while (len > 0 && line[len - 1] == ' ')
		line[--len] = '\0';
	if (len == 0)
		return 0;
	if (zk->nfields == 0) {
		snprintf(why, whylen, "row before a valid #fields header");
		return -1;
	}
	for (f = line, i = 0; f != NULL; f = next, i++) {
		if ((next = strchr(f, '\t')) != NULL)
			*next++ = '\0';
		if (i < zk->nfields)
			fields[i] = f;
	}
	if (i != zk->nfields) {
		snprintf(why, whylen, "expected %zu TAB-separated fields, got "
		    "%zu", zk->nfields, i);
		return -1;
	}
	ind = zeek_value(fields[zk->f_ind]);
	type = zeek_value(fields[zk->f_type]);
	if (ind == NULL || type == NULL) {
		snprintf(why, whylen, "%s is unset",
		    ind == NULL ? "indicator" : "indicator_type");
		return -1;
	}
	if (strncmp(type, "Intel::", 7) != 0 || type[7] == '\0' ||
	    strspn(type + 7, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
	    strlen(type + 7)) {
		quote(q, sizeof(q), type, strlen(type));
		snprintf(why, whylen, "bad indicator type %s", q);
		return -1;
	}
	r->zeek_type = type;
	r->source = zk->f_src >= 0 ? zeek_value(fields[zk->f_src]) : NULL;
	r->desc = zk->f_desc >= 0 ? zeek_value(fields[zk->f_desc]) : NULL;
	if (strcmp(type, "Intel::ADDR") == 0 ||
	    strcmp(type, "Intel::SUBNET") == 0) {
		int want_sub = type[7] == 'S';

		if (rec_cidr(r, ind, why, whylen) != 0)
			return -1;
		if ((r->type == INTEL_SUBNET) != want_sub) {
			quote(q, sizeof(q), ind, strlen(ind));
			snprintf(why, whylen, want_sub ? "Intel::SUBNET %s has "
			    "no prefix length" : "Intel::ADDR %s is a prefix, "
			    "not an address", q);
			return -1;
		}
		return 1;
	}
	if (strcmp(type, "Intel::DOMAIN") == 0) {
		if (rec_any(r, ind, why, whylen) != 0)
			return -1;
		if (r->type != INTEL_DOMAIN) {
			quote(q, sizeof(q), ind, strlen(ind));
			snprintf(why, whylen, "Intel::DOMAIN %s is an address",
			    q);
			return -1;
		}
		return 1;
	}
	/* URL, EMAIL, hashes...: kept for the readers of later issues */
	len = strlen(ind);
	if (len >= sizeof(r->text)) {
		snprintf(why, whylen, "indicator longer than %zu bytes",
		    sizeof(r->text) - 1);
		return -1;
	}
	memcpy(r->text, ind, len + 1);
	r->type = INTEL_OTHER;
	return 1;
}

static int
plain_sniff(const char *first)
{
	(void)first;
	return 1;
}

static int
plain_line(struct intel_rctx *x, char *line, struct intel_rec *r, char *why,
    size_t whylen)
{
	char *p = line, *tok, *end, q[128];

	(void)x;
	while (is_space(*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	tok = p;
	while (*p != '\0' && !is_space(*p))
		p++;
	if (*p != '\0') {
		*p++ = '\0';
		while (is_space(*p))
			p++;
		if (*p != '\0' && *p != '#') {
			quote(q, sizeof(q), p, strlen(p));
			snprintf(why, whylen, "unexpected text after indicator:"
			    " %s", q);
			return -1;
		}
		if (*p == '#') {
			/* "... # desc": the comment describes the indicator */
			for (p++; is_space(*p); p++)
				;
			end = p + strlen(p);
			while (end > p && is_space(end[-1]))
				*--end = '\0';
			r->desc = *p != '\0' ? p : NULL;
		}
	}
	if (rec_any(r, tok, why, whylen) != 0)
		return -1;
	r->zeek_type = r->type == INTEL_ADDR ? "Intel::ADDR" :
	    r->type == INTEL_SUBNET ? "Intel::SUBNET" : "Intel::DOMAIN";
	return 1;
}

/* Tried in order; the last one takes anything. */
static const struct intel_reader readers[] = {
	{ "zeek-intel", zeek_sniff, zeek_line },
	{ "plain", plain_sniff, plain_line },
};

/* --- loading ------------------------------------------------------------ */

static void
count_sub(struct intel *in, size_t from)
{
	size_t i;

	for (i = from; i < in->n; i++)
		in->count[in->items[i].type]--;
	in->n = from;
}

/* Returns 0, or -2 (why) when the set is full or memory ran out. */
static int
add_rec(struct intel *in, const struct intel_rec *r, const char *base,
    char *why, size_t whylen)
{
	struct intel_item *it, *ni;
	size_t ncap;

	if (in->n >= SW_INTEL_MAX_ITEMS) {
		snprintf(why, whylen, "more than %u indicators",
		    (unsigned)SW_INTEL_MAX_ITEMS);
		return -2;
	}
	if (in->n == in->cap) {
		ncap = in->cap ? in->cap * 2 : 64;
		if (ncap > SW_INTEL_MAX_ITEMS)
			ncap = SW_INTEL_MAX_ITEMS;
		if ((ni = reallocarray(in->items, ncap, sizeof(*ni))) == NULL)
			goto nomem;
		in->items = ni;
		in->cap = ncap;
	}
	it = &in->items[in->n];
	memset(it, 0, sizeof(*it));
	it->type = r->type;
	it->prefix = r->prefix;
	memcpy(it->addr, r->addr, sizeof(it->addr));
	if ((it->indicator = arena_strdup(in, r->text)) == NULL ||
	    (it->zeek_type = arena_strdup(in, r->zeek_type)) == NULL ||
	    (it->source = arena_strdup(in, r->source ? r->source : base)) ==
	    NULL || (r->desc != NULL &&
	    (it->desc = arena_strdup(in, r->desc)) == NULL))
		goto nomem;
	in->n++;
	in->count[r->type]++;
	in->finalized = 0;
	return 0;
nomem:
	snprintf(why, whylen, "out of memory");
	return -2;
}

/*
 * Read a whole file, refusing more than SW_INTEL_MAX_FILE bytes.  The
 * buffer gets a NUL after the data (the data may hold NULs of its own).
 */
static int
read_all(const char *path, char **bufp, size_t *lenp, char *errbuf,
    size_t errlen)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t got;
	int fd;
	struct stat st;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		seterr(errbuf, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		seterr(errbuf, errlen, "%s: %s", path, strerror(EISDIR));
		close(fd);
		return -1;
	}
	for (;;) {
		if (cap - len < 2) {
			cap = cap ? cap * 2 : 8192;
			if (cap > SW_INTEL_MAX_FILE + 2)
				cap = SW_INTEL_MAX_FILE + 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				seterr(errbuf, errlen, "%s: out of memory",
				    path);
				goto fail;
			}
			buf = nb;
		}
		got = read(fd, buf + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			seterr(errbuf, errlen, "%s: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		len += (size_t)got;
		if (len > SW_INTEL_MAX_FILE) {
			seterr(errbuf, errlen, "%s: larger than %u bytes",
			    path, (unsigned)SW_INTEL_MAX_FILE);
			goto fail;
		}
	}
	close(fd);
	if (buf == NULL && (buf = malloc(1)) == NULL) {
		seterr(errbuf, errlen, "%s: out of memory", path);
		return -1;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	close(fd);
	free(buf);
	return -1;
}

static int
blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_space(s[i]) && s[i] != '\r')
			return 0;
	return 1;
}

/*
 * Add the indicators of one file's bytes.  `path` names the file in
 * messages; the item source defaults to its base name.  A bad line goes
 * to opts->warn; unless lenient, every line is still checked (so the
 * operator sees every problem at once), then the file's indicators are
 * taken back and the first problem is returned.
 */
static int
load_buf(struct intel *in, const char *path, char *buf, size_t len,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen)
{
	const struct intel_reader *rd = NULL;
	struct intel_rctx x;
	struct intel_rec r;
	const char *base = strrchr(path, '/');
	char why[256], msg[512], line[SW_INTEL_MAX_LINE + 1];
	char *p = buf, *end = buf + len, *nl;
	size_t start = in->n, lineno = 0, llen, i;
	int bad = 0, rc;

	base = base != NULL && base[1] != '\0' ? base + 1 : path;
	memset(&x, 0, sizeof(x));
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* UTF-8 byte order mark */
	for (; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		llen = (size_t)(nl - p);
		if (llen > 0 && p[llen - 1] == '\r')
			llen--;
		why[0] = '\0';
		rc = 0;
		if (llen > SW_INTEL_MAX_LINE) {
			snprintf(why, sizeof(why), "line longer than %d bytes",
			    SW_INTEL_MAX_LINE);
			rc = -1;
		} else if (memchr(p, '\0', llen) != NULL) {
			snprintf(why, sizeof(why), "NUL byte in line");
			rc = -1;
		} else if (!blank(p, llen)) {
			memcpy(line, p, llen);
			line[llen] = '\0';
			if (rd == NULL)
				for (i = 0; rd == NULL; i++)
					if (readers[i].sniff(line))
						rd = &readers[i];
			memset(&r, 0, sizeof(r));
			rc = rd->line(&x, line, &r, why, sizeof(why));
			if (rc == 1)
				rc = add_rec(in, &r, base, why, sizeof(why));
		}
		if (rc >= 0)
			continue;
		snprintf(msg, sizeof(msg), "%s:%zu: %s", path, lineno, why);
		if (opts != NULL && opts->warn != NULL)
			opts->warn(opts->warn_ctx, msg);
		if (!bad)
			seterr(errbuf, errlen, "%s", msg);
		bad = 1;
		/* running out of room ends the file whatever the mode */
		if (rc == -2) {
			count_sub(in, start);
			return -1;
		}
	}
	if (bad && (opts == NULL || !opts->lenient)) {
		count_sub(in, start);
		return -1;
	}
	return 0;
}

int
intel_load_file(struct intel *in, const char *path,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (in == NULL || path == NULL) {
		seterr(errbuf, errlen, "intel_load_file: no set or no path");
		return -1;
	}
	if (read_all(path, &buf, &len, errbuf, errlen) != 0)
		return -1;
	rc = load_buf(in, path, buf, len, opts, errbuf, errlen);
	free(buf);
	return rc;
}

static int
dir_wanted(const struct dirent *d)
{
	static const char *const ext[] = { ".txt", ".intel", ".dat", ".csv" };
	size_t n = strlen(d->d_name), i, e;

	if (d->d_name[0] == '.' || strncmp(d->d_name, "known-good", 10) == 0 ||
	    strncmp(d->d_name, "README", 6) == 0)
		return 0;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		e = strlen(ext[i]);
		if (n > e && strcmp(d->d_name + n - e, ext[i]) == 0)
			return 1;
	}
	return 0;
}

/* Byte order, not the locale's: the same files load in the same order. */
static int
dir_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int
intel_load_dir(struct intel *in, const char *dir,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen)
{
	struct dirent **names = NULL;
	struct stat st;
	char path[PATH_MAX];
	int n, i, rc = 0;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (in == NULL || dir == NULL) {
		seterr(errbuf, errlen, "intel_load_dir: no set or no dir");
		return -1;
	}
	if ((n = scandir(dir, &names, dir_wanted, dir_cmp)) < 0) {
		seterr(errbuf, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (rc == 0) {
			if (snprintf(path, sizeof(path), "%s/%s", dir,
			    names[i]->d_name) >= (int)sizeof(path)) {
				seterr(errbuf, errlen, "%s/%s: path too long",
				    dir, names[i]->d_name);
				rc = -1;
			} else if (stat(path, &st) == 0 &&
			    !S_ISREG(st.st_mode)) {
				/* a directory named x.txt is not a list */
			} else
				rc = intel_load_file(in, path, opts, errbuf,
				    errlen);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* --- the set ------------------------------------------------------------ */

struct intel *
intel_new(void)
{
	return calloc(1, sizeof(struct intel));
}

static void
levels_free(struct intel *in)
{
	size_t i;

	for (i = 0; i < in->nlevels; i++)
		free(in->levels[i].nets);
	free(in->levels);
	in->levels = NULL;
	in->nlevels = 0;
}

void
intel_free(struct intel *in)
{
	struct arena_chunk *c, *next;

	if (in == NULL)
		return;
	levels_free(in);
	for (c = in->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(in->items);
	free(in);
}

/*
 * Order for finding duplicates: addresses and prefixes by (prefix,
 * network), then names by (type, text); ties by position, so the first
 * read sorts first and is the one kept.
 */
static int
dup_cmp(const void *pa, const void *pb)
{
	const struct intel_item *a = *(const struct intel_item *const *)pa;
	const struct intel_item *b = *(const struct intel_item *const *)pb;
	int na = a->type == INTEL_ADDR || a->type == INTEL_SUBNET;
	int nb = b->type == INTEL_ADDR || b->type == INTEL_SUBNET;
	int c;

	if (na != nb)
		return na ? -1 : 1;
	if (na) {
		if (a->prefix != b->prefix)
			return a->prefix < b->prefix ? -1 : 1;
		c = memcmp(a->addr, b->addr, sizeof(a->addr));
	} else {
		if (a->type != b->type)
			return a->type < b->type ? -1 : 1;
		if ((c = strcmp(a->zeek_type, b->zeek_type)) == 0)
			c = strcmp(a->indicator, b->indicator);
	}
	if (c != 0)
		return c;
	return a < b ? -1 : a > b;
}

static int
same_key(const struct intel_item *a, const struct intel_item *b)
{
	int na = a->type == INTEL_ADDR || a->type == INTEL_SUBNET;
	int nb = b->type == INTEL_ADDR || b->type == INTEL_SUBNET;

	if (na != nb)
		return 0;
	if (na)
		return a->prefix == b->prefix &&
		    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
	return a->type == b->type && strcmp(a->zeek_type, b->zeek_type) == 0 &&
	    strcmp(a->indicator, b->indicator) == 0;
}

static int
net_cmp(const void *pa, const void *pb)
{
	const struct intel_net *a = pa, *b = pb;

	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return a->lo < b->lo ? -1 : a->lo > b->lo;
}

static uint64_t
be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* The key of addr masked to plen bits. */
static void
net_key(struct intel_net *k, const uint8_t addr[16], unsigned plen)
{
	k->hi = be64(addr);
	k->lo = be64(addr + 8);
	if (plen <= 64) {
		k->hi &= plen == 0 ? 0 : ~UINT64_C(0) << (64 - plen);
		k->lo = 0;
	} else if (plen < 128)
		k->lo &= ~UINT64_C(0) << (128 - plen);
}

int
intel_finalize(struct intel *in, char *errbuf, size_t errlen)
{
	struct intel_item **ord = NULL;
	unsigned char *drop = NULL;
	size_t per[129] = { 0 }, i, j, k, nl;
	int plen;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (in == NULL) {
		seterr(errbuf, errlen, "intel_finalize: no set");
		return -1;
	}
	levels_free(in);
	if (in->n > 0) {
		ord = calloc(in->n, sizeof(*ord));
		drop = calloc(in->n, sizeof(*drop));
		if (ord == NULL || drop == NULL)
			goto nomem;
		for (i = 0; i < in->n; i++)
			ord[i] = &in->items[i];
		qsort(ord, in->n, sizeof(*ord), dup_cmp);
		for (i = 1; i < in->n; i++)
			if (same_key(ord[i - 1], ord[i]))
				drop[ord[i] - in->items] = 1;
		free(ord);
		ord = NULL;
		/* compact in reading order; the strings stay in the arena */
		for (i = j = 0; i < in->n; i++) {
			if (drop[i]) {
				in->count[in->items[i].type]--;
				continue;
			}
			in->items[j++] = in->items[i];
		}
		in->n = j;
		free(drop);
		drop = NULL;
	}
	for (i = 0; i < in->n; i++)
		if (in->items[i].type == INTEL_ADDR ||
		    in->items[i].type == INTEL_SUBNET)
			per[in->items[i].prefix]++;
	for (plen = 128, nl = 0; plen >= 0; plen--)
		nl += per[plen] > 0;
	if (nl > 0 && (in->levels = calloc(nl, sizeof(*in->levels))) == NULL)
		goto nomem;
	for (plen = 128, k = 0; plen >= 0; plen--) {
		struct intel_level *lv;

		if (per[plen] == 0)
			continue;
		lv = &in->levels[k++];
		in->nlevels = k;
		lv->plen = (uint8_t)plen;
		if ((lv->nets = calloc(per[plen], sizeof(*lv->nets))) == NULL)
			goto nomem;
		for (i = 0; i < in->n; i++) {
			const struct intel_item *it = &in->items[i];

			if ((it->type != INTEL_ADDR &&
			    it->type != INTEL_SUBNET) || it->prefix != plen)
				continue;
			net_key(&lv->nets[lv->n], it->addr, it->prefix);
			lv->nets[lv->n++].item = it;
		}
		qsort(lv->nets, lv->n, sizeof(*lv->nets), net_cmp);
	}
	in->finalized = 1;
	return 0;
nomem:
	free(ord);
	free(drop);
	levels_free(in);
	seterr(errbuf, errlen, "intel_finalize: out of memory");
	return -1;
}

const struct intel_item *
intel_match_addr(const struct intel *in, const uint8_t addr[16])
{
	const struct intel_level *lv;
	const struct intel_net *hit;
	struct intel_net key;
	size_t i, lo, hi, mid;

	if (in == NULL || !in->finalized || addr == NULL)
		return NULL;
	for (i = 0; i < in->nlevels; i++) {
		lv = &in->levels[i];
		net_key(&key, addr, lv->plen);
		/* an inline binary search: bsearch()'s call per compare
		 * costs a third of the lookup */
		lo = 0;
		hi = lv->n;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			hit = &lv->nets[mid];
			if (hit->hi == key.hi && hit->lo == key.lo)
				return hit->item;
			if (hit->hi < key.hi ||
			    (hit->hi == key.hi && hit->lo < key.lo))
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}

size_t
intel_count(const struct intel *in, enum intel_type type)
{
	if (in == NULL || (unsigned)type > INTEL_OTHER)
		return 0;
	return in->count[type];
}
