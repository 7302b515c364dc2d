/*
 * report.h - the triage report: one self-contained HTML file a
 * caseworker can read and print.
 *
 * What was analysed (files or interface, the time span in local time,
 * packets, connections, what could not be seen, the indicator set's date
 * and size); per device, most urgent first: the verdict in plain words,
 * the app or apps, how to find the phone (host name, MAC, vendor class),
 * the evidence as a table in local time, where its data went (country
 * and network owner, with --geoip-db), and a timeline picture (inline
 * SVG) of its contacts with each suspicious destination; then what the
 * result means and what it does not.  Nothing is fetched: no script, no
 * font, no image, no link to another site.  Every string from the wire (a
 * DHCP host name, a server name) is escaped.  The file is written whole
 * to a temporary name and renamed, so a reader never sees half a report.
 */
#ifndef SW_REPORT_H
#define SW_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct analyzer_counters;
struct corr_device;
struct correlate;
struct geo;
struct timeline;

#define REPORT_UNSEEN 8 /* sentences of what could not be seen */

struct report_input {
	const char *const *files; /* the replayed captures, or NULL */
	int nfiles;
	const char *iface; /* a live sensor's interface, or NULL */
	const struct analyzer_counters *ctr;
	uint64_t connections;
	const char *unseen[REPORT_UNSEEN]; /* what could not be seen */
	int nunseen;
	int blind; /* no IP traffic could be read at all */
	size_t indicators, apps, ioc_files;
	time_t ioc_date; /* the newest indicator file, 0: unknown */
	const struct correlate *corr;
	const struct corr_device *const *devs; /* most urgent first */
	size_t ndevs;
	int64_t now_us;	     /* network time of the verdicts */
	struct timeline *tl; /* may be NULL */
	struct geo *geo;     /* may be NULL */
	time_t written;	     /* wall clock */
};

/* Write the report to path.  0, or -1 with a one-line reason naming the
 * file in errbuf (SW_ERRLEN bytes). */
int report_write(const char *path, const struct report_input *in, char *errbuf);

/* HTML-escape s into out (cap bytes, NUL-terminated, cut to fit):
 * & < > " ' and control bytes.  Exposed for tests. */
void report_escape(char *out, size_t cap, const char *s);

#endif /* SW_REPORT_H */
