/*
 * intel_json.c - the JSON indicator formats, the only reader that sees
 * cJSON: TinyCheck / SpyGuard IOCs ({"iocs": [...]}), MISP events (per-app
 * objects whose attributes carry domains and addresses) and STIX 2.1
 * bundles as Amnesty's MVT reads them (malware objects named by
 * `indicates` relationships from indicator objects with domain, IPv4 and
 * URL patterns).
 *
 * cJSON keeps no positions, so struct json_ctx remembers where the last
 * reported value was found, to give each message a line number.
 */
#include "intel_reader.h"
#include "config.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct json_ctx {
	struct intel_load *ld;
	const char *buf;
	size_t len, cur, curline;
	const char *at;		/* not NULL: every report is at the line of
				 * this string (the STIX pattern being
				 * read), found once, on the first */
	size_t at_line;
	int seek_off;
	int full;		/* the set took no more: stop */
};


/*
 * The line of an item, for a message.  cJSON keeps no positions, so the
 * item's value is looked for as a quoted string after the last one found
 * (items come in document order).  A miss (escapes, or a value that is
 * not a string) gives the last line found, and stops the search for the
 * rest of the file so a hostile file cannot make each message a scan.
 */
static size_t
json_line(struct json_ctx *ld, const char *value)
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

static const char *
json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int json_bad(struct json_ctx *, const char *, int, const char *,
    ...) __attribute__((format(printf, 4, 5)));

/* Report a bad item; returns rc (-1, or -2 to stop). */
static int
json_bad(struct json_ctx *x, const char *value, int rc, const char *fmt,
    ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (x->at != NULL && x->at_line == 0)
		x->at_line = json_line(x, x->at);
	intel_report(x->ld, x->at != NULL ? x->at_line : json_line(x, value),
	    why);
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
json_value(struct json_ctx *x, struct intel_rec *r, const char *value,
    enum json_kind kind, const char *where)
{
	char why[SW_ERRLEN];
	int rc;

	if (kind == JK_ADDR)
		rc = intel_rec_cidr(r, value, why, sizeof(why));
	else if ((rc = intel_rec_url(r, value, why, sizeof(why))) > 0)
		goto take;
	else if (rc == 0)
		rc = intel_rec_any(r, value, why, sizeof(why));
	if (rc != 0)
		return json_bad(x, value, 0, "%s: %s", where, why);
take:
	rc = intel_emit(x->ld, r, why, sizeof(why));
	if (rc == -2)
		x->full = 1;
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
json_tinycheck(struct json_ctx *x, const cJSON *iocs)
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
		intel_rec_init(&r);
		r.role_assumed = 1;	/* C2 and websites, mixed */
		r.desc = json_str(e, "tag");
		if (json_value(x, &r, value, kind, where) == -2)
			return -2;
	}
	return 0;
}

/* One MISP attribute; 0, or -2 to stop. */
static int
misp_attr(struct json_ctx *x, const cJSON *a, const char *app,
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
	intel_rec_init(&r);
	r.role_assumed = 1;	/* C2 and websites, mixed */
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
		intel_rec_init(&r);
		r.role_assumed = 1;
		r.app = app != NULL && *app != '\0' ? app : NULL;
		r.desc = info;
		return json_value(x, &r, bar + 1, JK_ADDR, where);
	}
	if (strcmp(type, "url") == 0) {
		if (intel_url_host(value, buf, sizeof(buf)) != 0)
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
misp_event(struct json_ctx *x, const cJSON *ev, const char *pfx)
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

/* --- STIX 2.1 bundles (the format Amnesty's MVT reads) --- */

/* An (id, app) pair: a malware object's name, or the app an indicator's
 * `indicates` relationship points to. */
struct stix_ref {
	const char *id;
	const char *app;
	enum intel_category cat;
};

static int
ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct stix_ref *)a)->id,
	    ((const struct stix_ref *)b)->id);
}

static const struct stix_ref *
ref_find(const struct stix_ref *v, size_t n, const char *id)
{
	struct stix_ref k = { id, NULL, INTEL_CAT_STALKERWARE };

	if (id == NULL || n == 0)
		return NULL;
	return bsearch(&k, v, n, sizeof(*v), ref_cmp);
}

