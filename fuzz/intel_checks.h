/*
 * intel_checks.h - what every indicator-reader fuzz target checks, for
 * fuzz_yaml.c, fuzz_stix.c and fuzz_rules.c (each builds the document
 * its own way, then calls fuzz_intel_check()); fuzz_intel.c uses the
 * message and match checks.  The helpers are static inline, so a target
 * carries only what it calls.
 *
 * The document is loaded from memory under `path`, once leniently and
 * once strictly: the two must report the same lines, strict must keep
 * all or nothing, and every message must be one "path:N: reason" line.
 * The lenient set, with a fixed list and a shared platforms list beside
 * it, is finalized and matched: every name and address read must match,
 * an exact-only name must not cover the names under it, and every hit
 * must obey the policy of intel.h (as in fuzz_intel.c).
 */
#ifndef SW_FUZZ_INTEL_CHECKS_H
#define SW_FUZZ_INTEL_CHECKS_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intel.h"
#include "intel_load.h"

/* The path of the document being checked, for fuzz_msg(). */
static const char *fuzz_path = "";

struct fuzz_warns {
	size_t n;
};

/* Every message: "<path>:N: reason", one line. */
static inline void
fuzz_msg(const char *msg)
{
	size_t n = strlen(fuzz_path), d;

	if (strncmp(msg, fuzz_path, n) != 0 || msg[n] != ':')
		abort();
	d = strspn(msg + n + 1, "0123456789");
	if (d == 0 || msg[n + 1 + d] != ':' || strchr(msg, '\n') != NULL ||
	    strchr(msg, '\r') != NULL)
		abort();
}

static inline void
fuzz_warn(void *ctx, const char *msg)
{
	struct fuzz_warns *w = ctx;

	fuzz_msg(msg);
	w->n++;
}

/* A hit must cover the address: its network is the address, masked. */
static inline void
check_hit(const struct intel *in, const uint8_t a[16])
{
	const struct intel_item *it = intel_match_addr(in, a);
	unsigned i, bits;
	uint8_t m;

	if (it == NULL)
		return;
	if (it->type != INTEL_ADDR && it->type != INTEL_SUBNET)
		abort();
	for (i = 0; i < 16; i++) {
		bits = it->prefix > i * 8 ? it->prefix - i * 8 : 0;
		m = bits >= 8 ? 0xff : (uint8_t)(0xff00u >> bits);
		if ((a[i] & m) != it->addr[i])
			abort();
	}
}

/*
 * A name hit must be the name (lower-cased, one trailing dot off), a
 * parent of it at a dot boundary that covers subdomains, or a website
 * of which the name is the www. form.  Returns the hit.
 */
