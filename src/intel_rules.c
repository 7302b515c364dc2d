/*
 * intel_rules.c - Suricata rules as indicator files, read the way the
 * PiRogue tool suite loads Echap's generated suricata.rules:
 *
 *   alert dns $HOME_NET any -> any any (msg:"PTS STALKERWARE mSpy
 *       (www[.]mspy[.]com)"; metadata: type stalkerware; dns.query;
 *       content:"www.mspy.com"; depth:12; nocase; endswith; ...)
 *   alert ip $HOME_NET any -> [69.64.74.239] any (msg:"..."; metadata:
 *       type TheTruthSpy; ...)
 *
 * A rule gives a name when the content of a dns.query, tls.sni or
 * http.host buffer (sticky buffers, or the older dns_query / tls_sni /
 * http_host modifiers after the content) is a domain name; an `ip` rule
 * gives the addresses of its destination list.  The app is the
 * metadata `type` when that is not a category word, else the words of
 * `msg` after STALKERWARE or WATCHWARE.  Every other rule (payload
 * content, hashes, several buffers) is skipped and counted, not an
 * error: a rules file is a program, not a list, and only its indicators
 * are ours.  A line that is not a rule at all is an error.  Rules do not
 * say C2 from website: the role is assumed C2 (role_assumed).
 */
#include "intel_reader.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Longest option value kept (msg, content). */
#define RULE_VAL	512

static const char *const actions[] = { "alert", "drop", "pass", "reject",
    "rejectsrc", "rejectdst", "rejectboth" };

/* The action word at p, with a blank after it: its length, else 0. */
static size_t
action_len(const char *p)
{
	size_t i, n;

	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		n = strlen(actions[i]);
		if (strncmp(p, actions[i], n) == 0 && intel_is_space(p[n]))
			return n;
	}
	return 0;
}

int
intel_rules_sniff(const char *first)
{
	while (intel_is_space(*first))
		first++;
	return action_len(first) > 0 && strchr(first, '(') != NULL;
}

/* What one rule says that is ours. */
struct rule {
	char msg[RULE_VAL];
	char mtype[128];	/* metadata "type" */
	char content[RULE_VAL];	/* the buffer's content */
	int nbuf;		/* name buffers met */
	int ncontent;		/* contents met */
	int want;		/* the pending content is a name buffer's */
	int got;		/* content[] holds a name buffer's content */
	int startswith, endswith;
	int hex;		/* content with |hex| bytes */
};

/*
 * A quoted option value ("..." with \" \; \\ escapes) into out; p at the
 * opening quote.  Returns the position after the closing quote, or NULL.
 */
static const char *
quoted(const char *p, char *out, size_t outlen, int *hex)
{
	size_t o = 0;

	if (*p++ != '"')
		return NULL;
	for (; *p != '\0' && *p != '"'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '|' && hex != NULL)
			*hex = 1;
		if (o + 1 < outlen)
			out[o++] = *p;
	}
	out[o] = '\0';
	return *p == '"' ? p + 1 : NULL;
}

static int
is_name_buffer(const char *k, size_t n)
{
	return (n == 9 && (strncmp(k, "dns.query", 9) == 0 ||
	    strncmp(k, "dns_query", 9) == 0 || strncmp(k, "http.host",
	    9) == 0 || strncmp(k, "http_host", 9) == 0)) ||
	    (n == 7 && (strncmp(k, "tls.sni", 7) == 0 ||
	    strncmp(k, "tls_sni", 7) == 0));
}

/*
 * The options "(k:v; k; ...)" of a rule, p after the '('.  Returns 0, or
 * -1 (why) when the options are not well formed.
 */
