/*
 * zeekdiff.c - compare our conn.log with Zeek's, connection by connection.
 *
 *   zeekdiff [-v] [-m PCT] ZEEK_CONN_LOG OUR_CONN_LOG [ZEEK2 OURS2 ...]
 *
 * ZEEK_CONN_LOG is Zeek's TSV conn.log (a '#fields' header; ts and uid may
 * be masked); OUR_CONN_LOG is ours, JSON lines with Zeek's field names.
 * Central data structure: an array of struct zd_rec per side.  Each Zeek
 * record is matched with the first unmatched record of ours that has the
 * same (proto, orig_h, orig_p, resp_h, resp_p), else with the reversed
 * tuple (a direction disagreement, compared with the ends swapped).
 * Per pair of files it prints counts and per-field agreement; at the end
 * one line "zeekdiff-totals {json}" sums every pair.  -v lists each
 * disagreement; -m PCT exits 1 when fewer than PCT percent of Zeek's
 * connections (of transports we track) found a match.
 *
 * Zeek logs duration, orig_bytes and resp_bytes as unset ('-') when the
 * duration is 0; an unset Zeek value agrees with our 0 or with absence.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

enum zd_field {
	ZF_ORIG_BYTES,
	ZF_RESP_BYTES,
	ZF_ORIG_PKTS,
	ZF_RESP_PKTS,
	ZF_ORIG_IP_BYTES,
	ZF_RESP_IP_BYTES,
	ZF_MISSED_BYTES,
	ZF_DURATION,		/* microseconds */
	ZF_CONN_STATE,
	ZF_HISTORY,
	ZF__COUNT
};

static const char *const zd_field_name[ZF__COUNT] = {
	"orig_bytes", "resp_bytes", "orig_pkts", "resp_pkts",
	"orig_ip_bytes", "resp_ip_bytes", "missed_bytes", "duration",
	"conn_state", "history"
};

#define ZD_UNSET	(-1LL)

struct zd_rec {
	char proto[20];
	char oh[INET6_ADDRSTRLEN];
	char rh[INET6_ADDRSTRLEN];
	long op, rp;
	long long num[ZF_DURATION + 1];	/* ZD_UNSET when '-' or absent */
	char state[12];
	char hist[64];
	unsigned has;		/* 1 << zd_field: the baseline has it */
	int matched;
};

struct zd_set {
	struct zd_rec *v;
	size_t n, cap;
};

struct zd_counts {
	long zeek, ours, matched, flipped, only_zeek, only_ours, skipped;
	long agree[ZF__COUNT], compared[ZF__COUNT];
};