static inline const struct intel_item *
check_name(const struct intel *in, const char *name)
{
	const struct intel_item *it = intel_match_domain(in, name);
	char low[512];
	size_t n, k, i;

	if (it == NULL)
		return NULL;
	n = strlen(name);
	if (n >= sizeof(low) || it->type != INTEL_DOMAIN ||
	    (unsigned)it->role >= INTEL_ROLES ||
	    (unsigned)it->category >= INTEL_CATS)
		abort();
	for (i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[n] = '\0';
	if (n > 0 && low[n - 1] == '.')
		low[--n] = '\0';
	k = strlen(it->indicator);
	if (k > n || strcmp(low + n - k, it->indicator) != 0)
		abort();
	if (it->role == INTEL_ROLE_WEBSITE && k < n && !(n == k + 4 &&
	    strncmp(low, "www.", 4) == 0))
		abort();
	if (k < n && it->role != INTEL_ROLE_WEBSITE && (low[n - k - 1] !=
	    '.' || !it->subdomains))
		abort();
	return it;
}

/* Every indicator of the set is found again by its own name or address;
 * one that does not cover subdomains never answers for a name under it. */
static inline void
check_items(const struct intel *in)
{
	const struct intel_item *it, *hit;
	char name[300];
	size_t i, n = intel_count_all(in);
	int webs = intel_count_role(in, INTEL_CAT_STALKERWARE,
	    INTEL_ROLE_WEBSITE) + intel_count_role(in, INTEL_CAT_WATCHWARE,
	    INTEL_ROLE_WEBSITE) > 0;

	for (i = 0; i < n; i++) {
		it = intel_item_at(in, i);
		if (it == NULL)
			abort();
		if (it->type == INTEL_ADDR || it->type == INTEL_SUBNET) {
			if (intel_match_addr(in, it->addr) == NULL)
				abort();
			check_hit(in, it->addr);
			continue;
		}
		if (it->type != INTEL_DOMAIN)
			continue;
		if (check_name(in, it->indicator) == NULL)
			abort();
		if (strlen(it->indicator) + 3 > 253)
			continue;
		snprintf(name, sizeof(name), "zz.%s", it->indicator);
		hit = check_name(in, name);
		if (hit == it && !it->subdomains)
			abort();
		if (hit == NULL && it->subdomains && it->role !=
		    INTEL_ROLE_WEBSITE && (!it->role_assumed || !webs))
			abort();
	}
	if (intel_item_at(in, n) != NULL)
		abort();
}

/* Names and addresses taken from the input. */
static inline void
check_input(const struct intel *in, const uint8_t *data, size_t size)
{
	char name[300], *nm;
	uint8_t a[16], pl;
	int sub;
	const char *why;
	size_t off;

	off = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
	memcpy(name, data, off);
	name[off] = '\0';
	check_name(in, name);
	for (nm = strtok(name, " \t\r\n,[]{}:'\"|-"); nm != NULL;
	    nm = strtok(NULL, " \t\r\n,[]{}:'\"|-")) {
		check_name(in, nm);
		if (intel_parse_cidr(nm, a, &pl, &sub, &why) == 0)
			check_hit(in, a);
	}
	if (size >= 16) {
		memcpy(a, data, 16);
		check_hit(in, a);
	}
}

/* Load buf (built from data) as `path` and check it all; aborts on a
 * broken invariant. */
static inline void
fuzz_intel_check(const char *path, const char *buf, size_t len,
    const uint8_t *data, size_t size)
{
	static const char fixed[] = "thd.cc\nmtechn.zendesk.com\n"
	    "# match: exact\nexact.example\n";
	static const char plat[] = "firebaseio.com\nzendesk.com\n";
	struct fuzz_warns w = { 0 }, ws = { 0 };
	size_t skl = 0, sks = 0, bl = 0, bs = 0;
	struct intel_load_opts lenient = { .lenient = 1, .warn = fuzz_warn,
	    .warn_ctx = &w, .skipped = &skl, .bad = &bl };
	struct intel_load_opts strict = { .lenient = 0, .warn = fuzz_warn,
	    .warn_ctx = &ws, .skipped = &sks, .bad = &bs };
	struct intel *in, *st;
	const struct intel_item *it;
	char err[640];
	int rl, rs, t;

	fuzz_path = path;
	in = intel_new();
	st = intel_new();
	if (in == NULL || st == NULL)
		abort();
	rl = intel_load_buf(in, path, buf, len, &lenient, err,
	    sizeof(err));
	if (rl != 0 || strlen(err) >= sizeof(err))
		abort();
	rs = intel_load_buf(st, path, buf, len, &strict, err,
	    sizeof(err));
	/* strict and lenient see the same bad lines; strict keeps all or
	 * nothing */
	if (w.n != ws.n || bl != w.n || bs != ws.n || skl != sks ||
	    (rs == 0) != (ws.n == 0))
		abort();
	if (rs != 0)
		fuzz_msg(err);
	else if (err[0] != '\0')
		abort();
	if (intel_finalize(in, err, sizeof(err)) != 0 ||
	    intel_finalize(st, err, sizeof(err)) != 0)
		abort();
	if (rs != 0 && intel_count_all(st) != 0)
		abort();
	if (rs == 0) {
		if (intel_count_all(st) != intel_count_all(in))
			abort();
		for (t = INTEL_ADDR; t <= INTEL_OTHER; t++)
			if (intel_count(st, (enum intel_type)t) !=
			    intel_count(in, (enum intel_type)t))
				abort();
	}
	check_items(in);
	check_input(in, data, size);
	/* beside a fixed list and shared platforms */
	if (intel_load_buf(in, "fixed.txt", fixed, sizeof(fixed) - 1, NULL,
	    err, sizeof(err)) != 0 || intel_load_buf(in,
	    "shared-platforms.txt", plat, sizeof(plat) - 1, NULL, err,
	    sizeof(err)) != 0 || intel_finalize(in, err, sizeof(err)) != 0)
		abort();
	check_items(in);
	check_input(in, data, size);
	check_name(in, "evilthd.cc");
	check_name(in, "x.y.THD.cc.");
	check_name(in, "sub.mtechn.zendesk.com");
	check_name(in, "www.exact.example");
	/* thd.cc of the fixed list covers a.thd.cc, unless the input made
	 * thd.cc a website (a list does not say its role: its names do not
	 * make the names under a listed website C2) or stated an exact
	 * thd.cc (a stated role wins over the list's assumed one) */
	if ((it = check_name(in, "thd.cc")) == NULL || (it->role !=
	    INTEL_ROLE_WEBSITE && it->subdomains &&
	    check_name(in, "a.thd.cc") == NULL))
		abort();
	intel_free(st);
	intel_free(in);
}

/*
 * The first byte of data picks one of the heads, put before the rest, so
 * the fuzzer spends its time inside the format; then fuzz_intel_check().
 */
static inline void
fuzz_intel_heads(const char *path, const char *const *heads, size_t nheads,
    const uint8_t *data, size_t size)
{
	const char *head;
	size_t hl, len;
	char *buf;

	if (size == 0)
		return;
	head = heads[data[0] % nheads];
	data++;
	size--;
	hl = strlen(head);
	len = hl + size;
	if ((buf = malloc(len > 0 ? len : 1)) == NULL)
		return;
	memcpy(buf, head, hl);
	if (size > 0)
		memcpy(buf + hl, data, size);
	fuzz_intel_check(path, buf, len, data, size);
	free(buf);
}

#endif /* SW_FUZZ_INTEL_CHECKS_H */