/*
 * The comparisons of one STIX pattern that are ours:
 * "[domain-name:value = 'x' OR ipv4-addr:value = '1.2.3.4']" and the
 * like, for domain-name, ipv4-addr, ipv6-addr and url values.  Other
 * object types (file hashes, app ids) are not network indicators.
 * Returns the number emitted, -1 when the pattern names a network object
 * in a way not read (reported), or -2 to stop.  Quoted literals are
 * skipped whole: "[file:name = 'url:value = x']" names no URL.
 */
static int
stix_pattern(struct json_ctx *x, const char *pat, const char *app,
    enum intel_category cat, const char *where)
{
	static const struct {
		const char *obj;
		enum json_kind kind;
	} objs[] = {
		{ "domain-name:value", JK_DOMAIN },
		{ "ipv4-addr:value", JK_ADDR },
		{ "ipv6-addr:value", JK_ADDR },
		{ "url:value", JK_ANY },
	};
	struct intel_rec r;
	char val[300], host[300];
	const char *p = pat, *q;
	size_t i, o;
	int emitted = 0;

	while ((p = strpbrk(p, "diu'")) != NULL) {
		if (*p == '\'') {	/* another comparison's literal */
			for (p++; *p != '\0' && *p != '\''; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
			if (*p == '\'')
				p++;
			continue;
		}
		for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++)
			if (strncmp(p, objs[i].obj, strlen(objs[i].obj)) == 0)
				break;
		if (i == sizeof(objs) / sizeof(objs[0]) || (p > pat &&
		    (p[-1] == '-' || (p[-1] >= 'a' && p[-1] <= 'z')))) {
			p++;
			continue;
		}
		q = p + strlen(objs[i].obj);
		while (*q == ' ')
			q++;
		if (*q != '=') {	/* LIKE, MATCHES, IN...: not read */
			json_bad(x, pat, 0, "%s: pattern operator not read "
			    "(only =)", where);
			return -1;
		}
		for (q++; *q == ' '; q++)
			;
		if (*q != '\'') {
			json_bad(x, pat, 0, "%s: pattern value not quoted",
			    where);
			return -1;
		}
		for (q++, o = 0; *q != '\0' && *q != '\''; q++) {
			if (*q == '\\' && q[1] != '\0')
				q++;
			if (o + 1 < sizeof(val))
				val[o++] = *q;
		}
		val[o] = '\0';
		if (*q != '\'') {
			json_bad(x, pat, 0, "%s: unterminated pattern value",
			    where);
			return -1;
		}
		p = q + 1;
		intel_rec_init(&r);
		r.app = app;
		r.category = cat;
		r.role_assumed = 1;
		r.desc = "STIX 2.1 indicator";
		if (objs[i].kind == JK_ANY) {
			/* a URL names one host, not a zone */
			if (intel_url_host(val, host, sizeof(host)) != 0) {
				json_bad(x, pat, 0, "%s: no host in url",
				    where);
				continue;
			}
			r.subdomains = 0;
			memcpy(val, host, strlen(host) + 1);
		}
		if (json_value(x, &r, val, objs[i].kind, where) == -2)
			return -2;
		emitted++;
	}
	return emitted;
}

/*
 * stix_pattern() with every message at the pattern's line: a value in
 * it is not in the JSON text as a quoted string, so json_line() could
 * not find it (and would stop looking for the rest of the file).
 */
static int
stix_pattern_at(struct json_ctx *x, const char *pat, const char *app,
    enum intel_category cat, const char *where)
{
	int rc;

	x->at = pat;
	x->at_line = 0;
	rc = stix_pattern(x, pat, app, cat, where);
	x->at = NULL;
	return rc;
}

static int
stix_is_bundle(const cJSON *root)
{
	const char *t = json_str(root, "type");

	return cJSON_IsObject(root) && t != NULL &&
	    strcmp(t, "bundle") == 0 &&
	    cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "objects"));
}

/*
 * A bundle: malware objects name the apps, `indicates` relationships tie
 * indicators to them, indicators carry the patterns.  An indicator that
 * indicates no malware is read without an app.  0 or -2.
 */
