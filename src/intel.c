/*
 * intel.c - indicator sets (IOCs): readers for every indicator file format
 * in use for stalkerware, a longest-prefix match over the address
 * indicators and a label-wise hash lookup over the domain indicators.
 *
 * The central structure is struct intel: a growing array of struct
 * intel_item (their strings in a bump arena, freed at once), and after
 * intel_finalize() two indexes: one struct intel_level per distinct
 * prefix length (a sorted array of (masked network, item) pairs; a lookup
 * masks the address to each length, longest first, and binary-searches),
 * and struct intel_dtab, an open-addressing hash table of the domain
 * indicators keyed by name (a lookup probes the name, then each parent at
 * a dot boundary; the hashes of all suffixes come out of one right-to-left
 * pass over the name).
 *
 * Files are read whole (capped) and their format is detected from
 * content: JSON (TinyCheck IOCs or a MISP event, parsed with cJSON) is
 * read as a document; everything else is split into lines and each line
 * is handed to one line reader from the table `readers` (Zeek Intel,
 * Echap CSV, hosts file, plain list), chosen by the first lines.  A reader
 * emits zero or more indicators per line or returns a reason; the loader
 * owns line numbers, "file:line: reason" messages, lenient mode and the
 * roll-back of a file that fails.
 */
#include "intel.h"
#include "config.h"

#include <sys/random.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <cjson/cJSON.h>
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

/*
 * One slot of a name table: the full 64-bit hash (compared before the
 * bytes), the name, and the item (NULL in the platform table).  A slot
 * with key NULL is empty.
 */
struct intel_dslot {
	uint64_t h;
	const char *key;
	size_t len;
	const struct intel_item *item;
};

/* Open addressing, linear probing, at most half full. */
struct intel_dtab {
	struct intel_dslot *slot;
	size_t mask;		/* slots - 1, a power of two less one */
};

