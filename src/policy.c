/*
 * policy.c - detection policy (policy.h): the notes, their sentences,
 * identifiers and severities, and the evidence they add to a device's
 * verdict.  The central structure is struct policy: the notice context
 * and correlator it writes to, and its counters.
 */
#include "policy.h"
#include "config.h"
#include "device.h"
#include "geo.h"
#include "jbuf.h"
#include "table.h"
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A connection to a stalkerware C2, waiting for its end to be graded. */
struct c2_flow {
	struct device_info dev;
	char app[CORR_APP];
	char sub[CORR_TEXT];
	uint8_t dev_is_resp;
	uint8_t data_graded;   /* its exchange already counted */
	uint8_t upload_graded; /* its upload already counted */
};

/* A home sender's notices in the current budget window. */
struct budget {
	int64_t start_us;
	uint32_t written;
	uint8_t set;  /* a window has started */
	uint8_t over; /* counted in sources_over this window */
};

struct policy {
	struct notice_ctx *notices;
	const struct homenet *home;  /* NULL: every address is a device */
	struct table *budgets;	     /* key: a home address */
	struct budget foreign;	     /* every other address together */
	struct policy_pressure last; /* at the last check */
	int64_t attack_us;	     /* the last attack notice, or 0 */
	struct correlate *corr;
	struct devices *devices;
	struct geo *geo;  /* NULL: no database */
	struct timeline *tl;
	struct table *c2; /* key: the flow's address */
	/* a bit per hash of the C2 flows' addresses (cleared when none is
	 * left): every connection's end asks, and one that never was a C2
	 * one, nearly all, is told without SipHash */
	uint64_t c2_bits[SW_CORR_C2_FLOWS / 4];
	int vendor_sites;
	struct policy_stats st;
};

struct policy *
policy_new(struct notice_ctx *notices, struct correlate *corr,
    struct devices *devices, int vendor_sites, uint64_t seed, char *errbuf)
{
	struct policy *p = calloc(1, sizeof(*p));
	struct table_config tc;

	if (p == NULL) {
		snprintf(errbuf, SW_ERRLEN, "policy: out of memory");
		return NULL;
	}
	memset(&tc, 0, sizeof(tc));
	tc.name = "c2-flows";
	tc.max = SW_CORR_C2_FLOWS;
	tc.key_max = sizeof(void *);
	tc.val_size = sizeof(struct c2_flow);
	tc.nlists = 1;
	tc.seed = seed;
	if ((p->c2 = table_new(&tc, errbuf)) == NULL ||
	    (p->tl = timeline_new(0, seed, errbuf)) == NULL) {
		table_free(p->c2);
		free(p);
		return NULL;
	}
	memset(&tc, 0, sizeof(tc));
	tc.name = "notice sources";
	tc.max = SW_NOTICE_SOURCES;
	tc.key_max = 16;
	tc.val_size = sizeof(struct budget);
	tc.seed = seed;
	if ((p->budgets = table_new(&tc, errbuf)) == NULL) {
		table_free(p->c2);
		timeline_free(p->tl);
		free(p);
		return NULL;
	}
	p->notices = notices;
	p->corr = corr;
	p->devices = devices;
	p->vendor_sites = vendor_sites;
	return p;
}

void
policy_set_home(struct policy *p, const struct homenet *home)
{
	p->home = home;
}

void
policy_set_geo(struct policy *p, struct geo *geo)
{
	p->geo = geo;
}

void
policy_free(struct policy *p)
{
	if (p == NULL)
		return;
	table_free(p->c2);
	table_free(p->budgets);
	timeline_free(p->tl);
	free(p);
}

struct timeline *
policy_timeline(struct policy *p)
{
	return p->tl;
}

const struct policy_stats *
policy_get_stats(const struct policy *p)
{
	return &p->st;
}

/* The device at addr, as f shows it (the MAC its side sends from), into
 * *out; NULL without a device table. */
static const struct device_info *
device_of(struct policy *a, const struct flow *f, const uint8_t *addr,
    int64_t ts_us, struct device_info *out)
{
	const struct device_info *d;
	const uint8_t *mac = NULL;

	if (a->devices == NULL || addr == NULL)
		return NULL;
	/* a remote host is no device: spoofed sources are not phones (an
	 * IPv6 address counts until the home's prefix is given) */
	if (homenet_knows(a->home, addr) && !homenet_contains(a->home, addr)) {
		a->st.not_devices++;
		return NULL;
	}
	if (f != NULL) {
		if (flow_addr_is(f, 0, addr) && f->has_orig_l2)
			mac = f->orig_l2;
		else if (flow_addr_is(f, 1, addr) && f->has_resp_l2)
			mac = f->resp_l2;
	}
	if ((d = devices_seen(a->devices, addr, mac, ts_us)) == NULL)
		return NULL;
	*out = *d;
	return out;
}

