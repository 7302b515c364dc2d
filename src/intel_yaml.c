/*
 * intel_yaml.c - Echap's canonical indicator files, ioc.yaml and
 * watchware.yaml, read with libyaml (the only place that sees it).
 *
 * A document is a list of apps; each app a mapping:
 *
 *   - name: TheTruthSpy
 *     type: stalkerware            (or watchware)
 *     websites: [names]            role website
 *     distribution: [names, IPs]   role distribution
 *     c2:
 *       ips: [addresses]           role C2 (also "ip", which upstream
 *       domains: [names]            writes for two apps)
 *
 * Other keys (names, packages, certificates, ios_bundles, ...) are not
 * network indicators and are ignored, as are keys this reader does not
 * know.  The whole stream is loaded into libyaml's node tree (the file is
 * capped by the loader), so every message carries the line of its node.
 * A document libyaml cannot parse is one "file:line: reason" error; a bad
 * app or value is reported at its line and the rest is read.
 */
#include "intel_reader.h"
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

struct yaml_ctx {
	struct intel_load *ld;
	yaml_document_t *doc;
	char source[320];	/* the attribution every item carries */
	int full;		/* the set took no more: stop */
	/* Nodes left to visit.  A tree is walked in at most a few visits
	 * per node; aliases can make a small document name one subtree a
	 * million times, so the walk of a document is capped. */
	size_t budget;
	int over;		/* the budget ran out: stop */
	char label[128];	/* the app's name for messages (label()) */
};


static size_t
node_line(const yaml_node_t *n)
{
	return n != NULL ? n->start_mark.line + 1 : 1;
}