struct intel {
	struct intel_item *items;
	size_t n, cap;
	size_t count[INTEL_OTHER + 1];
	struct arena_chunk *arena;
	struct intel_level *levels;	/* longest prefix first */
	size_t nlevels;
	char **plat;			/* shared platform suffixes (arena) */
	size_t nplat, platcap;
	struct intel_dtab dom;		/* domain indicators */
	struct intel_dtab pdom;		/* shared platforms */
	uint64_t seed;			/* of the name hash */
	size_t ignored;			/* platform names dropped */
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
	const char *app;	/* NULL: none */
	enum intel_category category;
	int subdomains;		/* DOMAIN: cover the names under it */
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


/*
 * A URL where a domain was expected (upstream lists carry a few, such as
 * a GitHub repository as "distribution"): kept as Intel::URL, which is
 * not matched, rather than turned into its host: "github.com" must never
 * become an indicator.  Returns 1 when tok is such a URL (r filled), 0
 * when not, -1 (why) when too long.
 */
static int
rec_url(struct intel_rec *r, const char *tok, char *why, size_t whylen)
{
	size_t len = strlen(tok);

	if (strstr(tok, "://") == NULL)
		return 0;
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

/* --- readers ------------------------------------------------------------ */

struct intel_zeek {
	size_t nfields;
	int f_ind, f_type, f_src, f_desc;	/* -1: absent */
	int f_app, f_sub, f_cat;		/* our own meta.* columns */
};

/* Echap network.csv: a header naming the columns, then rows. */
struct intel_csv {
	size_t nfields;		/* 0: header not read yet */
	int f_type, f_ind, f_app;
};

/* The state of one load: where messages go, what to take back. */
struct intel_load {
	struct intel *in;
	const char *path, *base;
	const struct intel_load_opts *opts;
	char *errbuf;
	size_t errlen;
	size_t start, pstart;	/* items and platforms before this file */
	int bad;
	int full;		/* the set took no more: stop, take back */
	int platforms;		/* reading a shared-platforms list */
	/* JSON: finding the line of an item for a message */
	const char *buf;
	size_t len, cur, curline;
	int seek_off;
};

/* What a reader keeps across the lines of one file. */
struct intel_rctx {
	struct intel_load *ld;
	struct intel_zeek zk;
	struct intel_csv csv;
	/* `# key: value` directives of plain lists, hosts files, CSV */
	char app[128];
	char source[256];
	enum intel_category cat;
	int subdomains;
};

/*
 * A line reader: `sniff` says whether a file whose first data line (the
 * first non-empty line that is not a comment) is `first` is of its
 * format; `line` reads one line (NUL-terminated, CR and newline removed,
 * never empty) and hands each indicator to emit().  It returns 0, -1 with
 * why for a bad line, or -2 with why when the set cannot take more.
 */
struct intel_reader {
	const char *name;
	int (*sniff)(const char *first);
	int (*line)(struct intel_rctx *x, char *line, char *why,
	    size_t whylen);
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static int add_rec(struct intel *, const struct intel_rec *, const char *,
    char *, size_t);
static int add_platform(struct intel *, const char *, char *, size_t);

/*
 * Hand one record to the set.  A single-label name ("localhost", a TLD)
 * never covers names under it: "com" must not match the whole Internet.
 */
static int
emit(struct intel_rctx *x, struct intel_rec *r, char *why, size_t whylen)
{
	char q[128];

	if (r->type == INTEL_DOMAIN && strchr(r->text, '.') == NULL)
		r->subdomains = 0;
	if (x->ld->platforms) {
		if (r->type != INTEL_DOMAIN) {
			quote(q, sizeof(q), r->text, strlen(r->text));
			snprintf(why, whylen, "shared platform %s is not a "
			    "domain name", q);
			return -1;
		}
		return add_platform(x->ld->in, r->text, why, whylen);
	}
	return add_rec(x->ld->in, r, x->ld->base, why, whylen);
}

/* Defaults of a list record from the directives read so far. */
static void
rec_directives(const struct intel_rctx *x, struct intel_rec *r)
{
	r->app = x->app[0] != '\0' ? x->app : NULL;
	r->source = x->source[0] != '\0' ? x->source : NULL;
	r->category = x->cat;
	r->subdomains = x->subdomains;
}

static void
rctx_init(struct intel_rctx *x, struct intel_load *ld)
{
	memset(x, 0, sizeof(*x));
	x->ld = ld;
	x->cat = INTEL_CAT_C2;
	x->subdomains = 1;	/* as the upstream lists mean it */
}

/*
 * A comment line of a list: `# key: value` with key app, source,
 * category or match is a directive for the lines after it; any other
 * comment is ignored.  Returns 0, or -1 with why for a bad value.
 */
static int
directive(struct intel_rctx *x, const char *line, char *why, size_t whylen)
{
	const char *p = line, *k, *v, *e;
	size_t klen, vlen;
	char q[128];
	int unset;

	while (is_space(*p))
		p++;
	if (*p != '#')
		return 0;
	for (p++; is_space(*p); p++)
		;
	for (k = p; *p >= 'a' && *p <= 'z'; p++)
		;
	klen = (size_t)(p - k);
	if (klen == 0 || *p != ':')
		return 0;
	for (p++; is_space(*p); p++)
		;
	v = p;
	e = v + strlen(v);
	while (e > v && is_space(e[-1]))
		e--;
	vlen = (size_t)(e - v);
	unset = vlen == 0 || (vlen == 1 && *v == '-');
#define KEY(s)	(klen == sizeof(s) - 1 && memcmp(k, s, klen) == 0)
	if (KEY("app") || KEY("source")) {
		char *dst = KEY("app") ? x->app : x->source;
		size_t cap = KEY("app") ? sizeof(x->app) : sizeof(x->source);

		if (vlen >= cap) {
			snprintf(why, whylen, "%.*s directive longer than %zu "
			    "bytes", (int)klen, k, cap - 1);
			return -1;
		}
		if (unset)
			vlen = 0;
		memcpy(dst, v, vlen);
		dst[vlen] = '\0';
		return 0;
	}
	if (KEY("category")) {
		if (vlen == 2 && strncasecmp(v, "c2", 2) == 0)
			x->cat = INTEL_CAT_C2;
		else if (vlen == 7 && strncasecmp(v, "website", 7) == 0)
			x->cat = INTEL_CAT_WEBSITE;
		else {
			quote(q, sizeof(q), v, vlen);
			snprintf(why, whylen, "bad category %s (c2 or website)",
			    q);
			return -1;
		}
		return 0;
	}
	if (KEY("match")) {
		if (vlen == 5 && strncasecmp(v, "exact", 5) == 0)
			x->subdomains = 0;
		else if (vlen == 10 && strncasecmp(v, "subdomains", 10) == 0)
			x->subdomains = 1;
		else {
			quote(q, sizeof(q), v, vlen);
			snprintf(why, whylen, "bad match %s (exact or "
			    "subdomains)", q);
			return -1;
		}
		return 0;
	}
#undef KEY
	return 0;		/* "# note: ..." is just a comment */
}

/* --- Zeek Intel framework files --- */

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
	zk->f_app = zk->f_sub = zk->f_cat = -1;
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
		    strcmp(f, "meta.desc") == 0 ? &zk->f_desc :
		    strcmp(f, "meta.app") == 0 ? &zk->f_app :
		    strcmp(f, "meta.subdomains") == 0 ? &zk->f_sub :
		    strcmp(f, "meta.category") == 0 ? &zk->f_cat : NULL;
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

/* meta.subdomains and meta.category; 0 or -1 with why. */
static int
zeek_meta(const struct intel_zeek *zk, char **fields, struct intel_rec *r,
    char *why, size_t whylen)
{
	const char *v;
	char q[128];

	r->app = zk->f_app >= 0 ? zeek_value(fields[zk->f_app]) : NULL;
	r->subdomains = 0;	/* Zeek's Intel::DOMAIN is exact */
	v = zk->f_sub >= 0 ? zeek_value(fields[zk->f_sub]) : NULL;
	if (v != NULL) {
		if (strcmp(v, "T") == 0)
			r->subdomains = 1;
		else if (strcmp(v, "F") != 0) {
			quote(q, sizeof(q), v, strlen(v));
			snprintf(why, whylen, "bad meta.subdomains %s (T or F)",
			    q);
			return -1;
		}
	}
	r->category = INTEL_CAT_C2;
	v = zk->f_cat >= 0 ? zeek_value(fields[zk->f_cat]) : NULL;
	if (v != NULL) {
		if (strcasecmp(v, "website") == 0)
			r->category = INTEL_CAT_WEBSITE;
		else if (strcasecmp(v, "c2") != 0) {
			quote(q, sizeof(q), v, strlen(v));
			snprintf(why, whylen, "bad meta.category %s (c2 or "
			    "website)", q);
			return -1;
		}
	}
	return 0;
}

static int
zeek_line(struct intel_rctx *x, char *line, char *why, size_t whylen)
{
	struct intel_zeek *zk = &x->zk;
	struct intel_rec r;
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
	memset(&r, 0, sizeof(r));
	r.zeek_type = type;
	r.source = zk->f_src >= 0 ? zeek_value(fields[zk->f_src]) : NULL;
	r.desc = zk->f_desc >= 0 ? zeek_value(fields[zk->f_desc]) : NULL;
	if (zeek_meta(zk, fields, &r, why, whylen) != 0)
		return -1;
	if (strcmp(type, "Intel::ADDR") == 0 ||
	    strcmp(type, "Intel::SUBNET") == 0) {
		int want_sub = type[7] == 'S';

		if (rec_cidr(&r, ind, why, whylen) != 0)
			return -1;
		if ((r.type == INTEL_SUBNET) != want_sub) {
			quote(q, sizeof(q), ind, strlen(ind));
			snprintf(why, whylen, want_sub ? "Intel::SUBNET %s has "
			    "no prefix length" : "Intel::ADDR %s is a prefix, "
			    "not an address", q);
			return -1;
		}
		return emit(x, &r, why, whylen);
	}
	if (strcmp(type, "Intel::DOMAIN") == 0) {
		if (rec_any(&r, ind, why, whylen) != 0)
			return -1;
		if (r.type != INTEL_DOMAIN) {
			quote(q, sizeof(q), ind, strlen(ind));
			snprintf(why, whylen, "Intel::DOMAIN %s is an address",
			    q);
			return -1;
		}
		return emit(x, &r, why, whylen);
	}
	/* URL, EMAIL, hashes...: kept, not matched */
	len = strlen(ind);
	if (len >= sizeof(r.text)) {
		snprintf(why, whylen, "indicator longer than %zu bytes",
		    sizeof(r.text) - 1);
		return -1;
	}
	memcpy(r.text, ind, len + 1);
	r.type = INTEL_OTHER;
	return emit(x, &r, why, whylen);
}

/* --- Echap network.csv --- */

/*
 * Split a CSV line in place (RFC 4180 quoting: "a,b" and "" inside
 * quotes).  Returns the number of fields (at most max are stored), or
 * -1 for an unterminated quote.
 */
static long
csv_split(char *line, char **f, size_t max)
{
	char *r = line, *w, *start;
	size_t n = 0;

	for (;;) {
		w = start = r;
		if (n < max)
			f[n] = w;
		if (*r == '"') {
			for (r++;; r++) {
				if (*r == '\0')
					return -1;
				if (*r == '"' && r[1] == '"')
					*w++ = *r++;
				else if (*r == '"')
					break;
				else
					*w++ = *r;
			}
			r++;
			while (is_space(*r))
				r++;
			if (*r != ',' && *r != '\0')
				return -1;
		} else {
			while (*r != ',' && *r != '\0')
				*w++ = *r++;
			while (w > start && is_space(w[-1]))
				w--;
		}
		n++;
		if (*r == '\0') {
			*w = '\0';
			return (long)n;
		}
		*w = '\0';
		r++;
		while (is_space(*r))
			r++;
	}
}

static int
csv_is_header(char **f, size_t n, int *ft, int *fi, int *fa)
{
	size_t i;

	*ft = *fi = *fa = -1;
	for (i = 0; i < n; i++) {
		if (strcasecmp(f[i], "type") == 0 && *ft < 0)
			*ft = (int)i;
		else if (strcasecmp(f[i], "indicator") == 0 && *fi < 0)
			*fi = (int)i;
		else if (strcasecmp(f[i], "app") == 0 && *fa < 0)
			*fa = (int)i;
	}
	return *ft >= 0 && *fi >= 0;
}

static int
csv_sniff(const char *first)
{
	char buf[SW_INTEL_MAX_LINE + 1], *f[SW_INTEL_MAX_FIELDS];
	long n;
	int ft, fi, fa;

	if (strchr(first, ',') == NULL || strlen(first) >= sizeof(buf))
		return 0;
	strcpy(buf, first);
	n = csv_split(buf, f, SW_INTEL_MAX_FIELDS);
	return n > 1 && n <= SW_INTEL_MAX_FIELDS &&
	    csv_is_header(f, (size_t)n, &ft, &fi, &fa);
}

static int
csv_line(struct intel_rctx *x, char *line, char *why, size_t whylen)
{
	struct intel_csv *c = &x->csv;
	struct intel_rec r;
	char *f[SW_INTEL_MAX_FIELDS];
	const char *type, *ind;
	long n;
	int ft, fi, fa, rc;

	if (line[strspn(line, " \t")] == '#')
		return directive(x, line, why, whylen);
	if ((n = csv_split(line, f, SW_INTEL_MAX_FIELDS)) < 0) {
		snprintf(why, whylen, "unterminated quote");
		return -1;
	}
	if (n > SW_INTEL_MAX_FIELDS) {
		snprintf(why, whylen, "more than %d comma-separated fields",
		    SW_INTEL_MAX_FIELDS);
		return -1;
	}
	if (csv_is_header(f, (size_t)n, &ft, &fi, &fa)) {
		/* the first line; a repeated one (files joined) again */
		c->nfields = (size_t)n;
		c->f_type = ft;
		c->f_ind = fi;
		c->f_app = fa;
		return 0;
	}
	if (c->nfields == 0) {
		snprintf(why, whylen, "row before the type,indicator header");
		return -1;
	}
	if ((size_t)n != c->nfields) {
		snprintf(why, whylen, "expected %zu comma-separated fields, "
		    "got %ld", c->nfields, n);
		return -1;
	}
	type = f[c->f_type];
	ind = f[c->f_ind];
	if (*ind == '\0') {
		snprintf(why, whylen, "empty indicator");
		return -1;
	}
	memset(&r, 0, sizeof(r));
	rec_directives(x, &r);
	if (c->f_app >= 0 && f[c->f_app][0] != '\0')
		r.app = f[c->f_app];
	if (strcasecmp(type, "domain") == 0 ||
	    strcasecmp(type, "hostname") == 0) {
		if ((rc = rec_url(&r, ind, why, whylen)) != 0)
			return rc < 0 ? -1 : emit(x, &r, why, whylen);
		/* upstream lists hold a few addresses typed "domain": an
		 * address is an address */
		if (rec_any(&r, ind, why, whylen) != 0)
			return -1;
		r.zeek_type = r.type == INTEL_DOMAIN ? "Intel::DOMAIN" :
		    r.type == INTEL_ADDR ? "Intel::ADDR" : "Intel::SUBNET";
	} else if (strcasecmp(type, "ipv4") == 0 ||
	    strcasecmp(type, "ipv6") == 0 || strcasecmp(type, "ip") == 0 ||
	    strcasecmp(type, "cidr") == 0) {
		if (rec_cidr(&r, ind, why, whylen) != 0)
			return -1;
		r.zeek_type = r.type == INTEL_ADDR ? "Intel::ADDR" :
		    "Intel::SUBNET";
	} else
		return 0;	/* hashes, certificates...: not ours */
	return emit(x, &r, why, whylen);
}

/* --- hosts files --- */

/* Names every hosts file maps that are no indicator. */
static int
hosts_local(const char *name)
{
	static const char *const local[] = {
		"localhost", "localhost.localdomain", "local",
		"broadcasthost", "ip6-localhost", "ip6-loopback",
		"ip6-localnet", "ip6-mcastprefix", "ip6-allnodes",
		"ip6-allrouters", "ip6-allhosts", "0.0.0.0",
	};
	size_t i;

	for (i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (strcasecmp(name, local[i]) == 0)
			return 1;
	return 0;
}

/* First token an address without prefix, then a name. */
static int
hosts_sniff(const char *first)
{
	char tok[INET6_ADDRSTRLEN + 1], name[256], why[64];
	const char *p = first, *t;
	uint8_t a[16], pl;
	size_t at;
	int sub;

	while (is_space(*p))
		p++;
	for (t = p; *p != '\0' && !is_space(*p); p++)
		;
	if ((size_t)(p - t) >= sizeof(tok))
		return 0;
	memcpy(tok, t, (size_t)(p - t));
	tok[p - t] = '\0';
	if (cidr_parse(tok, a, &pl, &sub, &at) != CIDR_OK || sub)
		return 0;
	while (is_space(*p))
		p++;
	for (t = p; *p != '\0' && !is_space(*p); p++)
		;
	if (p == t || *t == '#' || looks_like_addr(t, (size_t)(p - t)))
		return 0;
	return parse_domain(t, (size_t)(p - t), name, why, sizeof(why)) == 0;
}

static int
hosts_line(struct intel_rctx *x, char *line, char *why, size_t whylen)
{
	struct intel_rec r;
	char *p = line, *tok, q[128], w[64];
	uint8_t a[16], pl;
	size_t at;
	int sub, names = 0, rc;

	while (is_space(*p))
		p++;
	if (*p == '#')
		return directive(x, p, why, whylen);
	for (tok = p; *p != '\0' && !is_space(*p); p++)
		;
	if (*p != '\0')
		*p++ = '\0';
	if (cidr_parse(tok, a, &pl, &sub, &at) != CIDR_OK || sub) {
		quote(q, sizeof(q), tok, strlen(tok));
		snprintf(why, whylen, "bad address %s in hosts line", q);
		return -1;
	}
	for (;;) {
		while (is_space(*p))
			p++;
		if (*p == '\0' || *p == '#')
			break;
		for (tok = p; *p != '\0' && !is_space(*p); p++)
			;
		if (*p != '\0')
			*p++ = '\0';
		names++;
		if (hosts_local(tok))
			continue;
		memset(&r, 0, sizeof(r));
		rec_directives(x, &r);
		if (looks_like_addr(tok, strlen(tok))) {
			quote(q, sizeof(q), tok, strlen(tok));
			snprintf(why, whylen, "hosts name %s is an address", q);
			return -1;
		}
		if (parse_domain(tok, strlen(tok), r.text, w, sizeof(w)) != 0) {
			quote(q, sizeof(q), tok, strlen(tok));
			snprintf(why, whylen, "%s %s", w, q);
			return -1;
		}
		r.type = INTEL_DOMAIN;
		r.zeek_type = "Intel::DOMAIN";
		if ((rc = emit(x, &r, why, whylen)) != 0)
			return rc;
	}
	if (names == 0) {
		snprintf(why, whylen, "hosts line without a name");
		return -1;
	}
	return 0;
}

/* --- plain lists --- */

static int
plain_sniff(const char *first)
{
	(void)first;
	return 1;
}

static int
plain_line(struct intel_rctx *x, char *line, char *why, size_t whylen)
{
	struct intel_rec r;
	char *p = line, *tok, *end, q[128];

	while (is_space(*p))
		p++;
	if (*p == '\0')
		return 0;
	if (*p == '#')
		return directive(x, p, why, whylen);
	memset(&r, 0, sizeof(r));
	rec_directives(x, &r);
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
			r.desc = *p != '\0' ? p : NULL;
		}
	}
	if (rec_any(&r, tok, why, whylen) != 0)
		return -1;
	r.zeek_type = r.type == INTEL_ADDR ? "Intel::ADDR" :
	    r.type == INTEL_SUBNET ? "Intel::SUBNET" : "Intel::DOMAIN";
	return emit(x, &r, why, whylen);
}

/* Tried in order on the first data line; the last one takes anything. */
static const struct intel_reader readers[] = {
	{ "echap-csv", csv_sniff, csv_line },
	{ "hosts", hosts_sniff, hosts_line },
	{ "plain", plain_sniff, plain_line },
};

static const struct intel_reader zeek_reader =
    { "zeek-intel", zeek_sniff, zeek_line };

/* --- JSON: TinyCheck / SpyGuard IOCs and MISP events --- */

/*
 * The line of an item, for a message.  cJSON keeps no positions, so the
 * item's value is looked for as a quoted string after the last one found
 * (items come in document order).  A miss (escapes, or a value that is
 * not a string) gives the last line found, and stops the search for the
 * rest of the file so a hostile file cannot make each message a scan.
 */
static size_t
json_line(struct intel_load *ld, const char *value)
{
	char needle[300];
	const char *hit;
	size_t nl, i;

	if (value == NULL || ld->seek_off)
		return ld->curline;
	nl = (size_t)snprintf(needle, sizeof(needle), "\"%s\"", value);
	if (nl >= sizeof(needle)) {
		ld->seek_off = 1;
		return ld->curline;
	}
	hit = memmem(ld->buf + ld->cur, ld->len - ld->cur, needle, nl);
	if (hit == NULL) {
		ld->seek_off = 1;
		return ld->curline;
	}
	for (i = ld->cur; i < (size_t)(hit - ld->buf); i++)
		if (ld->buf[i] == '\n')
			ld->curline++;
	ld->cur = (size_t)(hit - ld->buf) + nl;
	return ld->curline;
}

static void load_report(struct intel_load *, size_t, const char *);

static const char *
json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Report a bad item; returns rc (-1, or -2 to stop). */
static int
json_bad(struct intel_rctx *x, const char *value, int rc, const char *fmt,
    ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	load_report(x->ld, json_line(x->ld, value), why);
	return rc;
}

/*
 * Kinds of network value.  A "domain" may hold an address (upstream
 * lists type a few addresses so) or a URL; an address field only an
 * address or prefix.
 */
enum json_kind {
	JK_DOMAIN,	/* a name, an address, or a URL (kept, unmatched) */
	JK_ADDR,	/* an address or a prefix */
	JK_ANY		/* a name or an address */
};

/*
 * One network value into the set.  Returns 0 (also for a bad value,
 * already reported) or -2 to stop the file.
 */
static int
json_value(struct intel_rctx *x, struct intel_rec *r, const char *value,
    enum json_kind kind, const char *where)
{
	char why[256];
	int rc;

	if (kind == JK_ADDR)
		rc = rec_cidr(r, value, why, sizeof(why));
	else if ((rc = rec_url(r, value, why, sizeof(why))) > 0)
		goto take;
	else if (rc == 0)
		rc = rec_any(r, value, why, sizeof(why));
	if (rc != 0)
		return json_bad(x, value, 0, "%s: %s", where, why);
	r->zeek_type = r->type == INTEL_ADDR ? "Intel::ADDR" :
	    r->type == INTEL_SUBNET ? "Intel::SUBNET" : "Intel::DOMAIN";
take:
	rc = emit(x, r, why, sizeof(why));
	if (rc == -2)
		x->ld->full = 1;
	if (rc < 0)
		return json_bad(x, value, rc == -2 ? -2 : 0, "%s: %s", where,
		    why);
	return 0;
}

/*
 * TinyCheck / SpyGuard: {"iocs": [{"type", "tag", "tlp", "value"}]}.
 * Types domain, ip4addr, ip6addr, cidr are read; the others (freedns,
 * ns, sha1cert, tld, ...) are not indicators of ours and are skipped.
 */
static int
json_tinycheck(struct intel_rctx *x, const cJSON *iocs)
{
	const cJSON *e;
	const char *type, *value;
	struct intel_rec r;
	char where[64];
	size_t i = 0;
	enum json_kind kind;

	cJSON_ArrayForEach(e, iocs) {
		snprintf(where, sizeof(where), "iocs[%zu]", i++);
		type = json_str(e, "type");
		value = json_str(e, "value");
		if (!cJSON_IsObject(e) || type == NULL || value == NULL) {
			if (json_bad(x, value, -1, "%s: not an object with "
			    "\"type\" and \"value\" strings", where) == -2)
				return -2;
			continue;
		}
		if (strcmp(type, "domain") == 0)
			kind = JK_DOMAIN;
		else if (strcmp(type, "ip4addr") == 0 ||
		    strcmp(type, "ip6addr") == 0 || strcmp(type, "cidr") == 0)
			kind = JK_ADDR;
		else
			continue;
		memset(&r, 0, sizeof(r));
		rec_directives(x, &r);
		r.desc = json_str(e, "tag");
		if (json_value(x, &r, value, kind, where) == -2)
			return -2;
	}
	return 0;
}

/*
 * The host of a URL ("scheme://user@host:port/path"), into out; 0 or -1.
 */
static int
url_host(const char *url, char *out, size_t outlen)
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

/* One MISP attribute; 0, or -2 to stop. */
static int
misp_attr(struct intel_rctx *x, const cJSON *a, const char *app,
    const char *info, const char *where)
{
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(a, "to_ids");
	const cJSON *del = cJSON_GetObjectItemCaseSensitive(a, "deleted");
	const char *type = json_str(a, "type"), *value = json_str(a, "value");
	struct intel_rec r;
	char buf[300], *bar;
	int rc;

	if (!cJSON_IsObject(a) || type == NULL || value == NULL)
		return json_bad(x, value, -1, "%s: not an attribute with "
		    "\"type\" and \"value\" strings", where) == -2 ? -2 : 0;
	/* to_ids false: context, not for detection (MISP's own rule) */
	if (cJSON_IsFalse(ids) || (ids != NULL && cJSON_IsString(ids) &&
	    strcmp(ids->valuestring, "0") == 0) || cJSON_IsTrue(del))
		return 0;
	memset(&r, 0, sizeof(r));
	rec_directives(x, &r);
	if (app == NULL)
		app = json_str(a, "comment");
	r.app = app != NULL && *app != '\0' ? app : NULL;
	r.desc = info;
	if (strcmp(type, "domain") == 0 || strcmp(type, "hostname") == 0)
		return json_value(x, &r, value, JK_DOMAIN, where);
	if (strcmp(type, "ip-dst") == 0 || strcmp(type, "ip-src") == 0)
		return json_value(x, &r, value, JK_ADDR, where);
	if (strcmp(type, "domain|ip") == 0 ||
	    strcmp(type, "hostname|port") == 0 ||
	    strcmp(type, "ip-dst|port") == 0 ||
	    strcmp(type, "ip-src|port") == 0) {
		if (strlen(value) >= sizeof(buf) ||
		    (bar = strchr(strcpy(buf, value), '|')) == NULL)
			return json_bad(x, value, 0, "%s: %s value without "
			    "'|'", where, type);
		*bar = '\0';
		rc = json_value(x, &r, buf, type[0] == 'i' ? JK_ADDR :
		    JK_DOMAIN, where);
		if (rc != 0 || strcmp(type, "domain|ip") != 0)
			return rc;
		memset(&r, 0, sizeof(r));
		rec_directives(x, &r);
		r.app = app != NULL && *app != '\0' ? app : NULL;
		r.desc = info;
		return json_value(x, &r, bar + 1, JK_ADDR, where);
	}
	if (strcmp(type, "url") == 0) {
		if (url_host(value, buf, sizeof(buf)) != 0)
			return json_bad(x, value, 0, "%s: no host in url",
			    where);
		/* a URL names one host, not a zone */
		r.subdomains = 0;
		return json_value(x, &r, buf, JK_ANY, where);
	}
	return 0;		/* hashes, text, links...: not network */
}

/* One MISP event: Attribute[] and Object[].Attribute[]; 0 or -2. */
static int
misp_event(struct intel_rctx *x, const cJSON *ev, const char *pfx)
{
	const cJSON *attrs, *objs, *o, *a;
	const char *info = json_str(ev, "info"), *app, *rel;
	char where[96];
	size_t i = 0, j, k;

	attrs = cJSON_GetObjectItemCaseSensitive(ev, "Attribute");
	if (!cJSON_IsArray(attrs))
		attrs = NULL;
	cJSON_ArrayForEach(a, attrs) {
		snprintf(where, sizeof(where), "%sAttribute[%zu]", pfx, i++);
		if (misp_attr(x, a, NULL, info, where) == -2)
			return -2;
	}
	objs = cJSON_GetObjectItemCaseSensitive(ev, "Object");
	if (!cJSON_IsArray(objs))
		objs = NULL;
	i = 0;
	cJSON_ArrayForEach(o, objs) {
		k = i++;
		attrs = cJSON_GetObjectItemCaseSensitive(o, "Attribute");
		if (!cJSON_IsArray(attrs))
			continue;
		/* android-app objects name their app in a "name" attribute */
		app = NULL;
		cJSON_ArrayForEach(a, attrs) {
			rel = json_str(a, "object_relation");
			if (rel != NULL && strcmp(rel, "name") == 0 &&
			    (app = json_str(a, "value")) != NULL)
				break;
		}
		if (app == NULL)
			app = json_str(o, "comment");
		j = 0;
		cJSON_ArrayForEach(a, attrs) {
			snprintf(where, sizeof(where), "%sObject[%zu]."
			    "Attribute[%zu]", pfx, k, j++);
			if (misp_attr(x, a, app, info, where) == -2)
				return -2;
		}
	}
	return 0;
}

static int
misp_is_event(const cJSON *o)
{
	return cJSON_IsObject(o) &&
	    (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "Attribute")) ||
	    cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "Object")));
}