/* "192.168.1.23 (host name "Galaxy", MAC aa:bb:...)": how to find it. */
static void
device_words(const struct device_info *d, char *out, size_t len)
{
	char ip[48], mac[18];
	size_t o;

	jbuf_addr_fmt(d->addr, ip, sizeof(ip));
	o = (size_t)snprintf(out, len, "%s", ip);
	if (o < len && (d->hostname[0] != '\0' || d->has_mac)) {
		device_mac_fmt(d->mac, mac);
		snprintf(out + o, len - o, " (%s%s%s%s%s%s)",
		    d->hostname[0] != '\0' ? "host name \"" : "", d->hostname,
		    d->hostname[0] != '\0' ? "\"" : "",
		    d->hostname[0] != '\0' && d->has_mac ? ", " : "",
		    d->has_mac ? "MAC " : "", d->has_mac ? mac : "");
	}
}

/* "mSpy, Cerberus and FlexiSpy": the apps a device's evidence names. */
static void
apps_text(const struct corr_device *d, char *out, size_t len)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < d->napps && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s",
		    i == 0		  ? "" :
			i + 1 == d->napps ? " and " :
					    ", ",
		    d->apps[i]);
}

/* The words of the grades that count at now_us, up to grade `last`,
 * "; "-separated. */
static void
grades_text(const struct correlate *c, const struct corr_device *d,
    int64_t now_us, int last, char *out, size_t len)
{
	size_t o = 0;
	int g;

	out[0] = '\0';
	for (g = 0; g <= last && o < len; g++)
		if (correlate_has(c, d, (enum corr_grade)g, now_us))
			o += (size_t)snprintf(out + o, len - o, "%s%s",
			    o > 0 ? "; " : "",
			    correlate_grade_words((enum corr_grade)g));
}

/*
 * One more piece of evidence against a device; when it makes the device
 * very likely infected, the survivor-risk verdict (the seed's meta rule,
 * level 15), once per device per window.
 */
static void
evidence(struct policy *a, const struct flow *f, const struct device_info *dv,
    enum corr_grade g, const char *app, const char *note, const char *sub,
    int64_t ts_us)
{
	const struct corr_device *d;
	struct notice n;
	char msg[1024], ident[64], dev[200], apps[160], what[400];
	char uid[FLOW_UID_LEN];

	if (dv == NULL)
		return;
	if (f != NULL)
		flow_uid(f, uid);
	d = correlate_add(a->corr, dv, g, app, note, f != NULL ? uid : NULL,
	    sub, ts_us);
	if (d == NULL)
		return;
	device_words(&d->dev, dev, sizeof(dev));
	apps_text(d, apps, sizeof(apps));
	grades_text(a->corr, d, ts_us, CORR_BEACON_C2, what, sizeof(what));
	snprintf(msg, sizeof(msg),
	    "%s very likely has the stalkerware %s%s "
	    "(%s): the device of a person who may be at risk; urgent, handle "
	    "with the person's safety plan before touching the phone",
	    dev,
	    d->napps > 1      ? "apps " :
		d->napps == 1 ? "app " :
				"",
	    d->napps > 0 ? apps : "app of an unnamed vendor", what);
	jbuf_addr_fmt(d->dev.addr, ident, sizeof(ident));
	memset(&n, 0, sizeof(n));
	n.ts_us = ts_us;
	n.note = NOTE_SURVIVOR_RISK;
	n.msg = msg;
	n.sub = ident;
	n.identifier = NULL; /* once per device per window (correlate.h) */
	n.severity = SW_SEV_SURVIVOR;
	n.conn = f;
	n.src = d->dev.addr;
	n.evidence = d;
	n.device = &d->dev;
	if (notice_raise(a->notices, &n) >= 0)
		correlate_mark_raised(a->corr, &d->dev, ts_us);
}

/*
 * The note, severity and evidence kind of an intel hit (see the severity
 * table in the README and stalkerwatch(8)).  Watchware is its own note
 * and never evidence for the survivor-risk verdict: those apps are
 * usually installed openly.  Websites are no evidence either.
 */