static void bad(struct yaml_ctx *, const yaml_node_t *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad(struct yaml_ctx *x, const yaml_node_t *n, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	intel_report(x->ld, node_line(n), why);
}

/* A scalar's text (libyaml NUL-terminates it), or NULL. */
static const char *
scalar(const yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* One visit of the walk; -1 (reported once) when the budget is spent. */
static int
spend(struct yaml_ctx *x, const yaml_node_t *n)
{
	if (x->over)
		return -1;
	if (x->budget > 0) {
		x->budget--;
		return 0;
	}
	x->over = 1;
	bad(x, n, "YAML aliases repeat the document more than %d times "
	    "over", SW_INTEL_YAML_VISITS);
	return -1;
}

/*
 * An app name or type for a message: as it is when printable, else
 * quoted (intel_quote()), so a name holding a newline cannot split the
 * line.
 */
static const char *
label(char *out, size_t outlen, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			break;
	if (*p == '\0' && p - (const unsigned char *)s <= 80)
		snprintf(out, outlen, "%s", s);
	else
		intel_quote(out, outlen, s, strlen(s));
	return out;
}

/* The value of `key` in a mapping, or NULL. */
static yaml_node_t *
map_get(struct yaml_ctx *x, const yaml_node_t *map, const char *key)
{
	const yaml_node_pair_t *p;
	const char *k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		if (spend(x, map) != 0)
			return NULL;
		k = scalar(yaml_document_get_node(x->doc, p->key));
		if (k != NULL && strcmp(k, key) == 0)
			return yaml_document_get_node(x->doc, p->value);
	}
	return NULL;
}

/*
 * One value of a list: a name, an address, or (upstream lists hold a
 * few, such as a GitHub repository under distribution) a URL, kept as
 * Intel::URL and never matched.  Domains may hold addresses (upstream
 * lists one distribution IP).  Returns 0, or -2 to stop.
 */
static int
value(struct yaml_ctx *x, const yaml_node_t *n, const char *app,
    enum intel_category cat, enum intel_role role, int addr_only,
    const char *key)
{
	struct intel_rec r;
	char why[SW_ERRLEN], what[300];
	const char *v = scalar(n);
	int rc;

	if (spend(x, n) != 0)
		return -2;
	if (v == NULL) {
		bad(x, n, "%s of %s: not a plain value", key, x->label);
		return 0;
	}
	/* a "\0" escape would cut the indicator short */
	if (strlen(v) != n->data.scalar.length) {
		bad(x, n, "%s of %s: NUL byte in value", key, x->label);
		return 0;
	}
	if (*v == '\0')
		return 0;	/* "- " with nothing: an empty entry */
	intel_rec_init(&r);
	r.source = x->source;
	r.app = app;
	r.category = cat;
	r.role = role;
	if (addr_only)
		rc = intel_rec_cidr(&r, v, why, sizeof(why));
	else if ((rc = intel_rec_url(&r, v, why, sizeof(why))) == 0)
		rc = intel_rec_any(&r, v, why, sizeof(why));
	else if (rc > 0)
		rc = 0;
	if (rc == 0) {
		snprintf(what, sizeof(what), "%s %s of %s (Echap)",
		    intel_category_name(cat), intel_role_name(role), app);
		r.desc = what;
		if ((rc = intel_emit(x->ld, &r, why, sizeof(why))) == -2)
			x->full = 1;
	}
	if (rc != 0) {
		snprintf(what, sizeof(what), "%s of %s", key, x->label);
		bad(x, n, "%s: %s", what, why);
	}
	return x->full ? -2 : 0;
}

/* A list of values (a single value is taken as a list of one). */
static int
list(struct yaml_ctx *x, const yaml_node_t *n, const char *app,
    enum intel_category cat, enum intel_role role, int addr_only,
    const char *key)
{
	const yaml_node_item_t *i;

	if (n == NULL)
		return 0;
	if (n->type == YAML_SCALAR_NODE)
		return scalar(n)[0] == '\0' && n->data.scalar.style ==
		    YAML_PLAIN_SCALAR_STYLE ? 0 :	/* "key:" empty */
		    value(x, n, app, cat, role, addr_only, key);
	if (n->type != YAML_SEQUENCE_NODE) {
		bad(x, n, "%s of %s: not a list", key, x->label);
		return 0;
	}
	for (i = n->data.sequence.items.start;
	    i < n->data.sequence.items.top; i++)
		if (value(x, yaml_document_get_node(x->doc, *i), app, cat,
		    role, addr_only, key) == -2)
			return -2;
	return 0;
}

/* One app of the list; 0 or -2. */
static int
app(struct yaml_ctx *x, const yaml_node_t *n)
{
	const yaml_node_t *c2, *ips, *tn;
	const char *name, *type;
	enum intel_category cat = INTEL_CAT_STALKERWARE;
	enum intel_role role;
	char q[128];

	if (spend(x, n) != 0)
		return -2;
	if (n->type != YAML_MAPPING_NODE) {
		bad(x, n, "app entry is not a mapping");
		return 0;
	}
	/* once the budget is spent, map_get() finds nothing: the caller
	 * stops on x->over */
	name = scalar(map_get(x, n, "name"));
	if (x->over)
		return -2;
	if (name == NULL || *name == '\0') {
		bad(x, n, "app without a name");
		return 0;
	}
	label(x->label, sizeof(x->label), name);
	/* a type that is no word (a list, a mapping) is as bad as a wrong
	 * word: the app would silently count as stalkerware */
	if ((tn = map_get(x, n, "type")) != NULL && ((type = scalar(tn)) ==
	    NULL || intel_parse_class(type, strlen(type), NULL, &cat) != 0)) {
		if (type != NULL)
			intel_quote(q, sizeof(q), type, strlen(type));
		else
			snprintf(q, sizeof(q), "a list or mapping");
		bad(x, tn, "type of %s: %s is not stalkerware or watchware",
		    x->label, q);
		return 0;
	}
	role = INTEL_ROLE_WEBSITE;
	if (list(x, map_get(x, n, "websites"), name, cat, role, 0,
	    "websites") == -2)
		return -2;
	role = INTEL_ROLE_DISTRIBUTION;
	if (list(x, map_get(x, n, "distribution"), name, cat, role, 0,
	    "distribution") == -2)
		return -2;
	c2 = map_get(x, n, "c2");
	if (c2 == NULL || (c2->type == YAML_SCALAR_NODE &&
	    *scalar(c2) == '\0'))
		return 0;
	if (c2->type != YAML_MAPPING_NODE) {
		bad(x, c2, "c2 of %s: not a mapping", x->label);
		return 0;
	}
	role = INTEL_ROLE_C2;
	if ((ips = map_get(x, c2, "ips")) == NULL)
		ips = map_get(x, c2, "ip");
	if (list(x, ips, name, cat, role, 1, "c2.ips") == -2)
		return -2;
	return list(x, map_get(x, c2, "domains"), name, cat, role, 0,
	    "c2.domains");
}

/*
 * One document: 0 (also when empty: "---" alone, or a comment, is a null
 * document), -1 when it is no list of apps, -2 to stop.
 */
static int
document(struct yaml_ctx *x)
{
	const yaml_node_t *root = yaml_document_get_root_node(x->doc);
	const yaml_node_item_t *i;

	if (root == NULL || (root->type == YAML_SCALAR_NODE &&
	    root->data.scalar.length == 0 && root->data.scalar.style ==
	    YAML_PLAIN_SCALAR_STYLE))
		return 0;
	if (root->type != YAML_SEQUENCE_NODE)
		return -1;
	x->over = 0;
	x->budget = SW_INTEL_YAML_VISITS * (size_t)(x->doc->nodes.top -
	    x->doc->nodes.start) + 64;
	for (i = root->data.sequence.items.start;
	    i < root->data.sequence.items.top; i++)
		if (app(x, yaml_document_get_node(x->doc, *i)) == -2 ||
		    x->over)
			return -2;
	return 0;
}

int
intel_yaml_read(struct intel_load *ld, const char *buf, size_t len)
{
	yaml_parser_t p;
	yaml_document_t doc;
	struct yaml_ctx x;
	const char *base;
	char why[SW_ERRLEN];
	int rc = 0, ndocs = 0, r;
	size_t line;

	if (!yaml_parser_initialize(&p)) {
		intel_report(ld, 1, "out of memory");
		return -2;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	memset(&x, 0, sizeof(x));
	x.ld = ld;
	x.doc = &doc;
	base = strrchr(intel_load_path(ld), '/');
	base = base != NULL ? base + 1 : intel_load_path(ld);
	snprintf(x.source, sizeof(x.source), "Echap stalkerware-indicators "
	    "%.256s (CC-BY 4.0)", base);
	for (;;) {
		if (!yaml_parser_load(&p, &doc)) {
			if (p.context != NULL)
				snprintf(why, sizeof(why), "YAML: %s %s "
				    "started at line %zu", p.problem != NULL ?
				    p.problem : "syntax error", p.context,
				    p.context_mark.line + 1);
			else
				snprintf(why, sizeof(why), "YAML: %s",
				    p.problem != NULL ? p.problem :
				    "syntax error");
			intel_report(ld, p.problem != NULL ?
			    p.problem_mark.line + 1 : p.mark.line + 1, why);
			break;
		}
		if (yaml_document_get_root_node(&doc) == NULL) {
			yaml_document_delete(&doc);
			break;		/* end of the stream */
		}
		r = document(&x);
		line = node_line(yaml_document_get_root_node(&doc));
		yaml_document_delete(&doc);
		if (r == -2) {
			rc = x.full ? -2 : 0;	/* else over budget: reported */
			break;
		}
		if (r == -1 && ndocs == 0) {
			rc = -1;
			break;
		}
		if (r == -1)
			intel_report(ld, line, "YAML document is not a list of "
			    "apps");
		ndocs++;
	}
	yaml_parser_delete(&p);
	return rc;
}