static struct zd_rec *
zd_push(struct zd_set *s)
{
	struct zd_rec *nv;
	size_t ncap;

	if (s->n == s->cap) {
		ncap = s->cap ? s->cap * 2 : 64;
		if (ncap > SIZE_MAX / sizeof(*s->v))
			return NULL;
		nv = realloc(s->v, ncap * sizeof(*s->v));
		if (nv == NULL)
			return NULL;
		s->v = nv;
		s->cap = ncap;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	return &s->v[s->n++];
}

/* Canonical text of an address, so "::ffff:1.2.3.4"-style quirks match. */
static void
zd_addr(char *dst, const char *src)
{
	unsigned char buf[16];

	if (inet_pton(AF_INET, src, buf) == 1)
		inet_ntop(AF_INET, buf, dst, INET6_ADDRSTRLEN);
	else if (inet_pton(AF_INET6, src, buf) == 1) {
		static const unsigned char mapped[12] = {
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
		};

		if (memcmp(buf, mapped, 12) == 0)
			inet_ntop(AF_INET, buf + 12, dst, INET6_ADDRSTRLEN);
		else
			inet_ntop(AF_INET6, buf, dst, INET6_ADDRSTRLEN);
	} else
		snprintf(dst, INET6_ADDRSTRLEN, "%s", src);
}

static long long
zd_num(const char *s, int is_interval)
{
	char *end;

	if (s == NULL || *s == '\0' || strcmp(s, "-") == 0)
		return ZD_UNSET;
	if (is_interval)
		return (long long)(strtod(s, &end) * 1e6 + 0.5);
	return strtoll(s, &end, 10);
}

static int
zd_names_header(char **cols, int ncol)
{
	int c;

	for (c = 0; c < ncol; c++)
		if (strcmp(cols[c], "id.orig_h") == 0)
			return 1;
	return 0;
}

/* Zeek's TSV conn.log, full or as zeek-cut printed it. */
static int
zd_load_zeek(const char *path, struct zd_set *s)
{
	char *line = NULL, *cols[64], *p;
	size_t cap = 0;
	ssize_t len;
	int idx[32], nf = 0, i, ncol, skip;
	FILE *fp;
	static const char *const want[] = {
		"proto", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p",
		"orig_bytes", "resp_bytes", "orig_pkts", "resp_pkts",
		"orig_ip_bytes", "resp_ip_bytes", "missed_bytes", "duration",
		"conn_state", "history"
	};
	const int nwant = (int)(sizeof(want) / sizeof(want[0]));

	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "zeekdiff: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < nwant; i++)
		idx[i] = -1;
	while ((len = getline(&line, &cap, fp)) > 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		ncol = 0;
		for (p = line; ncol < 64;) {
			cols[ncol++] = p;
			if ((p = strchr(p, '\t')) == NULL)
				break;
			*p++ = '\0';
		}
		/*
		 * "#fields" starts a full log; a bare line of names (one that
		 * names id.orig_h) is zeek-cut output with fewer columns.
		 */
		skip = strcmp(cols[0], "#fields") == 0;
		if (skip || (cols[0][0] != '#' && zd_names_header(cols, ncol))) {
			nf = ncol - skip;
			for (i = 0; i < nwant; i++) {
				int c;

				idx[i] = -1;
				for (c = skip; c < ncol; c++)
					if (strcmp(cols[c], want[i]) == 0)
						idx[i] = c - skip;
			}
			continue;
		}
		if (cols[0][0] == '#' || nf == 0 || ncol < nf)
			continue;
		{
			struct zd_rec *r = zd_push(s);
			const char *v[15];

			if (r == NULL)
				goto oom;
			for (i = 0; i < nwant; i++)
				v[i] = idx[i] >= 0 ? cols[idx[i]] : "-";
			/* An absent proto (zeek-cut) matches any. */
			snprintf(r->proto, sizeof(r->proto), "%s",
			    idx[0] >= 0 ? v[0] : "");
			for (i = 0; i < ZF__COUNT; i++)
				if (idx[5 + i] >= 0)
					r->has |= 1u << i;
			zd_addr(r->oh, v[1]);
			r->op = atol(v[2]);
			zd_addr(r->rh, v[3]);
			r->rp = atol(v[4]);
			for (i = 0; i <= ZF_DURATION; i++)
				r->num[i] = zd_num(v[5 + i], i == ZF_DURATION);
			snprintf(r->state, sizeof(r->state), "%s", v[13]);
			snprintf(r->hist, sizeof(r->hist), "%s",
			    strcmp(v[14], "-") == 0 ? "" : v[14]);
		}
	}
	free(line);
	fclose(fp);
	return 0;
oom:
	free(line);
	fclose(fp);
	fprintf(stderr, "zeekdiff: out of memory\n");
	return -1;
}

static long long
zd_json_num(const cJSON *o, const char *k, int is_interval)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);

	if (cJSON_IsNumber(it))
		return is_interval ? (long long)(it->valuedouble * 1e6 + 0.5) :
		    (long long)it->valuedouble;
	if (cJSON_IsString(it))
		return zd_num(it->valuestring, is_interval);
	return ZD_UNSET;
}

static const char *
zd_json_str(const cJSON *o, const char *k)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(it) ? it->valuestring : "";
}

/* Our JSON-lines conn.log. */
static int
zd_load_ours(const char *path, struct zd_set *s)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;
	long lineno = 0;
	int i;

	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "zeekdiff: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, fp)) > 0) {
		cJSON *o;
		struct zd_rec *r;

		lineno++;
		if (line[0] != '{')
			continue;
		if ((o = cJSON_Parse(line)) == NULL) {
			fprintf(stderr, "zeekdiff: %s:%ld: bad JSON\n", path,
			    lineno);
			continue;
		}
		if ((r = zd_push(s)) == NULL) {
			cJSON_Delete(o);
			free(line);
			fclose(fp);
			fprintf(stderr, "zeekdiff: out of memory\n");
			return -1;
		}
		snprintf(r->proto, sizeof(r->proto), "%s",
		    zd_json_str(o, "proto"));
		zd_addr(r->oh, zd_json_str(o, "id.orig_h"));
		zd_addr(r->rh, zd_json_str(o, "id.resp_h"));
		r->op = (long)zd_json_num(o, "id.orig_p", 0);
		r->rp = (long)zd_json_num(o, "id.resp_p", 0);
		for (i = 0; i <= ZF_DURATION; i++)
			r->num[i] = zd_json_num(o, zd_field_name[i],
			    i == ZF_DURATION);
		snprintf(r->state, sizeof(r->state), "%s",
		    zd_json_str(o, "conn_state"));
		snprintf(r->hist, sizeof(r->hist), "%s",
		    zd_json_str(o, "history"));
		cJSON_Delete(o);
	}
	free(line);
	fclose(fp);
	return 0;
}