/*
 * The shapes MISP writes: {"Event": {...}}, {"response": [{"Event":
 * ...}]}, [{"Event": ...}], or a bare event.  Returns 0, -1 when the
 * document is none of these nor TinyCheck, -2 to stop.
 */
static int
json_doc(struct intel_rctx *x, const cJSON *root)
{
	const cJSON *iocs, *list = NULL, *e, *ev;
	char pfx[48];
	size_t i = 0;
	int rc;

	if (!cJSON_IsObject(root) && !cJSON_IsArray(root))
		return -1;
	iocs = cJSON_GetObjectItemCaseSensitive(root, "iocs");
	if (cJSON_IsObject(root) && cJSON_IsArray(iocs))
		return json_tinycheck(x, iocs);
	ev = cJSON_GetObjectItemCaseSensitive(root, "Event");
	if (misp_is_event(ev))
		return misp_event(x, ev, "Event.");
	if (misp_is_event(root))
		return misp_event(x, root, "");
	if (cJSON_IsArray(root))
		list = root;
	else if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root,
	    "response")))
		list = cJSON_GetObjectItemCaseSensitive(root, "response");
	if (list == NULL || cJSON_GetArraySize(list) == 0)
		return -1;
	cJSON_ArrayForEach(e, list) {
		ev = cJSON_GetObjectItemCaseSensitive(e, "Event");
		if (!misp_is_event(ev))
			return -1;
		snprintf(pfx, sizeof(pfx), "%s[%zu].Event.", list == root ?
		    "" : "response", i++);
		if ((rc = misp_event(x, ev, pfx)) != 0)
			return rc;
	}
	return 0;
}

