/*
 * report.c - the triage report (report.h).
 *
 * One pass of fprintf()s into PATH.tmp, then rename(): the caller's
 * records are read, nothing is kept.  The page carries its own style and
 * a Content-Security-Policy that forbids every fetch, so a browser opening
 * it asks the network for nothing even if a string slipped through; and
 * every string that came off the wire is escaped anyway.
 */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "config.h"
#include "correlate.h"
#include "device.h"
#include "geo.h"
#include "jbuf.h"
#include "policy.h"
#include "timeline.h"

void
report_escape(char *out, size_t cap, const char *s)
{
	size_t o = 0;
	const char *rep;
	unsigned char c;

	if (cap == 0)
		return;
	for (; s != NULL && *s != '\0'; s++) {
		c = (unsigned char)*s;
		switch (c) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			rep = NULL;
			break;
		}
		if (rep == NULL && (c < 0x20 || c == 0x7f))
			rep = "\xef\xbf\xbd"; /* U+FFFD: a control byte */
		if (rep != NULL) {
			size_t n = strlen(rep);

			if (o + n >= cap)
				break;
			memcpy(out + o, rep, n);
			o += n;
		} else {
			if (o + 1 >= cap)
				break;
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

/* Local time of a network time, "2024-03-12 10:14:19 CET". */
static void
local_ts(char *out, size_t cap, int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (us <= 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(out, cap, "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		snprintf(out, cap, "-");
}

static void
duration(char *out, size_t cap, double s)
{
	if (s < 120)
		snprintf(out, cap, "%.0f seconds", s);
	else if (s < 7200)
		snprintf(out, cap, "%.0f minutes", s / 60);
	else
		snprintf(out, cap, "%.1f hours", s / 3600);
}

/* An escaped string (the wire's, or ours) into the page. */
static void
put(FILE *f, const char *s)
{
	char b[1024];

	report_escape(b, sizeof(b), s);
	fputs(b, f);
}

static const char style[] =
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;"
    "padding:0 1em;color:#222;line-height:1.45}"
    "h1{font-size:1.6em;margin-bottom:.2em}"
    "h2{font-size:1.25em;border-bottom:1px solid #bbb;margin-top:1.8em}"
    "h3{font-size:1.05em;margin:1.2em 0 .4em}"
    "table{border-collapse:collapse;margin:.4em 0;width:100%}"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;"
    "vertical-align:top;font-size:.92em}"
    "th{background:#f2f2f2}"
    ".sub{color:#555}"
    ".device{border-left:.5em solid #999;padding-left:1em;margin:1.5em 0}"
    ".vl{border-color:#b00020}.pos{border-color:#d98c00}"
    ".none{border-color:#5a8f29}"
    ".verdict{font-size:1.1em;font-weight:bold}"
    ".vl .verdict{color:#b00020}"
    ".unseen{background:#fff4d6;border:1px solid #e0c060;padding:.5em 1em}"
    ".care{background:#eef3fb;border:1px solid #9ab;padding:.5em 1em}"
    "svg{width:100%;height:auto;border:1px solid #ddd;background:#fff}"
    "@media print{body{margin:0;max-width:none;font-size:10.5pt}"
    ".device,table,svg{page-break-inside:avoid}"
    "a{color:inherit;text-decoration:none}}";

static void
head(FILE *f, const struct report_input *in)
{
	char when[64];

	fprintf(f,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>stalkerwatch triage report</title>\n<style>%s</style>"
	    "</head>\n<body>\n<h1>Triage report</h1>\n",
	    style);
	local_ts(when, sizeof(when), (int64_t)in->written * 1000000);
	fprintf(f,
	    "<p class=\"sub\">Written by stalkerwatch %s on %s, from "
	    "the network traffic only: the phones themselves were not "
	    "touched.</p>\n",
	    SW_VERSION, when);
}

static const char *
level_class(enum corr_level l)
{
	return l == CORR_VERY_LIKELY ? "vl" :
	    l == CORR_POSSIBLE	     ? "pos" :
				       "none";
}

static void
in_short(FILE *f, const struct report_input *in)
{
	char line[1024];
	size_t i;

	fprintf(f, "<h2>In short</h2>\n<ul>\n");
	if (in->blind)
		fprintf(f,
		    "<li><strong>Nothing can be said about any "
		    "device:</strong> no traffic in the capture could be "
		    "read (see below).</li>\n");
	for (i = 0; i < in->ndevs; i++) {
		policy_verdict_words(in->corr, in->devs[i], in->now_us, line,
		    sizeof(line));
		fprintf(f, "<li class=\"%s\">",
		    level_class(correlate_level(in->corr, in->devs[i],
			in->now_us)));
		put(f, line);
		fprintf(f, "</li>\n");
	}
	if (in->ndevs == 0 && !in->blind)
		fprintf(f, "<li>%s</li>\n",
		    in->nunseen > 0 ?
			"Could not tell: nothing was found, but part of the "
			"traffic could not be seen (below)." :
			"No device showed stalkerware evidence in what could be "
			"seen.");
	fprintf(f, "</ul>\n");
}

static void
analysed(FILE *f, const struct report_input *in)
{
	char a[64], b[64], d[64];
	int i;

	fprintf(f, "<h2>What was analysed</h2>\n<table>\n<tr><th>%s</th><td>",
	    in->iface != NULL ? "Interface" : "Captures");
	if (in->iface != NULL)
		put(f, in->iface);
	for (i = 0; i < in->nfiles; i++) {
		if (i > 0)
			fprintf(f, "<br>");
		put(f, in->files[i]);
	}
	local_ts(a, sizeof(a), in->ctr->first_ts_us);
	local_ts(b, sizeof(b), in->ctr->last_ts_us);
	duration(d, sizeof(d),
	    (double)(in->ctr->last_ts_us - in->ctr->first_ts_us) / 1e6);
	fprintf(f,
	    "</td></tr>\n<tr><th>Time span</th><td>%s to %s (%s, "
	    "local time of this computer)</td></tr>\n",
	    a, b, d);
	fprintf(f,
	    "<tr><th>Packets</th><td>%llu</td></tr>\n"
	    "<tr><th>Connections</th><td>%llu</td></tr>\n",
	    (unsigned long long)in->ctr->packets,
	    (unsigned long long)in->connections);
	if (in->ioc_date > 0)
		local_ts(a, sizeof(a), (int64_t)in->ioc_date * 1000000);
	else
		snprintf(a, sizeof(a), "unknown");
	fprintf(f,
	    "<tr><th>Indicators</th><td>%zu indicators of %zu apps "
	    "from %zu files (the newest dated %s)</td></tr>\n</table>\n",
	    in->indicators, in->apps, in->ioc_files, a);
	if (in->nunseen > 0) {
		fprintf(f,
		    "<div class=\"unseen\"><p><strong>What could not be "
		    "seen</strong></p>\n<ul>\n");
		for (i = 0; i < in->nunseen; i++) {
			fprintf(f, "<li>");
			put(f, in->unseen[i]);
			fprintf(f, "</li>\n");
		}
		fprintf(f, "</ul></div>\n");
	} else
		fprintf(f,
		    "<p>Every packet was read: nothing was left out.</p>\n");
}

/* The sentence for a caseworker. */
static void
plain(FILE *f, const struct report_input *in, const struct corr_device *d,
    enum corr_level lv)
{
	size_t i;

	if (lv == CORR_VERY_LIKELY) {
		fprintf(f,
		    "<p class=\"verdict\">This phone very likely has "
		    "stalkerware installed");
		for (i = 0; i < d->napps; i++) {
			fprintf(f, "%s",
			    i == 0		  ? ": " :
				i + 1 == d->napps ? " and " :
						    ", ");
			put(f, d->apps[i]);
		}
		fprintf(f,
		    ".</p>\n<p>It did what such an app does, more than "
		    "once and in more than one way:</p>\n");
	} else if (lv == CORR_POSSIBLE)
		fprintf(f,
		    "<p class=\"verdict\">Something on this phone may "
		    "be stalkerware, but what was seen is not enough to say "
		    "so.</p>\n<p>Worth looking into with a specialist:</p>\n");
	else
		fprintf(f,
		    "<p class=\"verdict\">Nothing was found in what "
		    "could be seen.</p>\n<p>There were only weak signs, which "
		    "a capture that starts in the middle of a connection or a "
		    "stray packet also gives:</p>\n");
	fprintf(f, "<ul>\n");
	for (i = 0; i < CORR_GRADES; i++)
		if (correlate_has(in->corr, d, (enum corr_grade)i, in->now_us))
			fprintf(f, "<li>%s</li>\n",
			    correlate_grade_words((enum corr_grade)i));
	fprintf(f, "</ul>\n");
}

static void
find_phone(FILE *f, const struct device_info *dv)
{
	char ip[48], mac[18], a[64], b[64];

	jbuf_addr_fmt(dv->addr, ip, sizeof(ip));
	fprintf(f,
	    "<h3>How to find this phone</h3>\n<table>\n"
	    "<tr><th>Address</th><td>%s</td></tr>\n",
	    ip);
	if (dv->has_mac) {
		device_mac_fmt(dv->mac, mac);
		fprintf(f,
		    "<tr><th>MAC address</th><td>%s (in the router's "
		    "or access point's list of clients; a phone may use "
		    "another MAC on another network)</td></tr>\n",
		    mac);
	}
	if (dv->hostname[0] != '\0') {
		fprintf(f, "<tr><th>Host name</th><td>");
		put(f, dv->hostname);
		fprintf(f, "</td></tr>\n");
	}
	if (dv->vendor[0] != '\0') {
		fprintf(f, "<tr><th>Vendor class</th><td>");
		put(f, dv->vendor);
		fprintf(f, "</td></tr>\n");
	}
	if (dv->fqdn[0] != '\0') {
		fprintf(f, "<tr><th>FQDN</th><td>");
		put(f, dv->fqdn);
		fprintf(f, "</td></tr>\n");
	}
	local_ts(a, sizeof(a), dv->first_us);
	local_ts(b, sizeof(b), dv->last_us);
	fprintf(f, "<tr><th>Seen</th><td>%s to %s</td></tr>\n</table>\n", a, b);
}

static void
evidence(FILE *f, const struct corr_device *d)
{
	char t[64];
	uint8_t i;

	fprintf(f,
	    "<h3>Evidence</h3>\n<table>\n<tr><th>Time</th><th>What"
	    "</th><th>Destination</th><th>Notice</th><th>Connection</th>"
	    "</tr>\n");
	for (i = 0; i < d->n; i++) {
		local_ts(t, sizeof(t), d->ev[i].ts_us);
		fprintf(f, "<tr><td>%s</td><td>%s</td><td>", t,
		    correlate_grade_words((enum corr_grade)d->ev[i].grade));
		put(f, d->ev[i].sub);
		fprintf(f, "</td><td>");
		put(f, d->ev[i].note);
		fprintf(f, "</td><td>");
		put(f, d->ev[i].uid);
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</table>\n");
}

static void
where(FILE *f, const struct report_input *in,
    const struct timeline_dest *const *td, size_t n)
{
	const struct geo_info *gi;
	char ip[48];
	size_t i;

	fprintf(f, "<h3>Where its data went</h3>\n");
	if (n == 0) {
		fprintf(f,
		    "<p>No connection to a suspicious destination was "
		    "seen (a lookup alone sends no data).</p>\n");
		return;
	}
	fprintf(f,
	    "<table>\n<tr><th>Destination</th><th>Address</th>"
	    "<th>Country</th><th>City</th><th>Network owner</th>"
	    "<th>Contacts</th></tr>\n");
	for (i = 0; i < n; i++) {
		gi = td[i]->has_server ? geo_lookup(in->geo, td[i]->server) :
					 NULL;
		ip[0] = '\0';
		if (td[i]->has_server)
			jbuf_addr_fmt(td[i]->server, ip, sizeof(ip));
		fprintf(f, "<tr><td>");
		put(f, td[i]->dest);
		fprintf(f, "</td><td>%s</td><td>", ip);
		put(f, gi != NULL ? gi->country : "");
		fprintf(f, "</td><td>");
		put(f, gi != NULL ? gi->city : "");
		fprintf(f, "</td><td>");
		if (gi != NULL && gi->asn != 0)
			fprintf(f, "AS%u ", gi->asn);
		put(f, gi != NULL ? gi->as_org : "");
		fprintf(f, "</td><td>%u</td></tr>\n", td[i]->total);
	}
	fprintf(f, "</table>\n");
	if (in->geo == NULL)
		fprintf(f,
		    "<p class=\"sub\">No GeoIP database was given "
		    "(<code>--geoip-db</code>): countries and network owners "
		    "are not shown.</p>\n");
}

/* The timeline: a row per destination, a tick per contact, a band for a
 * beacon with its rhythm; the capture's span across. */
static void
timeline_svg(FILE *f, const struct report_input *in,
    const struct timeline_dest *const *td, size_t n)
{
	const double x0 = 230, w = 640;
	int64_t t0 = in->ctr->first_ts_us, t1 = in->ctr->last_ts_us;
	double span = t1 > t0 ? (double)(t1 - t0) : 1, x, xa, xb;
	char a[64], b[64], dest[248], raw[41];
	size_t i;
	uint32_t k;
	int y;

	if (n == 0)
		return;
	fprintf(f,
	    "<h3>Timeline</h3>\n<p class=\"sub\">Each mark is one "
	    "contact; a shaded band is a beacon, with its rhythm.</p>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 900 %d\" "
	    "role=\"img\" aria-label=\"contacts over time\">\n",
	    (int)(40 + 34 * n));
	for (i = 0; i < n; i++) {
		y = 20 + 34 * (int)i;
		/* cut before escaping: never inside an entity */
		snprintf(raw, sizeof(raw), "%.40s", td[i]->dest);
		report_escape(dest, sizeof(dest), raw);
		fprintf(f,
		    "<text x=\"8\" y=\"%d\" font-size=\"12\" "
		    "font-family=\"sans-serif\">%s</text>\n",
		    y + 15, dest);
		fprintf(f,
		    "<line x1=\"%.0f\" y1=\"%d\" x2=\"%.0f\" y2=\"%d\" "
		    "stroke=\"#bbb\"/>\n",
		    x0, y + 11, x0 + w, y + 11);
		if (td[i]->kinds & TL_BEACON) {
			xa = x0 + w * (double)(td[i]->first_us - t0) / span;
			xb = x0 + w * (double)(td[i]->last_us - t0) / span;
			fprintf(f,
			    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			    "height=\"22\" fill=\"#f5c97a\" opacity=\"0.6\"/>\n"
			    "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" "
			    "font-family=\"sans-serif\">beacon: %u events, "
			    "about every %.0f s</text>\n",
			    xa, y, xb - xa > 1 ? xb - xa : 1, xa, y - 1,
			    td[i]->beacon_events, td[i]->period_s);
		}
		for (k = 0; k < td[i]->n; k++) {
			x = x0 +
			    w * (double)(timeline_point(td[i], k) - t0) / span;
			fprintf(f,
			    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
			    "y2=\"%d\" stroke=\"#b00020\" stroke-width=\"2\"/>"
			    "\n",
			    x, y + 2, x, y + 20);
		}
	}
	local_ts(a, sizeof(a), t0);
	local_ts(b, sizeof(b), t1);
	y = 20 + 34 * (int)n;
	fprintf(f,
	    "<text x=\"%.0f\" y=\"%d\" font-size=\"11\" "
	    "font-family=\"sans-serif\">%s</text>\n<text x=\"%.0f\" y=\"%d\" "
	    "font-size=\"11\" font-family=\"sans-serif\" text-anchor=\"end\">"
	    "%s</text>\n</svg>\n",
	    x0, y + 12, a, x0 + w, y + 12, b);
}

static void
device_section(FILE *f, const struct report_input *in,
    const struct corr_device *d)
{
	const struct timeline_dest *td[16];
	enum corr_level lv = correlate_level(in->corr, d, in->now_us);
	char ip[48];
	size_t n;

	jbuf_addr_fmt(d->dev.addr, ip, sizeof(ip));
	fprintf(f, "<section class=\"device %s\">\n<h2>%s: %s</h2>\n",
	    level_class(lv), ip, correlate_level_words(lv));
	plain(f, in, d, lv);
	find_phone(f, &d->dev);
	evidence(f, d);
	n = timeline_of(in->tl, d->dev.id, td, sizeof(td) / sizeof(td[0]));
	where(f, in, td, n);
	timeline_svg(f, in, td, n);
	fprintf(f, "</section>\n");
}

static const char care[] =
    "<h2>What this means, and what it does not</h2>\n"
    "<div class=\"care\">\n"
    "<p>This report reads network traffic only. It can show that a phone "
    "talked to servers known to belong to stalkerware, or behaved the way "
    "such apps do. It cannot see inside the phone.</p>\n<ul>\n"
    "<li><strong>Only an expert review of the phone confirms an "
    "infection.</strong> A verdict here is a reason to seek that review, "
    "not proof.</li>\n"
    "<li><strong>Removing the app can alert the person who installed "
    "it.</strong> Talk to a specialist and make a safety plan before "
    "anyone touches the phone, changes passwords or removes anything.</li>\n"
    "<li>A visit to a stalkerware vendor's website is not an infection: "
    "a person researching these apps visits them too.</li>\n"
    "<li>Family-locator and parental-control apps are usually installed "
    "openly; check with the person whether they know of such an app and "
    "agreed to it.</li>\n"
    "<li>Nothing found is not an all-clear: an app that is not on the "
    "indicator lists, or a capture that was too short or missed part of "
    "the traffic, may show nothing.</li>\n"
    "<li>If you are reading this about your own phone: you are not to "
    "blame, and you do not have to act on this alone. Support services "
    "for people facing abuse can help you decide what is safe.</li>\n"
    "</ul>\n</div>\n";

int
report_write(const char *path, const struct report_input *in, char *errbuf)
{
	char tmp[4096];
	FILE *f;
	size_t i;
	int bad;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		snprintf(errbuf, SW_ERRLEN, "%s: path too long", path);
		return -1;
	}
	if ((f = fopen(tmp, "w")) == NULL) {
		snprintf(errbuf, SW_ERRLEN, "%.200s: %s", tmp, strerror(errno));
		return -1;
	}
	head(f, in);
	in_short(f, in);
	analysed(f, in);
	for (i = 0; i < in->ndevs; i++)
		device_section(f, in, in->devs[i]);
	fputs(care, f);
	fprintf(f, "</body></html>\n");
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		snprintf(errbuf, SW_ERRLEN, "%.200s: %s", tmp,
		    bad ? "write error" : strerror(errno));
		remove(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		snprintf(errbuf, SW_ERRLEN, "%s: %s", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}