static int
zd_same_key(const struct zd_rec *a, const struct zd_rec *b, int flipped)
{
	if (a->proto[0] != '\0' && strcmp(a->proto, b->proto) != 0)
		return 0;
	if (!flipped)
		return a->op == b->op && a->rp == b->rp &&
		    strcmp(a->oh, b->oh) == 0 && strcmp(a->rh, b->rh) == 0;
	return a->op == b->rp && a->rp == b->op &&
	    strcmp(a->oh, b->rh) == 0 && strcmp(a->rh, b->oh) == 0;
}

/* Only these transports become connections in our table. */
static int
zd_tracked(const char *proto)
{
	return proto[0] == '\0' || strcmp(proto, "tcp") == 0 ||
	    strcmp(proto, "udp") == 0 ||
	    strcmp(proto, "icmp") == 0;
}

/*
 * Zeek leaves duration and the byte counts unset when the duration is 0,
 * so an unset Zeek value agrees with our 0, our absence, or our 0 s.
 */
static int
zd_num_agree(enum zd_field f, long long z, long long o, long long our_dur)
{
	if (z == ZD_UNSET && (f == ZF_DURATION || f == ZF_ORIG_BYTES ||
	    f == ZF_RESP_BYTES || f == ZF_MISSED_BYTES))
		return o == ZD_UNSET || o == 0 || our_dur == ZD_UNSET ||
		    our_dur == 0;
	if (f == ZF_DURATION)
		return o != ZD_UNSET && llabs(z - o) <= 1;
	return z == o;
}

static void
zd_compare(const char *name, const struct zd_rec *z, const struct zd_rec *o,
    int flipped, struct zd_counts *c, int verbose)
{
	static const int swap[ZF_DURATION + 1] = {
		ZF_RESP_BYTES, ZF_ORIG_BYTES, ZF_RESP_PKTS, ZF_ORIG_PKTS,
		ZF_RESP_IP_BYTES, ZF_ORIG_IP_BYTES, ZF_MISSED_BYTES, ZF_DURATION
	};
	int i, ok;

	for (i = 0; i < ZF__COUNT; i++) {
		char zv[64], ov[64];

		if (!(z->has & (1u << i)))
			continue;
		if (i <= ZF_DURATION) {
			long long ovn = o->num[flipped ? swap[i] : i];

			ok = zd_num_agree((enum zd_field)i, z->num[i], ovn,
			    o->num[ZF_DURATION]);
			snprintf(zv, sizeof(zv), "%lld", z->num[i]);
			snprintf(ov, sizeof(ov), "%lld", ovn);
		} else if (i == ZF_CONN_STATE) {
			ok = strcmp(z->state, o->state) == 0;
			snprintf(zv, sizeof(zv), "%s", z->state);
			snprintf(ov, sizeof(ov), "%s", o->state);
		} else {
			ok = strcmp(z->hist, o->hist) == 0;
			snprintf(zv, sizeof(zv), "%s", z->hist);
			snprintf(ov, sizeof(ov), "%s", o->hist);
		}
		c->compared[i]++;
		c->agree[i] += ok;
		if (!ok && verbose)
			printf("  %s: %s %s:%ld > %s:%ld%s %s zeek=%s ours=%s\n",
			    name, z->proto, z->oh, z->op, z->rh, z->rp,
			    flipped ? " (flipped)" : "", zd_field_name[i], zv,
			    ov);
	}
}

static void
zd_print_counts(const char *name, const struct zd_counts *c)
{
	int i;

	printf("%s: zeek %ld ours %ld matched %ld (flipped %ld) "
	    "only-in-zeek %ld only-in-ours %ld untracked-transport %ld\n",
	    name, c->zeek, c->ours, c->matched, c->flipped, c->only_zeek,
	    c->only_ours, c->skipped);
	printf("  agree:");
	for (i = 0; i < ZF__COUNT; i++)
		printf(" %s %ld/%ld", zd_field_name[i], c->agree[i],
		    c->compared[i]);
	printf("\n");
}

static void
zd_add(struct zd_counts *t, const struct zd_counts *c)
{
	int i;

	t->zeek += c->zeek;
	t->ours += c->ours;
	t->matched += c->matched;
	t->flipped += c->flipped;
	t->only_zeek += c->only_zeek;
	t->only_ours += c->only_ours;
	t->skipped += c->skipped;
	for (i = 0; i < ZF__COUNT; i++) {
		t->agree[i] += c->agree[i];
		t->compared[i] += c->compared[i];
	}
}