static void
intel_note(const struct intel_item *it, const char **note, int *severity)
{
	if (it->role == INTEL_ROLE_WEBSITE) {
		*note = NOTE_VENDOR_WEBSITE;
		*severity = SW_SEV_WEBSITE;
	} else if (it->category == INTEL_CAT_WATCHWARE) {
		*note = NOTE_WATCHWARE;
		*severity = SW_SEV_WATCHWARE;
	} else if (it->role == INTEL_ROLE_DISTRIBUTION) {
		*note = NOTE_DISTRIBUTION;
		*severity = SW_SEV_DISTRIBUTION;
	} else {
		*note = NOTE_C2_TRAFFIC;
		*severity = SW_SEV_C2;
	}
}

static unsigned
c2_bit(const struct flow *f)
{
	uint64_t h = (uint64_t)(uintptr_t)f * UINT64_C(0x9e3779b97f4a7c15);

	return (unsigned)(h >> 40) % (SW_CORR_C2_FLOWS / 4 * 64);
}

/* A connection to a stalkerware C2: graded when it ends. */
static void
c2_flow_add(struct policy *a, const struct flow *f,
    const struct device_info *dv, const struct intel_item *it, const char *sub)
{
	struct c2_flow *c;
	uint64_t h;

	h = table_hash(a->c2, &f, sizeof(f));
	if (table_find(a->c2, &f, sizeof(f), h) != NULL)
		return;
	if (table_full(a->c2))
		a->st.c2_flows_lost++;
	if ((c = table_insert(a->c2, &f, sizeof(f), h, 1)) == NULL)
		return;
	a->c2_bits[c2_bit(f) / 64] |= UINT64_C(1) << (c2_bit(f) % 64);
	c->dev = *dv;
	snprintf(c->app, sizeof(c->app), "%s", it->app != NULL ? it->app : "");
	snprintf(c->sub, sizeof(c->sub), "%s", sub != NULL ? sub : "");
	c->dev_is_resp = flow_addr_is(f, 1, dv->addr) &&
	    !flow_addr_is(f, 0, dv->addr);
}

static struct c2_flow *
c2_flow_of(struct policy *a, const struct flow *f)
{
	unsigned b = c2_bit(f);

	if (table_get_stats(a->c2)->entries == 0 ||
	    !(a->c2_bits[b / 64] >> (b % 64) & 1))
		return NULL;
	return table_find(a->c2, &f, sizeof(f),
	    table_hash(a->c2, &f, sizeof(f)));
}

/*
 * Grade a C2 connection by what it carried: data both ways, an upload,
 * or, when it ended without an exchange, packets only (weak).  A
 * connection still open (ended 0) is graded for what it already showed,
 * once.
 */
static void
grade_flow(struct policy *a, const struct flow *f, struct c2_flow *c, int ended)
{
	uint64_t ob = flow_orig_bytes(f), rb = flow_resp_bytes(f);
	uint64_t sent = c->dev_is_resp ? rb : ob;

	if (ob == 0 || rb == 0) {
		if (ended && !c->data_graded)
			evidence(a, f, &c->dev, CORR_WEAK, c->app,
			    NOTE_C2_TRAFFIC, c->sub, f->last_us);
		return;
	}
	if (!c->data_graded) {
		c->data_graded = 1;
		evidence(a, f, &c->dev, CORR_DATA, c->app, NOTE_C2_TRAFFIC,
		    c->sub, f->last_us);
	}
	if (sent >= SW_VERDICT_UPLOAD && !c->upload_graded) {
		c->upload_graded = 1;
		evidence(a, f, &c->dev, CORR_UPLOAD, c->app, NOTE_C2_TRAFFIC,
		    c->sub, f->last_us);
	}
}

void
policy_conn_end(struct policy *a, const struct flow *f)
{
	struct c2_flow *c = c2_flow_of(a, f);
	struct c2_flow copy;

	if (c == NULL)
		return;
	copy = *c;
	table_remove(a->c2, c);
	if (table_get_stats(a->c2)->entries == 0)
		memset(a->c2_bits, 0, sizeof(a->c2_bits));
	grade_flow(a, f, &copy, 1);
}

void
policy_grade_pending(struct policy *a)
{
	struct c2_flow *c, *next;
	const struct flow *f;
	size_t klen;

	for (c = table_oldest(a->c2, 0); c != NULL; c = next) {
		next = table_newer(a->c2, c);
		memcpy(&f, table_key(a->c2, c, &klen), sizeof(f));
		grade_flow(a, f, c, 0);
	}
}

