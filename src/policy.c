/*
 * policy.c - detection policy (policy.h): the notes, their sentences,
 * identifiers and severities, and the evidence they add to a device's
 * verdict.  The central structure is struct policy: the notice context
 * and correlator it writes to, and its counters.
 */
#include "policy.h"
#include "config.h"
#include "jbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct policy {
	struct notice_ctx *notices;
	struct correlate *corr;
	int vendor_sites;
	struct policy_stats st;
};

struct policy *
policy_new(struct notice_ctx *notices, struct correlate *corr,
    int vendor_sites, char *errbuf)
{
	struct policy *p = calloc(1, sizeof(*p));

	if (p == NULL) {
		snprintf(errbuf, SW_ERRLEN, "policy: out of memory");
		return NULL;
	}
	p->notices = notices;
	p->corr = corr;
	p->vendor_sites = vendor_sites;
	return p;
}

void
policy_free(struct policy *p)
{
	free(p);
}

const struct policy_stats *
policy_get_stats(const struct policy *p)
{
	return &p->st;
}

/*
 * One more piece of evidence against a device; when it makes two kinds,
 * the survivor-risk verdict (the seed's meta rule, level 15).
 */
static void
evidence(struct policy *a, const struct flow *f, const uint8_t *device,
    unsigned kind, const char *note, const char *sub, int64_t ts_us)
{
	static const struct {
		unsigned kind;
		const char *words;
	} kinds[] = {
		{ CORR_C2_ADDR, "C2 address traffic" },
		{ CORR_C2_NAME, "C2 names" },
		{ CORR_DISTRIBUTION, "a stalkerware download site" },
		{ CORR_BEACON, "periodic beaconing" },
	};
	const struct corr_device *d;
	struct notice n;
	char msg[512], ident[64], dev[48], what[160], uid[FLOW_UID_LEN];
	size_t i, o = 0;

	if (f != NULL)
		flow_uid(f, uid);
	d = correlate_add(a->corr, device, kind, note, f != NULL ? uid : NULL,
	    sub, ts_us);
	if (d == NULL)
		return;
	jbuf_addr_fmt(device, dev, sizeof(dev));
	what[0] = '\0';
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if ((d->kinds & kinds[i].kind) && o < sizeof(what))
			o += (size_t)snprintf(what + o, sizeof(what) - o,
			    "%s%s", o > 0 ? ", " : "", kinds[i].words);
	snprintf(msg, sizeof(msg), "%s shows %s: possible stalkerware on the "
	    "device of a person who may be at risk; urgent, handle with the "
	    "person's safety plan", dev, what);
	snprintf(ident, sizeof(ident), "%s", dev);
	memset(&n, 0, sizeof(n));
	n.ts_us = ts_us;
	n.note = NOTE_SURVIVOR_RISK;
	n.msg = msg;
	n.sub = dev;
	n.identifier = ident;
	n.severity = SW_SEV_SURVIVOR;
	n.conn = f;
	n.src = device;
	n.evidence = d;
	if (notice_raise(a->notices, &n) >= 0)
		correlate_mark_raised(a->corr, device);
}

/*
 * The note, severity and evidence kind of an intel hit (see the severity
 * table in the README and stalkerwatch(8)).  Watchware is its own note
 * and never evidence for the survivor-risk verdict: those apps are
 * usually installed openly.  Websites are no evidence either.
 */
static void
intel_note(const struct intel_item *it, int is_addr, const char **note,
    int *severity, unsigned *kind)
{
	*kind = 0;
	if (it->role == INTEL_ROLE_WEBSITE) {
		*note = NOTE_VENDOR_WEBSITE;
		*severity = SW_SEV_WEBSITE;
	} else if (it->category == INTEL_CAT_WATCHWARE) {
		*note = NOTE_WATCHWARE;
		*severity = SW_SEV_WATCHWARE;
	} else if (it->role == INTEL_ROLE_DISTRIBUTION) {
		*note = NOTE_DISTRIBUTION;
		*severity = SW_SEV_DISTRIBUTION;
		*kind = CORR_DISTRIBUTION;
	} else {
		*note = NOTE_C2_TRAFFIC;
		*severity = SW_SEV_C2;
		*kind = is_addr ? CORR_C2_ADDR : CORR_C2_NAME;
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
		snprintf(how, sizeof(how), "%s exchanged traffic with %s",
		    dev, what);
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
	char msg[1024], ident[512], dev[48], srv[48];
	int website = it->role == INTEL_ROLE_WEBSITE;
	unsigned kind;

	a->st.intel_hits++;
	if (website) {
		a->st.website_hits++;
		if (!a->vendor_sites)
			return;
	}
	memset(&n, 0, sizeof(n));
	intel_note(it, name == NULL, &n.note, &n.severity, &kind);
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
	/* evidence is what was written: a suppressed repeat adds nothing */
	if (notice_raise(a->notices, &n) == 1 && kind != 0)
		evidence(a, f, device, kind, n.note, n.sub, ts_us);
}


void
policy_beacon(struct policy *a, const struct flow *f, const char *dest,
    int is_name, const struct beacon_score *sc, int level, int64_t ts_us)
{
	struct notice n;
	struct flow_addrs fa;
	char msg[512], ident[512], dev[48];

	flow_get_addrs(f, &fa);
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
	if (notice_raise(a->notices, &n) == 1)
		evidence(a, f, fa.orig_h, CORR_BEACON, n.note, dest, ts_us);
}