static size_t
line_at(const char *buf, const char *at)
{
	size_t n = 1;

	for (; buf < at; buf++)
		n += *buf == '\n';
	return n;
}

static void
load_json(struct intel_load *ld, struct intel_rctx *x, const char *buf,
    size_t len)
{
	const char *end = NULL, *p;
	cJSON *root;

	ld->buf = buf;
	ld->len = len;
	ld->cur = 0;
	ld->curline = 1;
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root == NULL) {
		if (end == NULL || end < buf || end > buf + len)
			end = buf;
		load_report(ld, line_at(buf, end), "JSON syntax error");
		return;
	}
	for (p = end; p != NULL && p < buf + len; p++)
		if (!is_space(*p) && *p != '\r' && *p != '\n') {
			load_report(ld, line_at(buf, p), "text after the JSON "
			    "document");
			cJSON_Delete(root);
			return;
		}
	if (json_doc(x, root) == -1)
		load_report(ld, 1, "JSON is neither TinyCheck IOCs "
		    "({\"iocs\": [...]}) nor a MISP event");
	cJSON_Delete(root);
}

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
	it->category = r->category;
	it->subdomains = r->type == INTEL_DOMAIN && r->subdomains;
	memcpy(it->addr, r->addr, sizeof(it->addr));
	if ((it->indicator = arena_strdup(in, r->text)) == NULL ||
	    (it->zeek_type = arena_strdup(in, r->zeek_type)) == NULL ||
	    (it->source = arena_strdup(in, r->source ? r->source : base)) ==
	    NULL || (r->desc != NULL &&
	    (it->desc = arena_strdup(in, r->desc)) == NULL) ||
	    (r->app != NULL && (it->app = arena_strdup(in, r->app)) == NULL))
		goto nomem;
	in->n++;
	in->count[r->type]++;
	in->finalized = 0;
	return 0;