/*
 * The sentence of an intel notice, naming the device, what it touched
 * and the app, in words a caseworker can read.  `what` is the name or
 * address touched, `how` what the device did with it.
 */
static void
intel_msg(char *msg, size_t len, const struct intel_item *it,
    const char *dev, const char *what, const char *srv, const char *where,
    int is_addr, int is_dns)
{
	const char *app = it->app != NULL ? it->app : "an unnamed app";
	char how[600];

	if (is_addr)
		snprintf(how, sizeof(how), "%s had traffic with %s", dev, what);
	else if (is_dns && strcmp(where, "DNS::IN_RESPONSE") == 0)
		snprintf(how, sizeof(how), "a lookup by %s was answered "
		    "through %s", dev, what);
	else if (is_dns)
		snprintf(how, sizeof(how), "%s looked up %s", dev, what);
	else
		snprintf(how, sizeof(how), "%s connected to %s (%s)", dev,
		    what, srv);
	if (it->role == INTEL_ROLE_WEBSITE)
		snprintf(msg, len, "%s, a website of the %s vendor %s (not by "
		    "itself evidence of infection)", how,
		    intel_category_name(it->category), app);
	else if (it->category == INTEL_CAT_WATCHWARE)
		snprintf(msg, len, "%s, %s of %s, a family-locator or "
		    "parental-control app that is usually installed openly: "
		    "check with the person whether they know of it and agreed "
		    "to it", how, it->role == INTEL_ROLE_DISTRIBUTION ?
		    "a download site" : is_addr ? "a server address" :
		    "a server name", app);
	else if (it->role == INTEL_ROLE_DISTRIBUTION)
		snprintf(msg, len, "%s, a download site of the stalkerware "
		    "app %s: someone may be installing it on this device", how,
		    app);
	else
		snprintf(msg, len, "%s, a known C2 %s of the stalkerware app "
		    "%s", how, is_addr ? "address" : "name", app);
}

/*
 * The budget a notice from `src` spends (config.h): for a home device,
 * that of the network card it sends from when f shows it (one sender
 * spoofing a thousand addresses is one card), else of its address; for
 * every remote address, one budget together; none (write) without a
 * source.  A new window starts when the last has passed; the table
 * forgets the least recently noticed sender.
 */
static struct budget *
budget_of(struct policy *a, const struct flow *f, const uint8_t *src,
    int is_device, int64_t ts_us)
{
	const uint8_t *key = src;
	struct budget *b;
	size_t klen = 16;
	uint64_t h;

	if (src == NULL)
		return NULL;
	if (f != NULL && flow_addr_is(f, 0, src) && f->has_orig_l2) {
		key = f->orig_l2;
		klen = 6;
	} else if (f != NULL && flow_addr_is(f, 1, src) && f->has_resp_l2) {
		key = f->resp_l2;
		klen = 6;
	}
	if (!is_device)
		b = &a->foreign;
	else {
		h = table_hash(a->budgets, key, klen);
		if ((b = table_find(a->budgets, key, klen, h)) != NULL)
			table_touch(a->budgets, b, 0);
		else if ((b = table_insert(a->budgets, key, klen, h, 1)) ==
		    NULL)
			return NULL;
	}
	/* a new window when the last is over, or when network time went
	 * back before it (replays of several files) */
	if (!b->set || ts_us < b->start_us ||
	    ts_us - b->start_us >= (int64_t)SW_NOTICE_BUDGET_S * 1000000) {
		b->set = 1;
		b->start_us = ts_us;
		b->written = 0;
		b->over = 0;
	}
	return b;
}

/* Whether b has room for one more notice; counts the refusal if not. */
static int
budget_room(struct policy *a, struct budget *b, int is_device)
{
	uint32_t cap = is_device ? SW_NOTICE_SOURCE_BUDGET :
				   SW_NOTICE_FOREIGN_BUDGET;

	if (b == NULL || b->written < cap)
		return 1;
	a->st.over_budget++;
	if (!b->over) {
		b->over = 1;
		a->st.sources_over++;
	}
	return 0;
}

#define OVER_BUDGET (-2) /* raise_budgeted(): not written, counted */

/* Offer n under b: written ones spend it; one that suppression would
 * drop anyway is offered (and suppressed, counted so) without asking. */