static int
zd_pair(const char *zpath, const char *opath, struct zd_counts *c,
    int verbose)
{
	struct zd_set zs = { NULL, 0, 0 }, os = { NULL, 0, 0 };
	const char *name, *slash;
	size_t i, j;
	int flipped, rc = -1;

	memset(c, 0, sizeof(*c));
	if (zd_load_zeek(zpath, &zs) != 0 || zd_load_ours(opath, &os) != 0)
		goto out;
	slash = strrchr(zpath, '/');
	name = slash != NULL ? slash + 1 : zpath;
	c->ours = (long)os.n;
	for (i = 0; i < zs.n; i++) {
		struct zd_rec *z = &zs.v[i], *o = NULL;

		if (!zd_tracked(z->proto)) {
			c->skipped++;
			continue;
		}
		c->zeek++;
		for (flipped = 0; flipped < 2 && o == NULL; flipped++) {
			for (j = 0; j < os.n; j++) {
				if (!os.v[j].matched &&
				    zd_same_key(z, &os.v[j], flipped)) {
					o = &os.v[j];
					break;
				}
			}
		}
		if (o == NULL) {
			c->only_zeek++;
			if (verbose)
				printf("  %s: only in zeek: %s %s:%ld > %s:%ld "
				    "%s %s\n", name, z->proto, z->oh, z->op,
				    z->rh, z->rp, z->state, z->hist);
			continue;
		}
		flipped--;	/* the loop went one past */
		o->matched = 1;
		z->matched = 1;
		c->matched++;
		c->flipped += flipped;
		zd_compare(name, z, o, flipped, c, verbose);
	}
	for (j = 0; j < os.n; j++) {
		if (os.v[j].matched)
			continue;
		c->only_ours++;
		if (verbose)
			printf("  %s: only in ours: %s %s:%ld > %s:%ld %s %s\n",
			    name, os.v[j].proto, os.v[j].oh, os.v[j].op,
			    os.v[j].rh, os.v[j].rp, os.v[j].state,
			    os.v[j].hist);
	}
	zd_print_counts(name, c);
	rc = 0;
out:
	free(zs.v);
	free(os.v);
	return rc;
}

static void
zd_print_totals(const struct zd_counts *t, int files)
{
	cJSON *o, *ag;
	char *s;
	int i;

	o = cJSON_CreateObject();
	ag = cJSON_CreateObject();
	if (o == NULL || ag == NULL)
		return;
	cJSON_AddNumberToObject(o, "files", files);
	cJSON_AddNumberToObject(o, "zeek", (double)t->zeek);
	cJSON_AddNumberToObject(o, "ours", (double)t->ours);
	cJSON_AddNumberToObject(o, "matched", (double)t->matched);
	cJSON_AddNumberToObject(o, "flipped", (double)t->flipped);
	cJSON_AddNumberToObject(o, "only_zeek", (double)t->only_zeek);
	cJSON_AddNumberToObject(o, "only_ours", (double)t->only_ours);
	cJSON_AddNumberToObject(o, "untracked_transport", (double)t->skipped);
	for (i = 0; i < ZF__COUNT; i++) {
		cJSON *pair = cJSON_CreateArray();

		cJSON_AddItemToArray(pair, cJSON_CreateNumber(
		    (double)t->agree[i]));
		cJSON_AddItemToArray(pair, cJSON_CreateNumber(
		    (double)t->compared[i]));
		cJSON_AddItemToObject(ag, zd_field_name[i], pair);
	}
	cJSON_AddItemToObject(o, "agree", ag);
	s = cJSON_PrintUnformatted(o);
	if (s != NULL)
		printf("zeekdiff-totals %s\n", s);
	free(s);
	cJSON_Delete(o);
}

int
main(int argc, char **argv)
{
	struct zd_counts c, tot;
	int ch, verbose = 0, files = 0, i, rc = 0;
	double min_pct = -1;

	while ((ch = getopt(argc, argv, "vm:")) != -1) {
		switch (ch) {
		case 'v':
			verbose = 1;
			break;
		case 'm':
			min_pct = strtod(optarg, NULL);
			break;
		default:
			goto usage;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2 || argc % 2 != 0)
		goto usage;
	memset(&tot, 0, sizeof(tot));
	for (i = 0; i < argc; i += 2) {
		if (zd_pair(argv[i], argv[i + 1], &c, verbose) != 0) {
			rc = 2;
			continue;
		}
		zd_add(&tot, &c);
		files++;
	}
	zd_print_totals(&tot, files);
	if (rc == 0 && min_pct >= 0 && tot.zeek > 0 &&
	    100.0 * (double)tot.matched / (double)tot.zeek < min_pct) {
		fprintf(stderr, "zeekdiff: matched %.1f%% < %.1f%%\n",
		    100.0 * (double)tot.matched / (double)tot.zeek, min_pct);
		rc = 1;
	}
	return rc;
usage:
	fprintf(stderr, "usage: zeekdiff [-v] [-m PCT] ZEEK_CONN_LOG "
	    "OUR_CONN_LOG [ZEEK2 OURS2 ...]\n");
	return 2;
}