nomem:
	snprintf(why, whylen, "out of memory");
	return -2;
}

/* A shared platform suffix (already a checked domain name). */
static int
add_platform(struct intel *in, const char *name, char *why, size_t whylen)
{
	char **np;
	size_t ncap;

	if (in->nplat >= SW_INTEL_MAX_ITEMS) {
		snprintf(why, whylen, "more than %u shared platforms",
		    (unsigned)SW_INTEL_MAX_ITEMS);
		return -2;
	}
	if (in->nplat == in->platcap) {
		ncap = in->platcap ? in->platcap * 2 : 32;
		if ((np = reallocarray(in->plat, ncap, sizeof(*np))) == NULL)
			goto nomem;
		in->plat = np;
		in->platcap = ncap;
	}
	if ((in->plat[in->nplat] = arena_strdup(in, name)) == NULL)
		goto nomem;
	in->nplat++;
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

/* One bad line or item: to opts->warn, and the first into errbuf. */
static void
load_report(struct intel_load *ld, size_t lineno, const char *why)
{
	char msg[640];

	snprintf(msg, sizeof(msg), "%s:%zu: %s", ld->path, lineno, why);
	if (ld->opts != NULL && ld->opts->warn != NULL)
		ld->opts->warn(ld->opts->warn_ctx, msg);
	if (!ld->bad)
		seterr(ld->errbuf, ld->errlen, "%s", msg);
	ld->bad = 1;
}

/*
 * Which line reader a file needs, from its first lines: a `#fields`
 * header before any data means Zeek Intel; otherwise the first data line
 * (not empty, not a comment) decides.  NULL: the file is JSON.
 */
static const struct intel_reader *
detect(const char *p, const char *end, int platforms)
{
	char line[SW_INTEL_MAX_LINE + 1];
	const char *nl, *q;
	size_t llen, i;

	if (platforms)
		return &readers[sizeof(readers) / sizeof(readers[0]) - 1];
	for (q = p; q < end && (is_space(*q) || *q == '\r' || *q == '\n');
	    q++)
		;
	if (q < end && (*q == '{' || *q == '['))
		return NULL;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		llen = (size_t)(nl - p);
		if (llen > 0 && p[llen - 1] == '\r')
			llen--;
		if (llen > SW_INTEL_MAX_LINE || memchr(p, '\0', llen) != NULL)
			break;
		if (blank(p, llen))
			continue;
		memcpy(line, p, llen);
		line[llen] = '\0';
		if (zeek_sniff(line))
			return &zeek_reader;
		if (line[strspn(line, " \t")] == '#')
			continue;
		for (i = 0; !readers[i].sniff(line); i++)
			;
		return &readers[i];
	}
	return &readers[sizeof(readers) / sizeof(readers[0]) - 1];
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
    const struct intel_load_opts *opts, int platforms, char *errbuf,
    size_t errlen)
{
	const struct intel_reader *rd;
	struct intel_load ld;
	struct intel_rctx x;
	const char *base = strrchr(path, '/');
	char why[256], line[SW_INTEL_MAX_LINE + 1];
	char *p = buf, *end = buf + len, *nl;
	size_t lineno = 0, llen;
	int rc;

	memset(&ld, 0, sizeof(ld));
	ld.in = in;
	ld.path = path;
	ld.base = base != NULL && base[1] != '\0' ? base + 1 : path;
	ld.opts = opts;
	ld.errbuf = errbuf;
	ld.errlen = errlen;
	ld.start = in->n;
	ld.pstart = in->nplat;
	ld.platforms = platforms;
	rctx_init(&x, &ld);
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* UTF-8 byte order mark */
	if ((rd = detect(p, end, platforms)) == NULL) {
		load_json(&ld, &x, p, (size_t)(end - p));
		goto done;
	}
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
			rc = rd->line(&x, line, why, sizeof(why));
		}
		if (rc >= 0)
			continue;
		load_report(&ld, lineno, why);
		/* running out of room ends the file whatever the mode */
		if (rc == -2) {
			ld.full = 1;
			break;
		}
	}