static int
stix_bundle(struct json_ctx *x, const cJSON *root)
{
	const cJSON *objs = cJSON_GetObjectItemCaseSensitive(root, "objects");
	const cJSON *o;
	struct stix_ref *mal = NULL, *rel = NULL;
	size_t nmal = 0, nrel = 0, n = (size_t)cJSON_GetArraySize(objs), i;
	const struct stix_ref *hit;
	const char *type, *pat, *d;
	char where[48];
	int rc = 0;

	if (n > 0 && ((mal = calloc(n, sizeof(*mal))) == NULL ||
	    (rel = calloc(n, sizeof(*rel))) == NULL)) {
		free(mal);
		intel_report(x->ld, 1, "out of memory");
		x->full = 1;
		return -2;
	}
	cJSON_ArrayForEach(o, objs) {
		type = json_str(o, "type");
		if (type == NULL)
			continue;
		if (strcmp(type, "malware") == 0 && json_str(o, "id") != NULL &&
		    json_str(o, "name") != NULL && nmal < n) {
			/* Echap's bundle calls its apps "Stalkerware
			 * applications"; a watchware one would say so */
			d = json_str(o, "description");
			mal[nmal].cat = d != NULL &&
			    strcasestr(d, "watchware") != NULL ?
			    INTEL_CAT_WATCHWARE : INTEL_CAT_STALKERWARE;
			mal[nmal].id = json_str(o, "id");
			mal[nmal++].app = json_str(o, "name");
		}
	}
	if (nmal > 0)		/* mal is NULL for an empty bundle */
		qsort(mal, nmal, sizeof(*mal), ref_cmp);
	cJSON_ArrayForEach(o, objs) {
		type = json_str(o, "type");
		if (type == NULL || strcmp(type, "relationship") != 0 ||
		    json_str(o, "relationship_type") == NULL ||
		    strcmp(json_str(o, "relationship_type"), "indicates") != 0)
			continue;
		hit = ref_find(mal, nmal, json_str(o, "target_ref"));
		if (hit != NULL && json_str(o, "source_ref") != NULL &&
		    nrel < n) {
			rel[nrel] = *hit;
			rel[nrel++].id = json_str(o, "source_ref");
		}
	}
	if (nrel > 0)
		qsort(rel, nrel, sizeof(*rel), ref_cmp);
	i = 0;
	cJSON_ArrayForEach(o, objs) {
		snprintf(where, sizeof(where), "objects[%zu]", i++);
		type = json_str(o, "type");
		if (type == NULL || strcmp(type, "indicator") != 0)
			continue;
		pat = json_str(o, "pattern");
		if (pat == NULL) {
			json_bad(x, json_str(o, "id"), 0, "%s: indicator "
			    "without a pattern", where);
			continue;
		}
		if (json_str(o, "pattern_type") != NULL &&
		    strcmp(json_str(o, "pattern_type"), "stix") != 0) {
			intel_skipped(x->ld);	/* Sigma, YARA...: not ours */
			continue;
		}
		hit = ref_find(rel, nrel, json_str(o, "id"));
		if ((rc = stix_pattern_at(x, pat, hit != NULL ? hit->app :
		    NULL, hit != NULL ? hit->cat : INTEL_CAT_STALKERWARE,
		    where)) == -2)
			break;
		if (rc == 0)
			intel_skipped(x->ld);	/* file hashes, app ids */
		rc = 0;
	}
	free(mal);
	free(rel);
	return rc == -2 ? -2 : 0;
}

/*
 * The shapes MISP writes: {"Event": {...}}, {"response": [{"Event":
 * ...}]}, [{"Event": ...}], or a bare event.  Returns 0, -1 when the
 * document is none of these nor TinyCheck, -2 to stop.
 */
static int
json_doc(struct json_ctx *x, const cJSON *root)
{
	const cJSON *iocs, *list = NULL, *e, *ev;
	char pfx[48];
	size_t i = 0;
	int rc;

	if (!cJSON_IsObject(root) && !cJSON_IsArray(root))
		return -1;
	if (stix_is_bundle(root))
		return stix_bundle(x, root);
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

int
intel_json_read(struct intel_load *ld, const char *buf, size_t len)
{
	struct json_ctx x;
	const char *end = NULL, *p;
	cJSON *root;
	int rc;

	memset(&x, 0, sizeof(x));
	x.ld = ld;
	x.buf = buf;
	x.len = len;
	x.curline = 1;
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root == NULL) {
		if (end == NULL || end < buf || end > buf + len)
			end = buf;
		intel_report(ld, intel_line_at(buf, end), "JSON syntax error");
		return 0;
	}
	for (p = end; p != NULL && p < buf + len; p++)
		if (!intel_is_space(*p) && *p != '\r' && *p != '\n') {
			intel_report(ld, intel_line_at(buf, p), "text after "
			    "the JSON document");
			cJSON_Delete(root);
			return 0;
		}
	rc = json_doc(&x, root);
	cJSON_Delete(root);
	return x.full ? -2 : rc == -1 ? -1 : 0;
}