static int
options(struct rule *ru, const char *p, char *why, size_t whylen)
{
	const char *k, *v, *e;
	size_t kn;
	char tmp[RULE_VAL];
	int hex;

	for (;;) {
		while (intel_is_space(*p))
			p++;
		if (*p == ')')
			return 0;
		if (*p == '\0') {
			snprintf(why, whylen, "rule options not closed by ')'");
			return -1;
		}
		for (k = p; *p != '\0' && *p != ':' && *p != ';' &&
		    *p != ')'; p++)
			;
		for (e = p; e > k && intel_is_space(e[-1]); e--)
			;
		kn = (size_t)(e - k);
		if (*p == ':') {
			for (p++; intel_is_space(*p); p++)
				;
			v = p;
			hex = 0;
			if (*p == '"') {
				if ((p = quoted(p, tmp, sizeof(tmp), &hex)) ==
				    NULL) {
					snprintf(why, whylen, "unterminated "
					    "quote in rule option");
					return -1;
				}
			} else {
				for (; *p != '\0' && *p != ';'; p++)
					if (*p == '\\' && p[1] != '\0')
						p++;
				snprintf(tmp, sizeof(tmp), "%.*s",
				    (int)(p - v), v);
			}
			if (kn == 3 && strncmp(k, "msg", 3) == 0)
				snprintf(ru->msg, sizeof(ru->msg), "%s", tmp);
			else if (kn == 8 && strncmp(k, "metadata", 8) == 0) {
				const char *t = strstr(tmp, "type ");

				if (t != NULL && (t == tmp || t[-1] == ' ' ||
				    t[-1] == ','))
					snprintf(ru->mtype, sizeof(ru->mtype),
					    "%.*s", (int)strcspn(t + 5, " ,"),
					    t + 5);
			} else if (kn == 7 && strncmp(k, "content", 7) == 0) {
				/* kept until a name buffer's is: a modifier
				 * after it may make it one */
				ru->ncontent++;
				if (!ru->got) {
					snprintf(ru->content,
					    sizeof(ru->content), "%s", tmp);
					ru->hex = hex;
					ru->got = ru->want;
				}
			}
		} else if (is_name_buffer(k, kn)) {
			/* sticky (dns.query, or an old keyword before any
			 * content): the contents after it; an old modifier
			 * (dns_query, http_host...): the content just
			 * before it, which content[] holds */
			ru->nbuf++;
			if (ru->ncontent == 0 || memchr(k, '.', kn) != NULL)
				ru->want = 1;
			else if (ru->ncontent == 1)
				ru->got = 1;
		} else if (kn == 10 && strncmp(k, "startswith", 10) == 0)
			ru->startswith = 1;
		else if (kn == 8 && strncmp(k, "endswith", 8) == 0)
			ru->endswith = 1;
		while (intel_is_space(*p))
			p++;
		if (*p == ';')
			p++;
		else if (*p != ')') {
			snprintf(why, whylen, "rule option without ';'");
			return -1;
		}
	}
}

/* The app and category of a rule: metadata type, else msg. */
static void
rule_app(struct rule *ru, struct intel_rec *r, char *app, size_t applen)
{
	enum intel_category cat = INTEL_CAT_STALKERWARE;
	const char *m, *e;

	app[0] = '\0';
	if (ru->mtype[0] != '\0' && intel_parse_class(ru->mtype,
	    strlen(ru->mtype), NULL, &cat) != 0)
		snprintf(app, applen, "%s", ru->mtype);
	if ((m = strcasestr(ru->msg, "WATCHWARE ")) != NULL)
		cat = INTEL_CAT_WATCHWARE;
	else
		m = strcasestr(ru->msg, "STALKERWARE ");
	if (app[0] == '\0' && m != NULL) {
		m += strcspn(m, " ");
		while (*m == ' ')
			m++;
		e = strstr(m, " (");
		if (e == NULL)
			e = m + strlen(m);
		while (e > m && e[-1] == ' ')
			e--;
		/* "PTS STALKERWARE 1[.]2[.]3[.]4 (stalkerware)" names the
		 * indicator, not the app */
		if (e > m && memchr(m, '[', (size_t)(e - m)) == NULL)
			snprintf(app, applen, "%.*s", (int)(e - m), m);
	}
	r->category = cat;
	r->app = app[0] != '\0' ? app : NULL;
	r->desc = ru->msg[0] != '\0' ? ru->msg : NULL;
}