static int
raise_budgeted(struct policy *a, struct budget *b, int is_device,
    const struct notice *n)
{
	int rc;

	if (b != NULL && !notice_would_suppress(a->notices, n) &&
	    !budget_room(a, b, is_device))
		return OVER_BUDGET;
	if ((rc = notice_raise(a->notices, n)) == 1 && b != NULL)
		b->written++;
	return rc;
}

/*
 * The notice of an intel hit (policy.h).  Vendor websites are counted, and
 * only noticed (at a low severity) when asked for: a survivor researching
 * the app visits them too, so a visit is not evidence of infection.  The
 * identifier keeps one notice per indicator, device and kind ("dns" for
 * lookups, "conn" for connections) per suppression window.
 */
void
policy_intel(struct policy *a, const struct flow *f,
    const struct intel_item *it, const uint8_t *device, const uint8_t *server,
    const char *name, const char *flow_name, const char *where,
    int64_t ts_us)
{
	struct notice n;
	struct device_info dbuf;
	const struct device_info *dv;
	char msg[1024], ident[512], dev[48], srv[48];
	int website = it->role == INTEL_ROLE_WEBSITE;
	int rc, charged;

	a->st.intel_hits++;
	if (website) {
		a->st.website_hits++;
		if (!a->vendor_sites)
			return;
	}
	memset(&n, 0, sizeof(n));
	intel_note(it, &n.note, &n.severity);
	dv = device_of(a, f, device, ts_us, &dbuf);
	jbuf_addr_fmt(device, dev, sizeof(dev));
	srv[0] = '\0';
	if (server != NULL)
		jbuf_addr_fmt(server, srv, sizeof(srv));
	intel_msg(msg, sizeof(msg), it, dev, name != NULL ? name :
	    it->indicator, srv, where, name == NULL, server == NULL);
	snprintf(ident, sizeof(ident), "%s-%s-%s", it->indicator, dev,
	    website ? "web" : server == NULL ? "dns" : "conn");
	n.ts_us = ts_us;
	n.msg = msg;
	n.sub = name != NULL ? name : it->indicator;
	n.identifier = ident;
	n.conn = f;
	n.src = device;
	n.dst = server;
	n.server_name = name != NULL ? name : flow_name;
	n.intel = it;
	n.intel_where = where;
	n.device = dv;
	if (server != NULL)
		n.geo = geo_lookup(a->geo, server);
	/* a hit on a connection the remote end opened (Conn::IN_ORIG) is
	 * charged to the remote sources' budget: anyone can send those to
	 * a phone, and must not spend the phone's own */
	charged = dv != NULL &&
	    !(f != NULL && server != NULL && flow_addr_is(f, 0, server) &&
		!flow_addr_is(f, 0, device));
	rc = raise_budgeted(a, budget_of(a, f, device, charged, ts_us), charged,
	    &n);
	if (website || dv == NULL)
		return; /* a visit is no evidence */
	if (server != NULL && f != NULL)
		timeline_contact(a->tl, dv->id, n.sub, server,
		    f->uid_hi ^ f->uid_lo, ts_us);
	/* a suppressed repeat is evidence too: a C2 contacted again */
	if (it->category == INTEL_CAT_WATCHWARE)
		evidence(a, f, dv, CORR_WATCHWARE, it->app, n.note, n.sub,
		    ts_us);
	else if (it->role == INTEL_ROLE_DISTRIBUTION)
		evidence(a, f, dv, CORR_DISTRIBUTION, it->app, n.note, n.sub,
		    ts_us);
	else if (server == NULL)
		evidence(a, f, dv, CORR_LOOKUP, it->app, n.note, n.sub, ts_us);
	else if (f != NULL)
		c2_flow_add(a, f, dv, it, n.sub);
	(void)rc;
}