done:
	if (ld.full || (ld.bad && (opts == NULL || !opts->lenient))) {
		count_sub(in, ld.start);
		in->nplat = ld.pstart;
		return -1;
	}
	return 0;
}

static int
load_path(struct intel *in, const char *path,
    const struct intel_load_opts *opts, int platforms, char *errbuf,
    size_t errlen)
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
	rc = load_buf(in, path, buf, len, opts, platforms, errbuf, errlen);
	free(buf);
	return rc;
}

static int
is_platform_file(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	return strncmp(base, "shared-platforms", 16) == 0;
}

int
intel_load_file(struct intel *in, const char *path,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen)
{
	return load_path(in, path, opts, path != NULL &&
	    is_platform_file(path), errbuf, errlen);
}

int
intel_load_platforms(struct intel *in, const char *path,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen)
{
	return load_path(in, path, opts, 1, errbuf, errlen);
}

static int
ends_with(const char *s, size_t n, const char *suf)
{
	size_t e = strlen(suf);

	return n > e && strcmp(s + n - e, suf) == 0;
}

static int
dir_wanted(const struct dirent *d)
{
	static const char *const ext[] = { ".txt", ".intel", ".dat", ".csv",
	    ".json", "-hosts", "_hosts", ".hosts" };
	const char *name = d->d_name;
	size_t n = strlen(name), i;

	if (name[0] == '.' || strncmp(name, "known-good", 10) == 0 ||
	    strncmp(name, "README", 6) == 0)
		return 0;
	if (strcmp(name, "hosts") == 0 || strncmp(name, "hosts.", 6) == 0)
		return 1;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (ends_with(name, n, ext[i]))
			return 1;
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

/* --- names ---------------------------------------------------------------- */

#define FNV_OFFSET	UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME	UINT64_C(0x100000001b3)
#define DOM_MAX_LEN	253
/* 253 bytes hold at most 127 labels */
#define DOM_MAX_SFX	128

/* murmur3's finaliser: every input bit moves every slot bit */
static uint64_t
mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

struct dom_sfx {
	size_t off, len;
	uint64_t h;
};

/*
 * Every suffix of name[0..len) that starts a label, with its hash,
 * shortest first, from one right-to-left pass (FNV-1a over the bytes in
 * reverse, so the hash of "thd.cc" is a prefix state of the hash of
 * "a.thd.cc").  Suffixes starting with '.' (an empty label) are skipped:
 * no indicator starts so.  Returns the count.
 */
static size_t
dom_suffixes(uint64_t seed, const char *name, size_t len,
    struct dom_sfx sfx[DOM_MAX_SFX])
{
	uint64_t h = FNV_OFFSET ^ seed;
	size_t n = 0, i = len;

	while (i > 0) {
		i--;
		h = (h ^ (unsigned char)name[i]) * FNV_PRIME;
		if ((i == 0 || name[i - 1] == '.') && name[i] != '.') {
			if (n == DOM_MAX_SFX)
				break;
			sfx[n].off = i;
			sfx[n].len = len - i;
			sfx[n].h = mix64(h ^ (len - i));
			n++;
		}
	}
	return n;
}

static const struct intel_dslot *
dtab_find(const struct intel_dtab *t, uint64_t h, const char *s, size_t len)
{
	const struct intel_dslot *sl;
	size_t i;

	if (t->slot == NULL)
		return NULL;
	for (i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
		sl = &t->slot[i];
		if (sl->key == NULL)
			return NULL;
		if (sl->h == h && sl->len == len && memcmp(sl->key, s, len) == 0)
			return sl;
	}
}

/* Insert unless present (the first one stays); the table has room. */
static void
dtab_put(struct intel_dtab *t, uint64_t h, const char *key, size_t len,
    const struct intel_item *item)
{
	struct intel_dslot *sl;
	size_t i;

	for (i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
		sl = &t->slot[i];
		if (sl->key == NULL)
			break;
		if (sl->h == h && sl->len == len && memcmp(sl->key, key, len) ==
		    0)
			return;
	}
	sl->h = h;
	sl->key = key;
	sl->len = len;
	sl->item = item;
}

/* A table for n keys, at most half full.  0 or -1. */
static int
dtab_init(struct intel_dtab *t, size_t n)
{
	size_t size = 16;

	while (size < n * 2) {
		if (size > SIZE_MAX / 2 / sizeof(*t->slot))
			return -1;
		size *= 2;
	}
	if ((t->slot = calloc(size, sizeof(*t->slot))) == NULL)
		return -1;
	t->mask = size - 1;
	return 0;
}

static void
dtab_free(struct intel_dtab *t)
{
	free(t->slot);
	t->slot = NULL;
	t->mask = 0;
}

/* The hash of a whole name (its longest suffix). */
static uint64_t
dom_hash(uint64_t seed, const char *name, size_t len)
{
	uint64_t h = FNV_OFFSET ^ seed;
	size_t i = len;

	while (i > 0)
		h = (h ^ (unsigned char)name[--i]) * FNV_PRIME;
	return mix64(h ^ len);
}

int
intel_domain_valid(const char *s)
{
	char out[256], why[64];

	if (s == NULL)
		return 0;
	return !looks_like_addr(s, strlen(s)) &&
	    parse_domain(s, strlen(s), out, why, sizeof(why)) == 0;
}

/* --- the set ------------------------------------------------------------ */

struct intel *
intel_new(void)
{
	struct intel *in = calloc(1, sizeof(struct intel));

	/*
	 * The names looked up come off the wire: a seed the sender cannot
	 * know keeps him from aiming every lookup at the longest probe run.
	 * Without one the table still works, with a fixed seed.
	 */
	if (in != NULL && getrandom(&in->seed, sizeof(in->seed),
	    GRND_NONBLOCK) != (ssize_t)sizeof(in->seed))
		in->seed = UINT64_C(0x5eed5eed5eed5eed);
	return in;
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
	dtab_free(&in->dom);
	dtab_free(&in->pdom);
	for (c = in->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(in->plat);
	free(in->items);
	free(in);
}

/*
 * Order for finding duplicates: addresses and prefixes by (prefix,
 * network); names by text, a website before a C2 entry of the same name;
 * other types by (type, text); ties by position, so the first read sorts
 * first and is the one kept.
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
		if (a->type == INTEL_DOMAIN) {
			if ((c = strcmp(a->indicator, b->indicator)) == 0 &&
			    a->category != b->category)
				c = a->category == INTEL_CAT_WEBSITE ? -1 : 1;
		} else if ((c = strcmp(a->zeek_type, b->zeek_type)) == 0)
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
	if (a->type != b->type)
		return 0;
	return (a->type == INTEL_DOMAIN ||
	    strcmp(a->zeek_type, b->zeek_type) == 0) &&
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

/*
 * The shared platform rule: mark (drop[i] = 1) each domain that is a
 * platform suffix itself; make each one strictly under a platform exact.
 * Returns 0 or -1 (memory).
 */
static int
apply_platforms(struct intel *in, unsigned char *drop)
{
	struct dom_sfx sfx[DOM_MAX_SFX];
	struct intel_item *it;
	size_t i, k, ns, len;

	dtab_free(&in->pdom);
	if (in->nplat == 0)
		return 0;
	if (dtab_init(&in->pdom, in->nplat) != 0)
		return -1;
	for (i = 0; i < in->nplat; i++) {
		len = strlen(in->plat[i]);
		dtab_put(&in->pdom, dom_hash(in->seed, in->plat[i], len),
		    in->plat[i], len, NULL);
	}
	for (i = 0; i < in->n; i++) {
		it = &in->items[i];
		if (it->type != INTEL_DOMAIN)
			continue;
		len = strlen(it->indicator);
		ns = dom_suffixes(in->seed, it->indicator, len, sfx);
		for (k = 0; k < ns; k++) {
			if (dtab_find(&in->pdom, sfx[k].h, it->indicator +
			    sfx[k].off, sfx[k].len) == NULL)
				continue;
			if (sfx[k].off == 0) {
				drop[i] = 1;
				in->ignored++;
			} else {
				it->subdomains = 0;
				it->platform = 1;
			}
			break;
		}
	}
	return 0;
}

int
intel_finalize(struct intel *in, char *errbuf, size_t errlen)
{
	struct intel_item **ord = NULL;
	unsigned char *drop = NULL;
	size_t per[129] = { 0 }, i, j, k, nl, nord, ndom;
	int plen;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (in == NULL) {
		seterr(errbuf, errlen, "intel_finalize: no set");
		return -1;
	}
	levels_free(in);
	dtab_free(&in->dom);
	in->finalized = 0;
	if (in->n > 0) {
		ord = calloc(in->n, sizeof(*ord));
		drop = calloc(in->n, sizeof(*drop));
		if (ord == NULL || drop == NULL)
			goto nomem;
		if (apply_platforms(in, drop) != 0)
			goto nomem;
		for (i = nord = 0; i < in->n; i++)
			if (!drop[i])
				ord[nord++] = &in->items[i];
		qsort(ord, nord, sizeof(*ord), dup_cmp);
		for (i = 1; i < nord; i++)
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
	for (i = ndom = 0; i < in->n; i++) {
		if (in->items[i].type == INTEL_ADDR ||
		    in->items[i].type == INTEL_SUBNET)
			per[in->items[i].prefix]++;
		ndom += in->items[i].type == INTEL_DOMAIN;
	}
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
	if (ndom > 0) {
		if (dtab_init(&in->dom, ndom) != 0)
			goto nomem;
		for (i = 0; i < in->n; i++) {
			const struct intel_item *it = &in->items[i];
			size_t len;

			if (it->type != INTEL_DOMAIN)
				continue;
			len = strlen(it->indicator);
			dtab_put(&in->dom, dom_hash(in->seed, it->indicator,
			    len), it->indicator, len, it);
		}
	}
	in->finalized = 1;
	return 0;
nomem:
	free(ord);
	free(drop);
	levels_free(in);
	dtab_free(&in->dom);
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

const struct intel_item *
intel_match_domain(const struct intel *in, const char *name)
{
	struct dom_sfx sfx[DOM_MAX_SFX];
	const struct intel_dslot *sl;
	char buf[DOM_MAX_LEN + 2];
	size_t len, i, ns;
	unsigned char c;

	if (in == NULL || !in->finalized || name == NULL ||
	    in->dom.slot == NULL)
		return NULL;
	/* lower-case (ASCII only: indicators are) into buf */
	for (len = 0; name[len] != '\0'; len++) {
		if (len > DOM_MAX_LEN)	/* room for a trailing dot */
			return NULL;
		c = (unsigned char)name[len];
		buf[len] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	if (len > 0 && buf[len - 1] == '.')
		len--;
	if (len == 0 || len > DOM_MAX_LEN)
		return NULL;
	ns = dom_suffixes(in->seed, buf, len, sfx);
	/* longest first: the name itself, then its parents */
	for (i = ns; i-- > 0;) {
		sl = dtab_find(&in->dom, sfx[i].h, buf + sfx[i].off,
		    sfx[i].len);
		if (sl != NULL && (sfx[i].off == 0 || sl->item->subdomains))
			return sl->item;
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

size_t
intel_count_category(const struct intel *in, enum intel_category cat)
{
	size_t i, n = 0;

	if (in == NULL)
		return 0;
	for (i = 0; i < in->n; i++)
		n += in->items[i].category == cat;
	return n;
}

size_t
intel_count_platforms(const struct intel *in)
{
	return in != NULL ? in->nplat : 0;
}

size_t
intel_count_ignored(const struct intel *in)
{
	return in != NULL ? in->ignored : 0;
}
