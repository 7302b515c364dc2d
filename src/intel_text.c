/*
 * intel_text.c - the line formats of indicator files: plain lists (with
 * `# key: value` directives), Zeek Intel framework files, Echap
 * network.csv, hosts files, and (through intel_rules.c) Suricata rules.
 *
 * intel_text_read() splits a document into lines and hands each to one
 * line reader from the table `readers`, chosen by the first lines: a
 * `#fields` header before any data means Zeek Intel; otherwise the first
 * data line (not empty, not a comment) decides.  A reader emits zero or
 * more indicators per line or returns a reason; struct intel_rctx holds
 * what a reader keeps across the lines of one file (the Zeek header, the
 * CSV columns, the directives read so far).
 */
#include "intel_reader.h"
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct intel_zeek {
	size_t nfields;
	int f_ind, f_type, f_src, f_desc;	/* -1: absent */
	int f_app, f_sub, f_cat, f_role;	/* our own meta.* columns */
};

/* Echap network.csv: a header naming the columns, then rows. */
struct intel_csv {
	size_t nfields;		/* 0: header not read yet */
	int f_type, f_ind, f_app;
};

/* What a reader keeps across the lines of one file. */
struct intel_rctx {
	struct intel_load *ld;
	struct intel_zeek zk;
	struct intel_csv csv;
	/* `# key: value` directives of plain lists, hosts files, CSV */
	char app[128];
	char source[256];
	enum intel_role role;
	enum intel_category cat;
	int class_set;		/* a category or role directive was read */
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

/* Defaults of a list record from the directives read so far. */
static void
rec_directives(const struct intel_rctx *x, struct intel_rec *r)
{
	r->app = x->app[0] != '\0' ? x->app : NULL;
	r->source = x->source[0] != '\0' ? x->source : NULL;
	r->role = x->role;
	r->category = x->cat;
	r->subdomains = x->subdomains;
	/* a list says its role only by a category or role directive */
	r->role_assumed = !x->class_set;
}

static void
rctx_init(struct intel_rctx *x, struct intel_load *ld)
{
	memset(x, 0, sizeof(*x));
	x->ld = ld;
	x->role = INTEL_ROLE_C2;
	x->cat = INTEL_CAT_STALKERWARE;
	x->subdomains = 1;	/* as the upstream lists mean it */
}

/*
 * A comment line of a list: `# key: value` with key app, source,
 * category, role or match is a directive for the lines after it; any other
 * comment is ignored.  Returns 0, or -1 with why for a bad value.
 */
static int
directive(struct intel_rctx *x, const char *line, char *why, size_t whylen)
{
	const char *p = line, *k, *v, *e;
	size_t klen, vlen;
	char q[128];
	int unset;

	while (intel_is_space(*p))
		p++;
	if (*p != '#')
		return 0;
	for (p++; intel_is_space(*p); p++)
		;
	for (k = p; *p >= 'a' && *p <= 'z'; p++)
		;
	klen = (size_t)(p - k);
	if (klen == 0 || *p != ':')
		return 0;
	for (p++; intel_is_space(*p); p++)
		;
	v = p;
	e = v + strlen(v);
	while (e > v && intel_is_space(e[-1]))
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
	if (KEY("category") || KEY("role")) {
		/* either word in either key: "category: website" is what
		 * lists written before roles existed say */
		if (intel_parse_class(v, vlen, &x->role, &x->cat) != 0) {
			intel_quote(q, sizeof(q), v, vlen);
			snprintf(why, whylen, "bad %.*s %s (%s)", (int)klen, k,
			    q, INTEL_CLASS_WORDS);
			return -1;
		}
		x->class_set = 1;
		return 0;
	}
	if (KEY("match")) {
		if (vlen == 5 && strncasecmp(v, "exact", 5) == 0)
			x->subdomains = 0;
		else if (vlen == 10 && strncasecmp(v, "subdomains", 10) == 0)
			x->subdomains = 1;
		else {
			intel_quote(q, sizeof(q), v, vlen);
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
	zk->f_app = zk->f_sub = zk->f_cat = zk->f_role = -1;
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
		    strcmp(f, "meta.category") == 0 ? &zk->f_cat :
		    strcmp(f, "meta.role") == 0 ? &zk->f_role : NULL;
		if (slot == NULL)
			continue;	/* other meta.* fields: not used */
		if (*slot != -1) {
			intel_quote(q, sizeof(q), f, strlen(f));
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
	int i, f;

	r->app = zk->f_app >= 0 ? zeek_value(fields[zk->f_app]) : NULL;
	r->subdomains = 0;	/* Zeek's Intel::DOMAIN is exact */
	v = zk->f_sub >= 0 ? zeek_value(fields[zk->f_sub]) : NULL;
	if (v != NULL) {
		if (strcmp(v, "T") == 0)
			r->subdomains = 1;
		else if (strcmp(v, "F") != 0) {
			intel_quote(q, sizeof(q), v, strlen(v));
			snprintf(why, whylen, "bad meta.subdomains %s (T or F)",
			    q);
			return -1;
		}
	}
	r->role = INTEL_ROLE_C2;
	r->category = INTEL_CAT_STALKERWARE;
	for (i = 0; i < 2; i++) {
		f = i == 0 ? zk->f_cat : zk->f_role;
		v = f >= 0 ? zeek_value(fields[f]) : NULL;
		if (v != NULL && intel_parse_class(v, strlen(v), &r->role,
		    &r->category) != 0) {
			intel_quote(q, sizeof(q), v, strlen(v));
			snprintf(why, whylen, "bad meta.%s %s (%s)", i == 0 ?
			    "category" : "role", q, INTEL_CLASS_WORDS);
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
		intel_quote(q, sizeof(q), type, strlen(type));
		snprintf(why, whylen, "bad indicator type %s", q);
		return -1;
	}
	intel_rec_clear(&r);
	r.zeek_type = type;
	/* Zeek Intel says a role only in our meta.category / meta.role */
	r.role_assumed = zk->f_cat < 0 && zk->f_role < 0;
	r.source = zk->f_src >= 0 ? zeek_value(fields[zk->f_src]) : NULL;
	r.desc = zk->f_desc >= 0 ? zeek_value(fields[zk->f_desc]) : NULL;
	if (zeek_meta(zk, fields, &r, why, whylen) != 0)
		return -1;
	if (strcmp(type, "Intel::ADDR") == 0 ||
	    strcmp(type, "Intel::SUBNET") == 0) {
		int want_sub = type[7] == 'S';

		if (intel_rec_cidr(&r, ind, why, whylen) != 0)
			return -1;
		if ((r.type == INTEL_SUBNET) != want_sub) {
			intel_quote(q, sizeof(q), ind, strlen(ind));
			snprintf(why, whylen, want_sub ? "Intel::SUBNET %s has "
			    "no prefix length" : "Intel::ADDR %s is a prefix, "
			    "not an address", q);
			return -1;
		}
		return intel_emit(x->ld, &r, why, whylen);
	}
	if (strcmp(type, "Intel::DOMAIN") == 0) {
		if (intel_rec_any(&r, ind, why, whylen) != 0)
			return -1;
		if (r.type != INTEL_DOMAIN) {
			intel_quote(q, sizeof(q), ind, strlen(ind));
			snprintf(why, whylen, "Intel::DOMAIN %s is an address",
			    q);
			return -1;
		}
		return intel_emit(x->ld, &r, why, whylen);
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
	return intel_emit(x->ld, &r, why, whylen);
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
			while (intel_is_space(*r))
				r++;
			if (*r != ',' && *r != '\0')
				return -1;
		} else {
			while (*r != ',' && *r != '\0')
				*w++ = *r++;
			while (w > start && intel_is_space(w[-1]))
				w--;
		}
		n++;
		if (*r == '\0') {
			*w = '\0';
			return (long)n;
		}
		*w = '\0';
		r++;
		while (intel_is_space(*r))
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
	intel_rec_clear(&r);
	rec_directives(x, &r);
	/* Echap's network.csv mixes C2 and distribution names */
	r.role_assumed = 1;
	if (c->f_app >= 0 && f[c->f_app][0] != '\0')
		r.app = f[c->f_app];
	if (strcasecmp(type, "domain") == 0 ||
	    strcasecmp(type, "hostname") == 0) {
		if ((rc = intel_rec_url(&r, ind, why, whylen)) != 0)
			return rc < 0 ? -1 : intel_emit(x->ld, &r, why, whylen);
		/* upstream lists hold a few addresses typed "domain": an
		 * address is an address */
		if (intel_rec_any(&r, ind, why, whylen) != 0)
			return -1;
		r.zeek_type = r.type == INTEL_DOMAIN ? "Intel::DOMAIN" :
		    r.type == INTEL_ADDR ? "Intel::ADDR" : "Intel::SUBNET";
	} else if (strcasecmp(type, "ipv4") == 0 ||
	    strcasecmp(type, "ipv6") == 0 || strcasecmp(type, "ip") == 0 ||
	    strcasecmp(type, "cidr") == 0) {
		if (intel_rec_cidr(&r, ind, why, whylen) != 0)
			return -1;
		r.zeek_type = r.type == INTEL_ADDR ? "Intel::ADDR" :
		    "Intel::SUBNET";
	} else
		return 0;	/* hashes, certificates...: not ours */
	return intel_emit(x->ld, &r, why, whylen);
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
	const char *cwhy;
	int sub;

	while (intel_is_space(*p))
		p++;
	for (t = p; *p != '\0' && !intel_is_space(*p); p++)
		;
	if ((size_t)(p - t) >= sizeof(tok))
		return 0;
	memcpy(tok, t, (size_t)(p - t));
	tok[p - t] = '\0';
	if (intel_parse_cidr(tok, a, &pl, &sub, &cwhy) != 0 || sub)
		return 0;
	while (intel_is_space(*p))
		p++;
	for (t = p; *p != '\0' && !intel_is_space(*p); p++)
		;
	if (p == t || *t == '#' || intel_looks_like_addr(t, (size_t)(p - t)))
		return 0;
	return intel_parse_domain(t, (size_t)(p - t), name, why,
	    sizeof(why)) == 0;
}

static int
hosts_line(struct intel_rctx *x, char *line, char *why, size_t whylen)
{
	struct intel_rec r;
	char *p = line, *tok, q[128], w[64];
	uint8_t a[16], pl;
	const char *cwhy;
	int sub, names = 0, rc;

	while (intel_is_space(*p))
		p++;
	if (*p == '#')
		return directive(x, p, why, whylen);
	for (tok = p; *p != '\0' && !intel_is_space(*p); p++)
		;
	if (*p != '\0')
		*p++ = '\0';
	if (intel_parse_cidr(tok, a, &pl, &sub, &cwhy) != 0 || sub) {
		intel_quote(q, sizeof(q), tok, strlen(tok));
		snprintf(why, whylen, "bad address %s in hosts line", q);
		return -1;
	}
	for (;;) {
		while (intel_is_space(*p))
			p++;
		if (*p == '\0' || *p == '#')
			break;
		for (tok = p; *p != '\0' && !intel_is_space(*p); p++)
			;
		if (*p != '\0')
			*p++ = '\0';
		names++;
		if (hosts_local(tok))
			continue;
		intel_rec_clear(&r);
		rec_directives(x, &r);
		if (intel_looks_like_addr(tok, strlen(tok))) {
			intel_quote(q, sizeof(q), tok, strlen(tok));
			snprintf(why, whylen, "hosts name %s is an address", q);
			return -1;
		}
		if (intel_parse_domain(tok, strlen(tok), r.text, w,
		    sizeof(w)) != 0) {
			intel_quote(q, sizeof(q), tok, strlen(tok));
			snprintf(why, whylen, "%s %s", w, q);
			return -1;
		}
		r.type = INTEL_DOMAIN;
		r.zeek_type = "Intel::DOMAIN";
		if ((rc = intel_emit(x->ld, &r, why, whylen)) != 0)
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

/* "port N" after an address or range (*pp at "port"): N in 1..65535,
 * *pp moved past it and the spaces after. */
static int
plain_port(char **pp, uint16_t *port, char *why, size_t whylen)
{
	char *p = *pp + 4, *end, q[64];
	unsigned long v;

	while (intel_is_space(*p))
		p++;
	v = (*p >= '0' && *p <= '9') ? strtoul(p, &end, 10) : 0;
	if (v == 0 || v > 65535 || (*end != '\0' && !intel_is_space(*end))) {
		intel_quote(q, sizeof(q), p, strcspn(p, " \t#"));
		snprintf(why, whylen,
		    "port %s: not a port number (1 to "
		    "65535)",
		    q);
		return -1;
	}
	*port = (uint16_t)v;
	for (p = end; intel_is_space(*p); p++)
		;
	*pp = p;
	return 0;
}

static int
plain_line(struct intel_rctx *x, char *line, char *why, size_t whylen)
{
	struct intel_rec r;
	char *p = line, *tok, *end, q[128];
	int rc;

	while (intel_is_space(*p))
		p++;
	if (*p == '\0')
		return 0;
	if (*p == '#')
		return directive(x, p, why, whylen);
	intel_rec_clear(&r);
	rec_directives(x, &r);
	tok = p;
	while (*p != '\0' && !intel_is_space(*p))
		p++;
	if (*p != '\0') {
		*p++ = '\0';
		while (intel_is_space(*p))
			p++;
		if (strncmp(p, "port", 4) == 0 && intel_is_space(p[4]) &&
		    plain_port(&p, &r.port, why, whylen) != 0)
			return -1;
		if (*p != '\0' && *p != '#') {
			intel_quote(q, sizeof(q), p, strlen(p));
			snprintf(why, whylen, "unexpected text after indicator:"
			    " %s", q);
			return -1;
		}
		if (*p == '#') {
			/* "... # desc": the comment describes the indicator */
			for (p++; intel_is_space(*p); p++)
				;
			end = p + strlen(p);
			while (end > p && intel_is_space(end[-1]))
				*--end = '\0';
			r.desc = *p != '\0' ? p : NULL;
		}
	}
	/* Echap's quad9 list carries two repository URLs: kept, unmatched */
	if ((rc = intel_rec_url(&r, tok, why, whylen)) != 0)
		return rc < 0 ? -1 : intel_emit(x->ld, &r, why, whylen);
	if (intel_rec_any(&r, tok, why, whylen) != 0)
		return -1;
	if (r.port != 0 && r.type != INTEL_ADDR && r.type != INTEL_SUBNET) {
		intel_quote(q, sizeof(q), tok, strlen(tok));
		snprintf(why, whylen,
		    "a port limits an address or a range, "
		    "not %s",
		    q);
		return -1;
	}
	return intel_emit(x->ld, &r, why, whylen);
}

/* --- Suricata rules (intel_rules.c) --- */

static int
rules_line(struct intel_rctx *x, char *line, char *why, size_t whylen)
{
	return intel_rules_line(x->ld, line, why, whylen);
}

/* Tried in order on the first data line; the last one takes anything. */
static const struct intel_reader readers[] = {
	{ "suricata-rules", intel_rules_sniff, rules_line },
	{ "echap-csv", csv_sniff, csv_line },
	{ "hosts", hosts_sniff, hosts_line },
	{ "plain", plain_sniff, plain_line },
};

static const struct intel_reader zeek_reader =
    { "zeek-intel", zeek_sniff, zeek_line };

static int
blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!intel_is_space(s[i]) && s[i] != '\r')
			return 0;
	return 1;
}

/*
 * Which line reader a file needs, from its first lines: a `#fields`
 * header before any data means Zeek Intel; otherwise the first data line
 * (not empty, not a comment) decides.  A shared-platforms list is plain.
 */
static const struct intel_reader *
detect(const char *p, const char *end, int platforms)
{
	char line[SW_INTEL_MAX_LINE + 1];
	const char *nl;
	size_t llen, i;

	if (platforms)
		return &readers[sizeof(readers) / sizeof(readers[0]) - 1];
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

int
intel_text_read(struct intel_load *ld, char *buf, size_t len)
{
	const struct intel_reader *rd;
	struct intel_rctx x;
	char why[SW_ERRLEN], *line;
	char *p = buf, *end = buf + len, *nl;
	size_t lineno = 0, llen;
	int rc;

	if ((line = malloc(SW_INTEL_MAX_LINE + 1)) == NULL) {
		intel_report(ld, 1, "out of memory");
		return -2;
	}
	rctx_init(&x, ld);
	rd = detect(p, end, intel_load_platforms_mode(ld));
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
		intel_report(ld, lineno, why);
		/* running out of room ends the file whatever the mode */
		if (rc == -2) {
			free(line);
			return -2;
		}
	}
	free(line);
	return 0;
}