/*
 * The addresses of an `ip` rule's destination ("[a,b]" or "a"): 0, 1 when
 * the rule is not ours (skipped), -1 (why) for a bad address, -2 to stop.
 * The whole list is checked before any address is taken, so a rule that
 * is skipped or bad adds nothing ("[10.0.0.0/8,!10.1.1.1]" is not 10/8).
 */
static int
rule_addrs(struct intel_load *ld, struct rule *ru, const char *dst,
    size_t dlen, char *why, size_t whylen)
{
	struct intel_rec r;
	char tok[INTEL_REC_TEXT], app[128];
	const char *p, *start = dst, *end = dst + dlen, *t;
	int rc, n, pass;

	if (start < end && *start == '[') {
		start++;
		if (end[-1] != ']')
			return 1;
		end--;
	}
	for (pass = 0; pass < 2; pass++) {
		for (p = start, n = 0; p < end; n++) {
			for (t = p; p < end && *p != ','; p++)
				;
			if ((size_t)(p - t) >= sizeof(tok) || p == t)
				return 1;
			memcpy(tok, t, (size_t)(p - t));
			tok[p - t] = '\0';
			/* negations, variables, groups: not ours */
			if (tok[0] == '!' || tok[0] == '$' || tok[0] == '[' ||
			    strcmp(tok, "any") == 0)
				return 1;
			intel_rec_init(&r);
			r.role_assumed = 1;
			rule_app(ru, &r, app, sizeof(app));
			if (intel_rec_cidr(&r, tok, why, whylen) != 0)
				return -1;
			if (pass == 1 && (rc = intel_emit(ld, &r, why,
			    whylen)) != 0)
				return rc;
			if (p < end)
				p++;
		}
		if (n == 0)
			return 1;
	}
	return 0;
}

int
intel_rules_line(struct intel_load *ld, char *line, char *why,
    size_t whylen)
{
	struct rule ru;
	struct intel_rec r;
	char app[128];
	const char *f[7], *p = line, *open;
	size_t fl[7], i, n;
	int rc;

	while (intel_is_space(*p))
		p++;
	if (*p == '#' || *p == '\0')
		return 0;	/* comments and disabled rules */
	if ((n = action_len(p)) == 0 || (open = strchr(p, '(')) == NULL) {
		snprintf(why, whylen, "not a Suricata rule (action proto src "
		    "port -> dst port (options))");
		return -1;
	}
	/* the header: action proto src sport dir dst dport */
	for (i = 0; i < 7; i++) {
		while (p < open && intel_is_space(*p))
			p++;
		f[i] = p;
		while (p < open && !intel_is_space(*p))
			p++;
		fl[i] = (size_t)(p - f[i]);
		if (fl[i] == 0) {
			snprintf(why, whylen, "rule header has fewer than 7 "
			    "fields");
			return -1;
		}
	}
	memset(&ru, 0, sizeof(ru));
	if (options(&ru, open + 1, why, whylen) != 0)
		return -1;
	if (fl[0] == 4 && strncmp(f[0], "pass", 4) == 0) {
		intel_skipped(ld);
		return 0;
	}
	if (fl[1] == 2 && strncmp(f[1], "ip", 2) == 0 && ru.ncontent == 0 &&
	    ru.nbuf == 0) {
		rc = rule_addrs(ld, &ru, f[5], fl[5], why, whylen);
		if (rc == 1)
			intel_skipped(ld);
		return rc == 1 ? 0 : rc;
	}
	if (ru.nbuf != 1 || ru.ncontent != 1 || !ru.got || ru.hex) {
		intel_skipped(ld);
		return 0;
	}
	intel_rec_init(&r);
	r.role_assumed = 1;
	/* endswith: the name and what ends with it; startswith too: exact */
	r.subdomains = !(ru.startswith && ru.endswith);
	if (ru.content[0] == '.')
		memmove(ru.content, ru.content + 1, strlen(ru.content));
	if (intel_looks_like_addr(ru.content, strlen(ru.content)) ||
	    intel_rec_domain(&r, ru.content, why, whylen) != 0) {
		intel_skipped(ld);	/* a content that is no name */
		return 0;
	}
	rule_app(&ru, &r, app, sizeof(app));
	return intel_emit(ld, &r, why, whylen);
}