void
policy_beacon(struct policy *a, const struct flow *f, const char *dest,
    int is_name, const struct beacon_score *sc, int level, int64_t ts_us)
{
	struct notice n;
	struct flow_addrs fa;
	struct device_info dbuf;
	const struct device_info *dv;
	const struct c2_flow *c2;
	char msg[512], ident[512], dev[48];
	int rc;

	flow_get_addrs(f, &fa);
	dv = device_of(a, f, fa.orig_h, ts_us, &dbuf);
	jbuf_addr_fmt(fa.orig_h, dev, sizeof(dev));
	snprintf(msg, sizeof(msg), "%s sends small periodic traffic to %s: "
	    "%u events about every %.0f s, %s", dev, dest, sc->events,
	    sc->period_s, level >= 3 ? "a steady beacon" : level == 2 ?
	    "likely a beacon" : "possibly a beacon");
	/* a stronger level is news: it is not suppressed by a weaker one */
	snprintf(ident, sizeof(ident), "%s-%s-%d", dev, dest, level);
	memset(&n, 0, sizeof(n));
	n.ts_us = ts_us;
	n.note = NOTE_BEACONING;
	n.msg = msg;
	n.sub = dest;
	n.identifier = ident;
	n.severity = level >= 3 ? SW_SEV_BEACON : level == 2 ?
	    SW_SEV_BEACON - 2 : SW_SEV_BEACON - 4;
	n.conn = f;
	n.src = fa.orig_h;
	n.dst = fa.resp_h;
	n.server_name = is_name ? dest : NULL;
	n.beacon = sc;
	n.device = dv;
	n.geo = geo_lookup(a->geo, fa.resp_h);
	/* over budget, the notice is not written but the evidence
	 * counts; suppressed, it was counted already */
	rc = raise_budgeted(a, budget_of(a, f, fa.orig_h, dv != NULL, ts_us),
	    dv != NULL, &n);
	if ((rc != 1 && rc != OVER_BUDGET) || dv == NULL)
		return;
	timeline_beacon(a->tl, dv->id, dest, fa.resp_h, sc->period_s,
	    sc->events, sc->first_us, sc->last_us);
	/* to a C2 when the connection is one (policy_intel()) */
	if ((c2 = c2_flow_of(a, f)) != NULL)
		evidence(a, f, dv, CORR_BEACON_C2, c2->app, n.note, dest,
		    ts_us);
	else
		evidence(a, f, dv, CORR_BEACON, NULL, n.note, dest, ts_us);
}

void
policy_check_pressure(struct policy *a, const struct policy_pressure *pr,
    int64_t now_us)
{
	struct policy_pressure d;
	struct notice n;
	char msg[600];

	d.notices = pr->notices - a->last.notices;
	d.trackers = pr->trackers - a->last.trackers;
	d.reasm = pr->reasm - a->last.reasm;
	d.evidence = pr->evidence - a->last.evidence;
	if ((d.notices | d.trackers | d.reasm | d.evidence) == 0)
		return;
	if (a->attack_us != 0 &&
	    now_us - a->attack_us < (int64_t)SW_ATTACK_NOTICE_S * 1000000)
		return; /* counted on: the next notice says how many */
	snprintf(msg, sizeof(msg),
	    "the sensor is being flooded (spoofed or abnormal traffic): "
	    "since %s it left %llu notices unwritten, had %llu beacon "
	    "trackers and %llu reassembly slots taken, and dropped %llu "
	    "devices' evidence; notices may be missing from now on "
	    "(stats.log counts them)",
	    a->attack_us != 0 ? "the last such notice" : "the start",
	    (unsigned long long)d.notices, (unsigned long long)d.trackers,
	    (unsigned long long)d.reasm, (unsigned long long)d.evidence);
	memset(&n, 0, sizeof(n));
	n.ts_us = now_us;
	n.note = NOTE_UNDER_ATTACK;
	n.msg = msg;
	n.identifier = NULL; /* rate-limited here */
	n.severity = SW_SEV_ATTACK;
	if (notice_raise(a->notices, &n) == 1)
		a->st.attack_notices++;
	a->attack_us = now_us;
	a->last = *pr;
}

void
policy_verdict_words(const struct correlate *c, const struct corr_device *d,
    int64_t now_us, char *out, size_t len)
{
	enum corr_level lv = correlate_level(c, d, now_us);
	char dev[200], apps[160], what[600];

	device_words(&d->dev, dev, sizeof(dev));
	apps_text(d, apps, sizeof(apps));
	grades_text(c, d, now_us, CORR_GRADES - 1, what, sizeof(what));
	if (lv == CORR_VERY_LIKELY)
		snprintf(out, len, "%s: very likely stalkerware%s%s (%s)", dev,
		    d->napps > 0 ? ", " : "", apps, what);
	else if (lv == CORR_POSSIBLE)
		snprintf(out, len,
		    "%s: possible stalkerware%s%s, not enough "
		    "to say more (%s)",
		    dev, d->napps > 0 ? ", " : "", apps, what);
	else
		snprintf(out, len, "%s: nothing found, weak signs only (%s)",
		    dev, what[0] != '\0' ? what : "none in the window");
}
