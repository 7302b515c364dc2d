/*
 * check_intel_readers.c - tests of the three document readers of the
 * newer indicator formats: Echap's ioc.yaml / watchware.yaml (libyaml,
 * intel_yaml.c), STIX 2.1 bundles (intel_json.c) and Suricata rules
 * (intel_rules.c).  For each: documents that must give indicators (with
 * their role, category, app and source, and the matching policy of
 * intel.h through intel_match_domain()), documents that must give none,
 * the exact "file:line: reason" of each error, lenient and strict loads,
 * every prefix of a small document, and the real upstream files
 * (iocs/ in the source tree; ../shared, or SW_SHARED, skipped with a
 * message when absent).
 *
 * Documents are loaded from memory with intel_load_buf() under a name
 * that picks the format; only the real files and the shared platforms
 * list of a directory load go through files (a fresh mkdtemp() directory
 * per test).
 */
#include <check.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "intel.h"
#include "intel_load.h"
#include "testfiles.h"

Suite *intel_readers_suite(void);

/* --- helpers ------------------------------------------------------------ */


static const struct intel_item *
dom(const struct intel *in, const char *name)
{
	return intel_match_domain(in, name);
}

static const struct intel_item *
match(const struct intel *in, const char *s)
{
	uint8_t a[16], pl;
	int sub;
	const char *why;

	ck_assert_msg(intel_parse_cidr(s, a, &pl, &sub, &why) == 0, "%s", s);
	return intel_match_addr(in, a);
}

/* Load text strictly as the file `name` into in; fails the test on error. */
static void
load_ok(struct intel *in, const char *name, const char *text,
    size_t *skipped)
{
	struct intel_load_opts o = { .lenient = 0, .skipped = skipped };
	char err[640];

	ck_assert_msg(intel_load_buf(in, name, text, strlen(text), &o, err,
	    sizeof(err)) == 0, "%s", err);
}

/* A finalized set of one document; fails the test on error. */
static struct intel *
set_of(const char *name, const char *text, size_t *skipped)
{
	struct intel *in = intel_new();
	char err[640];

	ck_assert_ptr_nonnull(in);
	load_ok(in, name, text, skipped);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	return in;
}

/*
 * Load a bad document strictly: it must fail with exactly `name` + msg
 * as the first message and in errbuf, on one line, and leave nothing in
 * the set.
 */
static void
load_fails(const char *name, const char *text, size_t len, const char *msg)
{
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	struct intel_load_opts o = { .lenient = 0, .warn = testfiles_collect,
	    .warn_ctx = &w };
	char err[640], want[640];

	snprintf(want, sizeof(want), "%s%s", name, msg);
	ck_assert_int_eq(intel_load_buf(in, name, text, len, &o, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, want);
	ck_assert_str_eq(w.first, want);
	ck_assert_ptr_null(strchr(err, '\n'));
	ck_assert_uint_eq(intel_count_all(in), 0);
	intel_free(in);
}

/* The shared data directory (SW_SHARED, default ../shared), or NULL with
 * a message when this file of it is absent. */
static const char *
shared_file(const char *test, const char *file)
{
	static char path[512];
	const char *s = getenv("SW_SHARED");

	snprintf(path, sizeof(path), "%s/iocs-upstream/%s", s != NULL ? s :
	    "../shared", file);
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "%s: %s absent, skipped\n", test, path);
		return NULL;
	}
	return path;
}

/* --- YAML: Echap ioc.yaml / watchware.yaml ------------------------------ */

static const char yaml_doc[] =
    "- name: SpyApp\n"				/* 1 */
    "  names:\n"
    "  - Spy App\n"
    "  - other.example\n"
    "  type: stalkerware\n"			/* 5 */
    "  packages:\n"
    "  - com.spyapp.android\n"
    "  certificates:\n"
    "  - 0123456789ABCDEF0123456789ABCDEF01234567\n"
    "  ios_bundles: [com.spyapp.ios]\n"		/* 10 */
    "  anything:\n"
    "    domains: [unknown-key.example]\n"
    "  websites:\n"
    "  - spyapp.example\n"
    "  - both.example\n"			/* 15 */
    "  distribution:\n"
    "    - dl.spyapp.example\n"
    "    - 192.0.2.10\n"
    "    - https://github.com/spyapp/apk\n"
    "  c2:\n"					/* 20 */
    "    ips:\n"
    "    - 198.51.100.1\n"
    "    - 198.51.100.64/26\n"
    "    domains:\n"
    "    - api.spyapp.example\n"		/* 25 */
    "    - both.example\n"
    "    - Upper.SpyApp2.Example.\n"
    "    - proj-1.firebaseio.com\n"
    "    - firebaseio.com\n"
    "- name: Watcher\n"				/* 30 */
    "  type: watchware\n"
    "  websites: []\n"
    "  c2:\n"
    "    ip:\n"
    "    - 203.0.113.5\n"			/* 35 */
    "    domains: [api.watcher.example]\n"
    "- name: NoIndicators\n"
    "  c2:\n"
    "- name: EmptyLists\n"
    "  websites:\n"				/* 40 */
    "  distribution: []\n"
    "  c2:\n"
    "    ips: []\n"
    "    domains:\n"
    "    -\n";					/* 45 */

START_TEST(yaml_items)
{
	struct intel *in = set_of("ioc.yaml", yaml_doc, NULL);
	const struct intel_item *it;
	size_t i;

	/* 2 websites, a distribution name, address and URL, 2 C2
	 * addresses and a prefix... of SpyApp (firebaseio.com is no shared
	 * platform here: kept), a C2 address and name of Watcher; nothing
	 * of the empty apps */
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 9);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 3);
	ck_assert_uint_eq(intel_count(in, INTEL_SUBNET), 1);
	ck_assert_uint_eq(intel_count(in, INTEL_OTHER), 1);
	ck_assert_uint_eq(intel_count_of(in, INTEL_CAT_STALKERWARE,
	    INTEL_ROLE_WEBSITE, INTEL_DOMAIN), 2);
	ck_assert_uint_eq(intel_count_of(in, INTEL_CAT_STALKERWARE,
	    INTEL_ROLE_DISTRIBUTION, INTEL_DOMAIN), 1);
	ck_assert_uint_eq(intel_count_of(in, INTEL_CAT_STALKERWARE,
	    INTEL_ROLE_DISTRIBUTION, INTEL_ADDR), 1);
	ck_assert_uint_eq(intel_count_of(in, INTEL_CAT_STALKERWARE,
	    INTEL_ROLE_C2, INTEL_DOMAIN), 5);
	ck_assert_uint_eq(intel_count_of(in, INTEL_CAT_WATCHWARE,
	    INTEL_ROLE_C2, INTEL_DOMAIN), 1);
	ck_assert_uint_eq(intel_count_of(in, INTEL_CAT_WATCHWARE,
	    INTEL_ROLE_C2, INTEL_ADDR), 1);
	ck_assert_uint_eq(intel_count_apps(in, INTEL_CAT_STALKERWARE), 1);
	ck_assert_uint_eq(intel_count_apps(in, INTEL_CAT_WATCHWARE), 1);
	/* every item: stated role, the file's attribution, its app */
	for (i = 0; i < intel_count_all(in); i++) {
		it = intel_item_at(in, i);
		ck_assert_int_eq(it->role_assumed, 0);
		ck_assert_str_eq(it->source, "Echap stalkerware-indicators "
		    "ioc.yaml (CC-BY 4.0)");
		ck_assert_ptr_nonnull(it->app);
		ck_assert_msg(strcmp(it->app, "SpyApp") == 0 ||
		    strcmp(it->app, "Watcher") == 0, "%s", it->app);
	}
	ck_assert_ptr_null(intel_item_at(in, intel_count_all(in)));
	/* websites */
	it = dom(in, "spyapp.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->role, INTEL_ROLE_WEBSITE);
	ck_assert_int_eq(it->category, INTEL_CAT_STALKERWARE);
	ck_assert_str_eq(it->app, "SpyApp");
	ck_assert_str_eq(it->desc, "stalkerware website of SpyApp (Echap)");
	/* distribution: a name, an address, and a URL kept unmatched */
	it = dom(in, "dl.spyapp.example");
	ck_assert_int_eq(it->role, INTEL_ROLE_DISTRIBUTION);
	ck_assert_str_eq(it->desc, "stalkerware distribution of SpyApp "
	    "(Echap)");
	it = match(in, "192.0.2.10");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->role, INTEL_ROLE_DISTRIBUTION);
	ck_assert_str_eq(it->app, "SpyApp");
	for (i = 0; i < intel_count_all(in); i++)
		if (intel_item_at(in, i)->type == INTEL_OTHER)
			break;
	it = intel_item_at(in, i);
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->indicator, "https://github.com/spyapp/apk");
	ck_assert_str_eq(it->zeek_type, "Intel::URL");
	ck_assert_int_eq(it->role, INTEL_ROLE_DISTRIBUTION);
	ck_assert_ptr_null(dom(in, "github.com"));
	/* C2: addresses, a prefix, names (normalised) */
	it = match(in, "198.51.100.1");
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	ck_assert_str_eq(it->desc, "stalkerware C2 of SpyApp (Echap)");
	ck_assert_int_eq(match(in, "198.51.100.100")->type, INTEL_SUBNET);
	ck_assert_ptr_null(match(in, "198.51.100.2"));
	ck_assert_ptr_null(match(in, "198.51.100.128"));
	it = dom(in, "api.spyapp.example");
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	ck_assert_int_eq(it->subdomains, 1);
	ck_assert_str_eq(dom(in, "x.upper.spyapp2.example")->indicator,
	    "upper.spyapp2.example");
	/* watchware, and "ip:" read as "ips:" */
	it = match(in, "203.0.113.5");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->category, INTEL_CAT_WATCHWARE);
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	ck_assert_str_eq(it->app, "Watcher");
	ck_assert_str_eq(it->desc, "watchware C2 of Watcher (Echap)");
	it = dom(in, "v2.api.watcher.example");
	ck_assert_int_eq(it->category, INTEL_CAT_WATCHWARE);
	ck_assert_str_eq(it->app, "Watcher");
	/* other keys are no indicators */
	ck_assert_ptr_null(dom(in, "other.example"));
	ck_assert_ptr_null(dom(in, "unknown-key.example"));
	ck_assert_ptr_null(dom(in, "com.spyapp.android"));
	ck_assert_ptr_null(dom(in, "com.spyapp.ios"));
	intel_free(in);
}
END_TEST

START_TEST(yaml_policy)
{
	struct intel *in = intel_new();
	const struct intel_item *it;
	char err[640];

	load_ok(in, "shared-platforms-x.txt", "firebaseio.com\n", NULL);
	load_ok(in, "ioc.yaml", yaml_doc, NULL);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_uint_eq(intel_count_platforms(in), 1);
	ck_assert_uint_eq(intel_count_ignored(in), 1);	/* firebaseio.com */
	/* a C2 name covers the names under it, on dot boundaries */
	ck_assert_str_eq(dom(in, "api.spyapp.example")->indicator,
	    "api.spyapp.example");
	ck_assert_str_eq(dom(in, "a.b.api.spyapp.example")->indicator,
	    "api.spyapp.example");
	ck_assert_ptr_null(dom(in, "xapi.spyapp.example"));
	/* a website: its name and its www. form, nothing else */
	ck_assert_int_eq(dom(in, "spyapp.example")->role, INTEL_ROLE_WEBSITE);
	it = dom(in, "www.spyapp.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->role, INTEL_ROLE_WEBSITE);
	ck_assert_str_eq(it->indicator, "spyapp.example");
	ck_assert_ptr_null(dom(in, "shop.spyapp.example"));
	ck_assert_ptr_null(dom(in, "www.www.spyapp.example"));
	/* website and C2 both: the name and www. are the website, every
	 * other name under it is C2 */
	ck_assert_int_eq(dom(in, "both.example")->role, INTEL_ROLE_WEBSITE);
	ck_assert_int_eq(dom(in, "www.both.example")->role,
	    INTEL_ROLE_WEBSITE);
	it = dom(in, "cdn.both.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	ck_assert_int_eq(dom(in, "x.www.both.example")->role, INTEL_ROLE_C2);
	/* distribution names cover names under them too */
	ck_assert_int_eq(dom(in, "eu.dl.spyapp.example")->role,
	    INTEL_ROLE_DISTRIBUTION);
	/* on a shared platform: exact only; the bare platform is gone */
	it = dom(in, "proj-1.firebaseio.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->platform, 1);
	ck_assert_int_eq(it->subdomains, 0);
	ck_assert_ptr_null(dom(in, "x.proj-1.firebaseio.com"));
	ck_assert_ptr_null(dom(in, "firebaseio.com"));
	ck_assert_ptr_null(dom(in, "proj-2.firebaseio.com"));
	intel_free(in);
}
END_TEST

static const char yaml_stalker[] =
    "- name: Both\n"
    "  type: stalkerware\n"
    "  websites: [both-site.example]\n"
    "  c2:\n"
    "    domains: [shared-c2.example]\n"
    "    ips: [192.0.2.77]\n";
static const char yaml_watch[] =
    "- name: Both\n"
    "  type: watchware\n"
    "  websites: [both-site.example]\n"
    "  c2:\n"
    "    domains: [shared-c2.example, only-watch.example]\n"
    "    ips: [192.0.2.77]\n";

/* The same indicator in a stalkerware and a watchware file is
 * stalkerware, whichever is read first. */
START_TEST(yaml_stalkerware_wins)
{
	struct intel *in = intel_new();
	char err[640];

	if (_i == 0) {
		load_ok(in, "ioc.yaml", yaml_stalker, NULL);
		load_ok(in, "watchware.yaml", yaml_watch, NULL);
	} else {
		load_ok(in, "watchware.yaml", yaml_watch, NULL);
		load_ok(in, "ioc.yaml", yaml_stalker, NULL);
	}
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_int_eq(dom(in, "x.shared-c2.example")->category,
	    INTEL_CAT_STALKERWARE);
	ck_assert_int_eq(dom(in, "shared-c2.example")->category,
	    INTEL_CAT_STALKERWARE);
	ck_assert_int_eq(dom(in, "both-site.example")->category,
	    INTEL_CAT_STALKERWARE);
	ck_assert_int_eq(match(in, "192.0.2.77")->category,
	    INTEL_CAT_STALKERWARE);
	ck_assert_int_eq(dom(in, "only-watch.example")->category,
	    INTEL_CAT_WATCHWARE);
	intel_free(in);
}
END_TEST

/* Documents that are no indicators, or empty ones: loaded, nothing. */
static const char *const yaml_empty[] = {
	"",
	"# only a comment\n",
	"---\n",
	"---\n...\n",
	"[]\n",
	"---\n[]\n---\n",
	"- name: A\n",
	"- name: A\n  c2:\n",
	"- name: A\n  c2: {}\n  websites: []\n  distribution:\n",
	"- name: A\n  websites: \"\"\n  c2:\n    domains: ['']\n",
	"- name: A\n  packages: [a.example]\n  names: [b.example]\n",
	"- name: A\n  certificates: [c.example]\n  x: {c2: {domains: [d]}}\n",
	/* keys are case-sensitive: these are unknown ones */
	"- name: A\n  Websites: [a.example]\n  C2: {domains: [b.example]}\n",
};

START_TEST(yaml_no_indicators)
{
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	struct intel_load_opts o = { .lenient = 0, .warn = testfiles_collect,
	    .warn_ctx = &w };
	char err[640];

	ck_assert_msg(intel_load_buf(in, "ioc.yaml", yaml_empty[_i],
	    strlen(yaml_empty[_i]), &o, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(w.n, 0);
	ck_assert_uint_eq(intel_count_all(in), 0);
	intel_free(in);
}
END_TEST

/* Documents spread over several YAML documents, and aliases. */
START_TEST(yaml_streams)
{
	struct intel *in;

	in = set_of("ioc.yaml", "---\n---\n- name: A\n  websites: "
	    "[a.example]\n...\n---\n- name: B\n  c2: {domains: [b.example]}\n"
	    "---\n", NULL);
	ck_assert_str_eq(dom(in, "a.example")->app, "A");
	ck_assert_str_eq(dom(in, "x.b.example")->app, "B");
	intel_free(in);
	/* an alias names the same app again: the same items */
	in = set_of("ioc.yaml", "- &x\n  name: A\n  c2:\n    domains: &d "
	    "[a.example]\n- *x\n- name: B\n  c2:\n    domains: *d\n", NULL);
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 1);
	ck_assert_str_eq(dom(in, "a.example")->app, "A");
	ck_assert_uint_eq(intel_count_apps(in, INTEL_CAT_STALKERWARE), 1);
	intel_free(in);
}
END_TEST

static const struct {
	const char *text, *msg;
} yaml_bad[] = {
	/* syntax: an unclosed quote, a tab, a key without ':', bad
	 * indentation, an unclosed flow list */
	{ "- name: A\n  websites:\n  - \"a.example\n  - b.example",
	  ":4: YAML: found unexpected end of stream while scanning a quoted "
	  "scalar started at line 3" },
	{ "- name: A\n  websites:\n\t- a.example\n",
	  ":3: YAML: found character that cannot start any token while "
	  "scanning for the next token started at line 3" },
	{ "- name: A\n  websites\n  - a.example\n- name: B\n",
	  ":3: YAML: could not find expected ':' while scanning a simple key "
	  "started at line 2" },
	{ "- name: A\n  websites: [a.example]\n   type: x\n",
	  ":3: YAML: did not find expected key while parsing a block mapping "
	  "started at line 1" },
	{ "- name: A\n  websites: [a.example\n- name: B\n",
	  ":3: YAML: did not find expected ',' or ']' while parsing a flow "
	  "sequence started at line 2" },
	{ "- name: A\n  websites: [*nope]\n",
	  ":2: YAML: found undefined alias" },
	/* apps */
	{ "- name: A\n  websites: [a.example]\n- just a string\n",
	  ":3: app entry is not a mapping" },
	{ "- name: A\n\n- [b.example]\n", ":3: app entry is not a mapping" },
	{ "- name: A\n- names: [B]\n  websites: [b.example]\n",
	  ":2: app without a name" },
	{ "- name: \"\"\n  websites: [b.example]\n", ":1: app without a name" },
	{ "- name: [A]\n", ":1: app without a name" },
	{ "- name: A\n  websites: [a.example]\n  type: spyware\n",
	  ":3: type of A: \"spyware\" is not stalkerware or watchware" },
	{ "- name: A\n  type: [watchware]\n",
	  ":2: type of A: a list or mapping is not stalkerware or watchware" },
	{ "- name: \"Evil\\nApp\"\n  type: \"x\\ny\"\n",
	  ":2: type of \"Evil\\x0aApp\": \"x\\x0ay\" is not stalkerware or "
	  "watchware" },
	/* lists and values */
	{ "- name: A\n  websites: {a.example: 1}\n",
	  ":2: websites of A: not a list" },
	{ "- name: A\n  c2: [a.example]\n", ":2: c2 of A: not a mapping" },
	{ "- name: A\n  c2:\n    domains:\n    - ok.example\n"
	  "    - bad..example\n",
	  ":5: c2.domains of A: empty label in domain \"bad..example\"" },
	{ "- name: A\n  c2:\n    domains:\n    - [x.example]\n",
	  ":4: c2.domains of A: not a plain value" },
	{ "- name: A\n  websites:\n  - \"a\\0b.example\"\n",
	  ":3: websites of A: NUL byte in value" },
	{ "- name: A\n  c2:\n    ips:\n    - 192.0.2.1\n    - 192.0.2.300\n",
	  ":5: c2.ips of A: bad IPv4 address \"192.0.2.300\"" },
	{ "- name: A\n  c2:\n    ips: [c2.example]\n",
	  ":3: c2.ips of A: bad IPv4 address \"c2.example\"" },
	{ "- name: A\n  c2:\n    ip:\n    - 2001:db8::/129\n",
	  ":4: c2.ips of A: prefix length 129 out of range for IPv6" },
	/* documents */
	{ "name: A\nwebsites: [a.example]\n",
	  ":1: YAML is not a list of apps (Echap ioc.yaml or watchware.yaml)" },
	{ "--- just text\n",
	  ":1: YAML is not a list of apps (Echap ioc.yaml or watchware.yaml)" },
	{ "- name: A\n  websites: [a.example]\n---\n\nfoo: bar\n",
	  ":5: YAML document is not a list of apps" },
};

START_TEST(yaml_errors)
{
	load_fails("t.yaml", yaml_bad[_i].text, strlen(yaml_bad[_i].text),
	    yaml_bad[_i].msg);
}
END_TEST

START_TEST(yaml_lenient_strict)
{
	static const char text[] =
	    "- name: Good\n"
	    "  c2:\n"
	    "    domains: [good.example, bad..example, also-good.example]\n"
	    "    ips: [192.0.2.1, 192.0.2.999]\n"
	    "- not an app\n"
	    "- name: Next\n"
	    "  websites: [next.example]\n";
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	size_t bad = 0, files = 0;
	struct intel_load_opts o = { .lenient = 1, .warn = testfiles_collect,
	    .warn_ctx = &w, .bad = &bad, .files = &files };
	char err[640];

	/* lenient: the good items stay, every bad one is reported */
	ck_assert_int_eq(intel_load_buf(in, "mix.yaml", text, strlen(text),
	    &o, err, sizeof(err)), 0);
	ck_assert_int_eq(w.n, 3);
	ck_assert_uint_eq(bad, 3);
	ck_assert_uint_eq(files, 1);
	/* c2.ips are read before c2.domains */
	ck_assert_str_eq(w.first, "mix.yaml:4: c2.ips of Good: bad IPv4 "
	    "address \"192.0.2.999\"");
	ck_assert_str_eq(w.last, "mix.yaml:5: app entry is not a mapping");
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 3);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 1);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(dom(in, "x.also-good.example"));
	ck_assert_ptr_nonnull(dom(in, "next.example"));
	/* strict: the same reports, and the file is taken back whole; what
	 * was loaded before stays */
	o.lenient = 0;
	w.n = 0;
	ck_assert_int_eq(intel_load_buf(in, "mix.yaml", text, strlen(text),
	    &o, err, sizeof(err)), -1);
	ck_assert_int_eq(w.n, 3);
	ck_assert_str_eq(err, "mix.yaml:4: c2.ips of Good: bad IPv4 address "
	    "\"192.0.2.999\"");
	ck_assert_uint_eq(intel_count_all(in), 4);
	intel_free(in);
	in = intel_new();
	ck_assert_int_eq(intel_load_buf(in, "mix.yaml", text, strlen(text),
	    &o, err, sizeof(err)), -1);
	ck_assert_uint_eq(intel_count_all(in), 0);
	intel_free(in);
}
END_TEST

/*
 * Aliases can name one subtree over and over: a 40 KB document must not
 * make a million reports.  The walk is capped at a few visits per node
 * of the document, reported once, and the file fails.
 */
START_TEST(yaml_alias_bomb)
{
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	struct intel_load_opts o = { .lenient = 1, .warn = testfiles_collect,
	    .warn_ctx = &w };
	char *text, err[640];
	size_t off = 0, cap = 64 * 1024;
	int i;

	text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	off += (size_t)snprintf(text + off, cap - off, "- &a\n  name: A\n"
	    "  websites:\n");
	for (i = 0; i < 500; i++)
		off += (size_t)snprintf(text + off, cap - off, "  - a..%d\n",
		    i);
	for (i = 0; i < 5000; i++)
		off += (size_t)snprintf(text + off, cap - off, "- *a\n");
	ck_assert_uint_lt(off, cap);
	ck_assert_int_eq(intel_load_buf(in, "bomb.yaml", text, off, &o, err,
	    sizeof(err)), 0);
	/* 500 per visit of the app: stopped after a few visits */
	ck_assert_int_lt(w.n, 500 * 10);
	ck_assert_int_gt(w.n, 500);
	ck_assert_ptr_nonnull(strstr(w.last, ": YAML aliases repeat the "
	    "document more than 8 times over"));
	ck_assert_int_eq(strncmp(w.last, "bomb.yaml:", 10), 0);
	/* strict: the file fails */
	o.lenient = 0;
	ck_assert_int_eq(intel_load_buf(in, "bomb.yaml", text, off, &o, err,
	    sizeof(err)), -1);
	free(text);
	intel_free(in);
}
END_TEST

/* The bundled Echap files, read strictly (they are in the source tree). */
START_TEST(yaml_bundled)
{
	struct intel *in = intel_new();
	const struct intel_item *it;
	size_t skipped = 0;
	struct intel_load_opts o = { .lenient = 0, .skipped = &skipped };
	char err[640];

	ck_assert_msg(intel_load_file(in, "iocs/ioc.yaml", &o, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_msg(intel_load_file(in, "iocs/watchware.yaml", &o, err,
	    sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_uint_eq(skipped, 0);
	ck_assert_uint_gt(intel_count_apps(in, INTEL_CAT_STALKERWARE), 100);
	ck_assert_uint_gt(intel_count_apps(in, INTEL_CAT_WATCHWARE), 20);
	it = dom(in, "media-sync-a.copy9.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	ck_assert_str_eq(it->app, "TheTruthSpy");
	ck_assert_str_eq(it->source, "Echap stalkerware-indicators ioc.yaml "
	    "(CC-BY 4.0)");
	it = dom(in, "copy9.com");
	ck_assert_int_eq(it->role, INTEL_ROLE_WEBSITE);
	ck_assert_str_eq(it->app, "TheTruthSpy");
	it = dom(in, "uploads.spy2mobile.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	it = dom(in, "a18.dav.mspyonline.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	ck_assert_str_eq(it->app, "mSpy");
	it = dom(in, "ws.spyzie.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	it = dom(in, "app.fonetracker.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->role, INTEL_ROLE_DISTRIBUTION);
	it = dom(in, "data-api.famisafe.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	ck_assert_int_eq(it->category, INTEL_CAT_WATCHWARE);
	ck_assert_str_eq(it->app, "FamiSafe");
	ck_assert_str_eq(it->source, "Echap stalkerware-indicators "
	    "watchware.yaml (CC-BY 4.0)");
	/* WiseMo is in both files: stalkerware */
	it = dom(in, "mycloud.wisemo.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->app, "WiseMo");
	ck_assert_int_eq(it->category, INTEL_CAT_STALKERWARE);
	ck_assert_int_eq(dom(in, "wisemo.com")->category,
	    INTEL_CAT_STALKERWARE);
	ck_assert_ptr_null(dom(in, "evilcopy9.com"));
	intel_free(in);
}
END_TEST

/* --- STIX 2.1 bundles --------------------------------------------------- */

static const char stix_doc[] =
    "{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": [\n"
    " {\"type\": \"malware\", \"id\": \"malware--1\", \"name\": \"SpyApp\","
    " \"description\": \"Stalkerware applications\", \"is_family\": false},\n"
    " {\"type\": \"malware\", \"id\": \"malware--2\", \"name\": \"Watcher\","
    " \"description\": \"Watchware applications\"},\n"
    " {\"type\": \"indicator\", \"id\": \"indicator--1\", \"pattern\": "
    "\"[domain-name:value = 'c2.spyapp.example']\", \"pattern_type\": "
    "\"stix\"},\n"
    " {\"type\": \"relationship\", \"relationship_type\": \"indicates\", "
    "\"source_ref\": \"indicator--1\", \"target_ref\": \"malware--1\"},\n"
    " {\"type\": \"indicator\", \"id\": \"indicator--2\", \"pattern\": "
    "\"[ipv4-addr:value = '192.0.2.1']\"},\n"
    " {\"type\": \"indicator\", \"id\": \"indicator--3\", \"pattern\": "
    "\"[url:value = 'https://dl.spyapp.example:8443/app.apk']\"},\n"
    " {\"type\": \"indicator\", \"id\": \"indicator--4\", \"pattern\": "
    "\"[domain-name:value = 'a.example' OR domain-name:value='B.Example']\"},\n"
    " {\"type\": \"indicator\", \"id\": \"indicator--5\", \"pattern\": "
    "\"[file:hashes.'SHA-256' = 'aabbccdd']\"},\n"
    " {\"type\": \"indicator\", \"id\": \"indicator--6\", \"pattern\": "
    "\"[domain-name:value = 'orphan.example']\"},\n"
    " {\"type\": \"indicator\", \"id\": \"indicator--7\", \"pattern\": "
    "\"[ipv6-addr:value = '2001:db8::1']\"},\n"
    " {\"type\": \"indicator\", \"id\": \"indicator--8\", \"pattern\": "
    "\"[domain-name:value = 'w.watcher.example']\"},\n"
    " {\"type\": \"indicator\", \"id\": \"indicator--9\", \"pattern\": "
    "\"title: x\", \"pattern_type\": \"sigma\"},\n"
    " {\"type\": \"indicator\", \"id\": \"indicator--10\", \"pattern\": "
    "\"[app:id = 'com.spyapp']\"},\n"
    " {\"type\": \"indicator\", \"id\": \"indicator--11\", \"pattern\": "
    "\"[file:name = 'url:value = x' AND domain-name:value = "
    "'lit.example']\"},\n"
    " {\"type\": \"relationship\", \"relationship_type\": \"indicates\", "
    "\"source_ref\": \"indicator--2\", \"target_ref\": \"malware--1\"},\n"
    " {\"type\": \"relationship\", \"relationship_type\": \"indicates\", "
    "\"source_ref\": \"indicator--3\", \"target_ref\": \"malware--1\"},\n"
    " {\"type\": \"relationship\", \"relationship_type\": \"indicates\", "
    "\"source_ref\": \"indicator--4\", \"target_ref\": \"malware--1\"},\n"
    " {\"type\": \"relationship\", \"relationship_type\": \"indicates\", "
    "\"source_ref\": \"indicator--5\", \"target_ref\": \"malware--1\"},\n"
    " {\"type\": \"relationship\", \"relationship_type\": \"related-to\", "
    "\"source_ref\": \"indicator--7\", \"target_ref\": \"malware--1\"},\n"
    " {\"type\": \"relationship\", \"relationship_type\": \"indicates\", "
    "\"source_ref\": \"indicator--8\", \"target_ref\": \"malware--2\"},\n"
    " {\"type\": \"relationship\", \"relationship_type\": \"indicates\", "
    "\"source_ref\": \"indicator--6\", \"target_ref\": \"malware--404\"}\n"
    "]}\n";

START_TEST(stix_items)
{
	size_t skipped = 0, i;
	struct intel *in = set_of("bundle.json", stix_doc, &skipped);
	const struct intel_item *it;

	/* file hash, Sigma and app id patterns: skipped, not errors */
	ck_assert_uint_eq(skipped, 3);
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 7);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 2);
	ck_assert_uint_eq(intel_count(in, INTEL_OTHER), 0);
	for (i = 0; i < intel_count_all(in); i++) {
		it = intel_item_at(in, i);
		ck_assert_int_eq(it->role_assumed, 1);
		ck_assert_int_eq(it->role, INTEL_ROLE_C2);
		ck_assert_str_eq(it->source, "bundle.json");
		ck_assert_str_eq(it->desc, "STIX 2.1 indicator");
	}
	/* the app from an `indicates` relationship */
	it = dom(in, "x.c2.spyapp.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->indicator, "c2.spyapp.example");
	ck_assert_str_eq(it->app, "SpyApp");
	ck_assert_int_eq(it->category, INTEL_CAT_STALKERWARE);
	ck_assert_str_eq(match(in, "192.0.2.1")->app, "SpyApp");
	/* a URL names its host, exactly */
	it = dom(in, "dl.spyapp.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->subdomains, 0);
	ck_assert_str_eq(it->app, "SpyApp");
	ck_assert_ptr_null(dom(in, "x.dl.spyapp.example"));
	/* both sides of an OR */
	ck_assert_str_eq(dom(in, "a.example")->app, "SpyApp");
	ck_assert_str_eq(dom(in, "z.b.example")->indicator, "b.example");
	/* no `indicates` relationship, or one to no malware: no app */
	it = dom(in, "orphan.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_ptr_null(it->app);
	it = match(in, "2001:db8::1");
	ck_assert_ptr_nonnull(it);
	ck_assert_ptr_null(it->app);
	/* a malware object that says watchware */
	it = dom(in, "w.watcher.example");
	ck_assert_str_eq(it->app, "Watcher");
	ck_assert_int_eq(it->category, INTEL_CAT_WATCHWARE);
	/* a quoted literal of another comparison is no indicator */
	ck_assert_ptr_nonnull(dom(in, "lit.example"));
	ck_assert_ptr_null(dom(in, "x"));
	ck_assert_ptr_null(dom(in, "com.spyapp"));
	intel_free(in);
}
END_TEST

/*
 * STIX does not tell C2 from website: its names are assumed C2, give way
 * to a file that says, and never make the names under a website C2.
 */
START_TEST(stix_role_assumed)
{
	static const char bundle[] =
	    "{\"type\": \"bundle\", \"objects\": [\n"
	    " {\"type\": \"indicator\", \"id\": \"indicator--1\", \"pattern\": "
	    "\"[domain-name:value = 'site.example']\"},\n"
	    " {\"type\": \"indicator\", \"id\": \"indicator--2\", \"pattern\": "
	    "\"[domain-name:value = 'api.watch.example']\"}]}\n";
	struct intel *in;
	const struct intel_item *it;
	char err[640];

	/* alone: C2 names covering their subdomains */
	in = set_of("b.stix2", bundle, NULL);
	it = dom(in, "shop.site.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->role, INTEL_ROLE_C2);
	intel_free(in);
	/* with a YAML file that lists the website and the watchware C2 */
	in = intel_new();
	load_ok(in, "b.stix2", bundle, NULL);
	load_ok(in, "watchware.yaml", "- name: W\n  type: watchware\n"
	    "  websites: [site.example]\n"
	    "  c2: {domains: [api.watch.example]}\n",
	    NULL);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	it = dom(in, "site.example");
	ck_assert_int_eq(it->role, INTEL_ROLE_WEBSITE);
	ck_assert_str_eq(it->app, "W");
	ck_assert_int_eq(dom(in, "www.site.example")->role, INTEL_ROLE_WEBSITE);
	ck_assert_ptr_null(dom(in, "shop.site.example"));
	it = dom(in, "x.api.watch.example");
	ck_assert_int_eq(it->category, INTEL_CAT_WATCHWARE);
	ck_assert_int_eq(it->role_assumed, 0);
	intel_free(in);
}
END_TEST

/* Bundles with nothing of ours: loaded, no indicator. */
static const char *const stix_empty[] = {
	"{\"type\": \"bundle\", \"objects\": []}",
	"{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": [1, \"x\", "
	    "null, {}, {\"type\": 3}]}",
	"{\"type\": \"bundle\", \"objects\": [{\"type\": \"malware\", \"id\": "
	    "\"malware--1\", \"name\": \"A\"}, {\"type\": \"relationship\", "
	    "\"relationship_type\": \"indicates\"}]}",
	"{\"type\": \"bundle\", \"objects\": [{\"type\": \"indicator\", "
	    "\"pattern\": \"[file:hashes.MD5 = 'domain-name:value']\"}]}",
	"{\"type\": \"bundle\", \"objects\": [{\"type\": \"indicator\", "
	    "\"pattern\": \"[x-domain-name:value = 1]\"}]}",
};

START_TEST(stix_no_indicators)
{
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	struct intel_load_opts o = { .lenient = 0, .warn = testfiles_collect,
	    .warn_ctx = &w };
	char err[640];

	ck_assert_msg(intel_load_buf(in, "b.json", stix_empty[_i],
	    strlen(stix_empty[_i]), &o, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(w.n, 0);
	ck_assert_uint_eq(intel_count_all(in), 0);
	intel_free(in);
}
END_TEST

#define STIX_HEAD "{\"type\": \"bundle\", \"objects\": [\n"

static const struct {
	const char *text, *msg;
} stix_bad[] = {
	{ STIX_HEAD "{\"type\": \"indicator\", \"pattern\": "
	  "\"[domain-name:value = ok.example]\"}]}",
	  ":2: objects[0]: pattern value not quoted" },
	{ STIX_HEAD "{\"type\": \"indicator\", \"pattern\": "
	  "\"[domain-name:value = 'ok.example']\"},\n{\"type\": \"indicator\", "
	  "\"pattern\": \"[domain-name:value LIKE '%.example']\"}]}",
	  ":3: objects[1]: pattern operator not read (only =)" },
	{ STIX_HEAD "\n{\"type\": \"indicator\", \"pattern\": "
	  "\"[ipv4-addr:value = '1.2.3.4]\"}]}",
	  ":3: objects[0]: unterminated pattern value" },
	{ STIX_HEAD "{\"type\": \"indicator\", \"pattern\": "
	  "\"[domain-name:value = 'ok.example']\"},\n\n{\"type\": "
	  "\"indicator\", \"pattern\": \"[domain-name:value = "
	  "'bad..example']\"}]}",
	  ":4: objects[1]: empty label in domain \"bad..example\"" },
	{ STIX_HEAD "{\"type\": \"indicator\",\n\"pattern\": "
	  "\"[ipv4-addr:value = 'c2.example']\"}]}",
	  ":3: objects[0]: bad IPv4 address \"c2.example\"" },
	{ STIX_HEAD "{\"type\": \"indicator\", \"pattern\": "
	  "\"[url:value = 'https:///x']\"}]}",
	  ":2: objects[0]: no host in url" },
	{ STIX_HEAD "{\"type\": \"malware\"},\n{\"type\": \"indicator\", "
	  "\"id\": \"indicator--9\"}]}",
	  ":3: objects[1]: indicator without a pattern" },
	{ "{\"type\": \"bundle\", \"objects\": [}",
	  ":1: JSON syntax error" },
	{ "{\"type\": \"bundle\", \"objects\": {}}",
	  ":1: JSON is none of TinyCheck IOCs ({\"iocs\": [...]}), a MISP "
	  "event or a STIX 2.1 bundle" },
};

START_TEST(stix_errors)
{
	load_fails("b.json", stix_bad[_i].text, strlen(stix_bad[_i].text),
	    stix_bad[_i].msg);
}
END_TEST

/* Every bad pattern at its own line, also after one whose value is bad. */
START_TEST(stix_error_lines)
{
	static const char text[] = STIX_HEAD
	    "{\"type\": \"indicator\", \"pattern\": "
	    "\"[domain-name:value = 'a..example']\"},\n"		/* 2 */
	    "{\"type\": \"indicator\", \"pattern\": "
	    "\"[domain-name:value = 'good.example']\"},\n"		/* 3 */
	    "{\"type\": \"indicator\", \"pattern\": "
	    "\"[domain-name:value = 'b..example' OR "
	    "ipv4-addr:value = '1.2.3']\"},\n"			/* 4 */
	    "{\"type\": \"indicator\", \"pattern\": "
	    "\"[domain-name:value = 'a..example']\"},\n"		/* 5 */
	    "{\"type\": \"indicator\", \"pattern\": "
	    "\"[domain-name:value MATCHES 'x']\"}\n]}\n";		/* 6 */
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	struct intel_load_opts o = { .lenient = 1, .warn = testfiles_collect,
	    .warn_ctx = &w };
	char err[640];

	ck_assert_int_eq(intel_load_buf(in, "l.json", text, strlen(text), &o,
	    err, sizeof(err)), 0);
	ck_assert_int_eq(w.n, 5);
	ck_assert_str_eq(w.first, "l.json:2: objects[0]: empty label in "
	    "domain \"a..example\"");
	ck_assert_str_eq(w.last, "l.json:6: objects[4]: pattern operator not "
	    "read (only =)");
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 1);
	intel_free(in);
}
END_TEST

/* Echap's bundle loads strictly, with its known counts. */
START_TEST(stix_upstream)
{
	const char *path = shared_file("stix_upstream",
	    "echap-stalkerware.stix2");
	struct intel *in;
	const struct intel_item *it;
	size_t skipped = 0;
	struct intel_load_opts o = { .lenient = 0, .skipped = &skipped };
	char err[640];

	if (path == NULL)
		return;
	in = intel_new();
	ck_assert_msg(intel_load_file(in, path, &o, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	/* 1447 domain patterns, 1300 distinct (one is an address); the
	 * 2910 file hashes, 590 app ids and 99 certificates are skipped */
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 1299);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 1);
	ck_assert_uint_eq(skipped, 2910 + 590 + 99);
	/* 137 malware objects, 118 of them with a domain indicator */
	ck_assert_uint_eq(intel_count_apps(in, INTEL_CAT_STALKERWARE), 118);
	it = dom(in, "a.thd.cc");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->app, "mSpy");
	ck_assert_int_eq(it->role_assumed, 1);
	ck_assert_str_eq(dom(in, "media-sync-a.copy9.com")->app,
	    "TheTruthSpy");
	ck_assert_ptr_null(dom(in, "evilthd.cc"));
	intel_free(in);
}
END_TEST

/* --- Suricata rules ----------------------------------------------------- */

static const char rules_doc[] =
    "# Suricata rules, as PiRogue loads Echap's\n"
    "alert dns $HOME_NET any -> any any (msg:\"PTS STALKERWARE mSpy "
    "(www[.]mspy[.]com)\"; metadata: type stalkerware; dns.query; "
    "content:\"www.mspy.com\"; depth:12; nocase; endswith; fast_pattern; "
    "sid:1; rev:1;)\n"
    "alert tls $HOME_NET any -> any any (msg:\"PTS STALKERWARE TheTruthSpy "
    "(copy9[.]com)\"; tls.sni; content:\"copy9.com\"; nocase; endswith; "
    "sid:2;)\n"
    "alert http $HOME_NET any -> any any (msg:\"PTS WATCHWARE FamiSafe "
    "(api[.]famisafe[.]com)\"; http.host; content:\"api.famisafe.com\"; "
    "startswith; endswith; sid:3;)\n"
    "alert dns any any -> any any (msg:\"old modifier\"; "
    "content:\"old.example\"; dns_query; sid:4;)\n"
    "alert dns any any -> any any (msg:\"old sticky\"; dns_query; "
    "content:\".sticky.example\"; endswith; sid:5;)\n"
    "alert http any any -> any any (msg:\"old host\"; "
    "content:\"Host.Example\"; http_host; sid:6;)\n"
    "alert ip $HOME_NET any -> [192.0.2.1,198.51.100.0/24] any (msg:\"PTS "
    "STALKERWARE 192[.]0[.]2[.]1 (stalkerware)\"; metadata: type "
    "Hoverwatch; classtype:targeted-activity; sid:7; rev:1;)\n"
    "alert ip any any -> 203.0.113.7 any (msg:\"single\"; sid:8;)\n"
    "\t  \n"
    "# alert dns any any -> any any (msg:\"off\"; dns.query; "
    "content:\"disabled.example\"; sid:9;)\n"
    "  #alert ip any any -> [192.0.2.99] any (msg:\"off\"; sid:10;)\n"
    /* skipped: not ours */
    "alert dns any any -> any any (msg:\"hex\"; dns.query; "
    "content:\"|03|abc|07|example\"; sid:11;)\n"
    "alert dns any any -> any any (msg:\"two\"; dns.query; "
    "content:\"a.example\"; content:\"b.example\"; sid:12;)\n"
    "alert tcp any any -> any 80 (msg:\"payload\"; content:\"evil.example\";"
    " sid:13;)\n"
    "alert tls any any -> any any (msg:\"sticky after\"; "
    "content:\"after.example\"; tls.sni; sid:14;)\n"
    "pass dns any any -> any any (msg:\"pass\"; dns.query; "
    "content:\"allowed.example\"; sid:15;)\n"
    "alert ip any any -> $EXTERNAL_NET any (msg:\"var\"; sid:16;)\n"
    "alert ip any any -> [192.0.2.50,!192.0.2.51] any (msg:\"neg\"; "
    "sid:17;)\n"
    "alert ip any any -> [10.0.0.0/8,$HOME_NET] any (msg:\"var2\"; sid:18;)\n"
    "alert dns any any -> any any (msg:\"addr\"; dns.query; "
    "content:\"192.0.2.88\"; sid:19;)\n"
    "alert dns any any -> any any (msg:\"no name\"; dns.query; "
    "content:\"not a name\"; sid:20;)\n"
    "alert ip any any -> any any (msg:\"any\"; sid:21;)\n"
    "drop dns any any -> any any (msg:\"PTS STALKERWARE Spy Phone App "
    "(x[.]example)\"; dns.query; content:\"spyphone.example\"; sid:22;)\n";

START_TEST(rules_items)
{
	size_t skipped = 0, i;
	struct intel *in = set_of("pts.rules", rules_doc, &skipped);
	const struct intel_item *it;

	ck_assert_uint_eq(skipped, 11);
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 7);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 2);
	ck_assert_uint_eq(intel_count(in, INTEL_SUBNET), 1);
	for (i = 0; i < intel_count_all(in); i++) {
		it = intel_item_at(in, i);
		ck_assert_int_eq(it->role_assumed, 1);
		ck_assert_int_eq(it->role, INTEL_ROLE_C2);
		ck_assert_str_eq(it->source, "pts.rules");
		ck_assert_ptr_nonnull(it->desc);
	}
	/* dns.query, endswith: the name and those under it */
	it = dom(in, "www.mspy.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->app, "mSpy");
	ck_assert_str_eq(it->desc, "PTS STALKERWARE mSpy (www[.]mspy[.]com)");
	ck_assert_int_eq(it->category, INTEL_CAT_STALKERWARE);
	ck_assert_ptr_nonnull(dom(in, "x.www.mspy.com"));
	ck_assert_ptr_null(dom(in, "mspy.com"));
	/* tls.sni */
	ck_assert_str_eq(dom(in, "media.copy9.com")->app, "TheTruthSpy");
	/* http.host, startswith and endswith: exact; WATCHWARE in msg */
	it = dom(in, "api.famisafe.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->app, "FamiSafe");
	ck_assert_int_eq(it->category, INTEL_CAT_WATCHWARE);
	ck_assert_int_eq(it->subdomains, 0);
	ck_assert_ptr_null(dom(in, "x.api.famisafe.com"));
	/* the older keywords, as modifiers after the content and sticky
	 * before it; a leading dot is dropped */
	it = dom(in, "old.example");
	ck_assert_ptr_nonnull(it);
	ck_assert_ptr_null(it->app);
	ck_assert_str_eq(it->desc, "old modifier");
	ck_assert_str_eq(dom(in, "a.sticky.example")->indicator,
	    "sticky.example");
	ck_assert_str_eq(dom(in, "host.example")->desc, "old host");
	/* ip rules: every address of the list, the app from metadata */
	it = match(in, "192.0.2.1");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->app, "Hoverwatch");
	ck_assert_str_eq(match(in, "198.51.100.9")->app, "Hoverwatch");
	it = match(in, "203.0.113.7");
	ck_assert_ptr_nonnull(it);
	ck_assert_ptr_null(it->app);
	/* the app from msg, a drop rule */
	ck_assert_str_eq(dom(in, "spyphone.example")->app, "Spy Phone App");
	/* comments, and the skipped rules, give nothing */
	ck_assert_ptr_null(dom(in, "disabled.example"));
	ck_assert_ptr_null(match(in, "192.0.2.99"));
	ck_assert_ptr_null(dom(in, "abc.example"));
	ck_assert_ptr_null(dom(in, "a.example"));
	ck_assert_ptr_null(dom(in, "b.example"));
	ck_assert_ptr_null(dom(in, "evil.example"));
	ck_assert_ptr_null(dom(in, "after.example"));
	ck_assert_ptr_null(dom(in, "allowed.example"));
	ck_assert_ptr_null(match(in, "192.0.2.50"));
	ck_assert_ptr_null(match(in, "10.1.2.3"));
	ck_assert_ptr_null(match(in, "192.0.2.88"));
	intel_free(in);
}
END_TEST

#define RULE_OK "alert dns any any -> any any (msg:\"x\"; dns.query; " \
	"content:\"ok.example\"; sid:1;)\n"

static const struct {
	const char *text, *msg;
} rules_bad[] = {
	{ RULE_OK "this is not a rule\n",
	  ":2: not a Suricata rule (action proto src port -> dst port "
	  "(options))" },
	{ RULE_OK "\n# comment\nalert dns any any -> any any msg:\"x\";\n",
	  ":4: not a Suricata rule (action proto src port -> dst port "
	  "(options))" },
	{ RULE_OK "alert dns any any -> any any (msg:\"open; sid:2;)\n",
	  ":2: unterminated quote in rule option" },
	{ RULE_OK "alert dns any any -> any any (msg:\"x\"; dns.query; "
	  "content:\"a.example\"; sid:2;\n",
	  ":2: rule options not closed by ')'" },
	{ RULE_OK "alert dns any any -> any any (msg:\"x\" sid:2;)\n",
	  ":2: rule option without ';'" },
	{ RULE_OK "alert dns any any -> any (msg:\"x\"; sid:2;)\n",
	  ":2: rule header has fewer than 7 fields" },
	{ RULE_OK "alert ip any any -> [192.0.2.1,192.0.2.256] any "
	  "(msg:\"x\"; sid:2;)\n",
	  ":2: bad IPv4 address \"192.0.2.256\"" },
	{ RULE_OK "alert ip any any -> [192.0.2.0/33] any (msg:\"x\";)\n",
	  ":2: prefix length 33 out of range for IPv4" },
};

START_TEST(rules_errors)
{
	load_fails("e.rules", rules_bad[_i].text, strlen(rules_bad[_i].text),
	    rules_bad[_i].msg);
}
END_TEST

/* A bad address in an ip rule adds none of the rule, even leniently. */
START_TEST(rules_lenient)
{
	static const char text[] = RULE_OK
	    "alert ip any any -> [192.0.2.1,192.0.2.256] any (msg:\"x\";)\n"
	    "junk\n"
	    "alert ip any any -> [192.0.2.2] any (msg:\"x\";)\n";
	struct intel *in = intel_new();
	struct testfiles_warns w = { 0 };
	size_t skipped = 0;
	struct intel_load_opts o = { .lenient = 1, .warn = testfiles_collect,
	    .warn_ctx = &w, .skipped = &skipped };
	char err[640];

	ck_assert_int_eq(intel_load_buf(in, "l.rules", text, strlen(text), &o,
	    err, sizeof(err)), 0);
	ck_assert_int_eq(w.n, 2);
	ck_assert_str_eq(w.last, "l.rules:3: not a Suricata rule (action "
	    "proto src port -> dst port (options))");
	ck_assert_uint_eq(skipped, 0);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(dom(in, "ok.example"));
	ck_assert_ptr_null(match(in, "192.0.2.1"));
	ck_assert_ptr_nonnull(match(in, "192.0.2.2"));
	intel_free(in);
}
END_TEST

/* Echap's rules load strictly: every rule is ours. */
START_TEST(rules_upstream)
{
	const char *path = shared_file("rules_upstream",
	    "echap-suricata.rules");
	struct intel *in;
	const struct intel_item *it;
	size_t skipped = 0;
	struct intel_load_opts o = { .lenient = 0, .skipped = &skipped };
	char err[640];

	if (path == NULL)
		return;
	in = intel_new();
	ck_assert_msg(intel_load_file(in, path, &o, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_uint_eq(skipped, 0);
	/* 925 dns.query rules and 65 ip rules, one indicator each */
	ck_assert_uint_eq(intel_count(in, INTEL_DOMAIN), 925);
	ck_assert_uint_eq(intel_count(in, INTEL_ADDR), 65);
	ck_assert_uint_eq(intel_count(in, INTEL_SUBNET), 0);
	it = dom(in, "x.media-sync-a.copy9.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->app, "TheTruthSpy");
	ck_assert_str_eq(dom(in, "a.thd.cc")->app, "mSpy");
	it = match(in, "69.64.74.239");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->app, "TheTruthSpy");
	ck_assert_int_eq(it->role_assumed, 1);
	intel_free(in);
}
END_TEST

/* --- the three together ------------------------------------------------- */

/* A directory of the three formats and a shared platforms list: each file
 * is read by its reader, the platforms apply to all. */
START_TEST(readers_in_dir)
{
	struct intel *in = intel_new();
	size_t files = 0, skipped = 0;
	struct intel_load_opts o = { .lenient = 0, .files = &files,
	    .skipped = &skipped };
	const struct intel_item *it;
	char err[640];

	testfiles_put("ioc.yaml", "- name: Y\n  c2:\n    domains: [y.example, "
	    "p-1.firebaseio.com]\n", -1);
	testfiles_put("b.stix2", "{\"type\": \"bundle\", \"objects\": [{\"type\": "
	    "\"indicator\", \"pattern\": \"[domain-name:value = "
	    "'p-2.firebaseio.com']\"}, {\"type\": \"indicator\", "
	    "\"pattern\": \"[domain-name:value = 's.example']\"}]}\n", -1);
	testfiles_put("pts.rules", "alert dns any any -> any any (msg:\"PTS "
	    "STALKERWARE R (r[.]example)\"; dns.query; content:\"r.example\"; "
	    "endswith; sid:1;)\n", -1);
	testfiles_put("shared-platforms.txt", "# platforms\nfirebaseio.com\n", -1);
	ck_assert_msg(intel_load_dir(in, testfiles_dir, &o, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_int_eq(intel_finalize(in, err, sizeof(err)), 0);
	ck_assert_uint_eq(files, 4);
	ck_assert_uint_eq(skipped, 0);
	ck_assert_uint_eq(intel_count_platforms(in), 1);
	ck_assert_int_eq(dom(in, "a.y.example")->role_assumed, 0);
	ck_assert_int_eq(dom(in, "a.s.example")->role_assumed, 1);
	ck_assert_str_eq(dom(in, "a.r.example")->app, "R");
	it = dom(in, "p-1.firebaseio.com");
	ck_assert_ptr_nonnull(it);
	ck_assert_int_eq(it->platform, 1);
	ck_assert_ptr_nonnull(dom(in, "p-2.firebaseio.com"));
	ck_assert_ptr_null(dom(in, "x.p-1.firebaseio.com"));
	ck_assert_ptr_null(dom(in, "x.p-2.firebaseio.com"));
	intel_free(in);
}
END_TEST

/* --- every prefix of a document ----------------------------------------- */

static const struct {
	const char *path, *text;
} trunc_docs[] = {
	{ "t.yaml",
	  "- name: \"Spy App\"\n"
	  "  type: stalkerware\n"
	  "  websites: [spy.example, 'www.spy.example']\n"
	  "  distribution:\n"
	  "  - dl.spy.example\n"
	  "  - https://github.com/spy/apk\n"
	  "  c2:\n"
	  "    ips:\n"
	  "    - 192.0.2.1\n"
	  "    - 2001:db8::/32\n"
	  "    domains:\n"
	  "    - api.spy.example\n"
	  "- &w\n"
	  "  name: Watch\n"
	  "  type: watchware\n"
	  "  c2: {ip: [198.51.100.7], domains: [w.example]}\n"
	  "- *w\n"
	  "---\n"
	  "- name: Two\n"
	  "  websites: |-\n"
	  "    two.example\n" },
	{ "t.json",
	  "{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": [\n"
	  " {\"type\": \"malware\", \"id\": \"malware--1\", \"name\": "
	  "\"Spy\"},\n"
	  " {\"type\": \"indicator\", \"id\": \"indicator--1\", \"pattern\": "
	  "\"[domain-name:value = 'c2.example' OR ipv4-addr:value = "
	  "'192.0.2.1']\", \"pattern_type\": \"stix\"},\n"
	  " {\"type\": \"relationship\", \"relationship_type\": \"indicates\", "
	  "\"source_ref\": \"indicator--1\", \"target_ref\": \"malware--1\"},\n"
	  " {\"type\": \"indicator\", \"id\": \"indicator--2\", \"pattern\": "
	  "\"[url:value = 'https://u.example/x']\"},\n"
	  " {\"type\": \"indicator\", \"id\": \"indicator--3\", \"pattern\": "
	  "\"[file:hashes.'SHA-256' = 'aa']\"}\n"
	  "]}\n" },
	{ "t.rules",
	  "# rules\n"
	  "alert dns $HOME_NET any -> any any (msg:\"PTS STALKERWARE mSpy "
	  "(a[.]thd[.]cc)\"; metadata: type stalkerware; dns.query; "
	  "content:\"a.thd.cc\"; depth:8; nocase; endswith; sid:1;)\n"
	  "alert ip $HOME_NET any -> [192.0.2.1,192.0.2.2] any (msg:\"x\"; "
	  "metadata: type TheTruthSpy; sid:2;)\n"
	  "alert tls any any -> any any (msg:\"t\\\"q\\;\"; tls.sni; "
	  "content:\"s.example\"; startswith; endswith; sid:3;)\n"
	  "alert http any any -> any any (content:\"h.example\"; "
	  "http_host;)\n" },
};

/* "path:N: ..." on one line. */
static void
check_msg(const char *path, const char *msg)
{
	size_t n = strlen(path), d;

	ck_assert_msg(strncmp(msg, path, n) == 0 && msg[n] == ':', "%s", msg);
	d = strspn(msg + n + 1, "0123456789");
	ck_assert_msg(d > 0 && msg[n + 1 + d] == ':', "%s", msg);
	ck_assert_ptr_null(strchr(msg, '\n'));
	ck_assert_ptr_null(strchr(msg, '\r'));
}

START_TEST(truncated)
{
	const char *path = trunc_docs[_i].path, *text = trunc_docs[_i].text;
	size_t n = strlen(text), len, nstrict = 0;
	struct testfiles_warns w = { 0 };
	struct intel_load_opts strict = { .lenient = 0, .warn = testfiles_collect,
	    .warn_ctx = &w };
	struct intel_load_opts lenient = { .lenient = 1 };
	struct intel *st, *le;
	char *buf, err[640];
	int rc;

	for (len = 0; len <= n; len++) {
		/* an exactly sized copy: a read past it is caught by ASan */
		buf = malloc(len > 0 ? len : 1);
		ck_assert_ptr_nonnull(buf);
		memcpy(buf, text, len);
		st = intel_new();
		le = intel_new();
		w.n = 0;
		rc = intel_load_buf(st, path, buf, len, &strict, err,
		    sizeof(err));
		ck_assert_msg(rc == 0 || rc == -1, "%zu: %d", len, rc);
		if (rc == -1) {
			check_msg(path, err);
			check_msg(path, w.first);
			check_msg(path, w.last);
			ck_assert_uint_eq(intel_count_all(st), 0);
			nstrict++;
		} else
			ck_assert_int_eq(w.n, 0);
		ck_assert_int_eq(intel_load_buf(le, path, buf, len, &lenient,
		    err, sizeof(err)), 0);
		ck_assert_int_eq(intel_finalize(le, err, sizeof(err)), 0);
		ck_assert_int_eq(intel_finalize(st, err, sizeof(err)), 0);
		if (rc == 0)
			ck_assert_uint_eq(intel_count_all(st),
			    intel_count_all(le));
		intel_free(st);
		intel_free(le);
		free(buf);
	}
	/* the whole document is good, and many prefixes are not */
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_gt(nstrict, n / 4);
}
END_TEST

Suite *
intel_readers_suite(void)
{
	Suite *s = suite_create("intel_readers");
	TCase *tc = tcase_create("intel_readers");

	tcase_add_checked_fixture(tc, testfiles_setup,
	    testfiles_teardown);
	tcase_add_test(tc, yaml_items);
	tcase_add_test(tc, yaml_policy);
	tcase_add_loop_test(tc, yaml_stalkerware_wins, 0, 2);
	tcase_add_loop_test(tc, yaml_no_indicators, 0,
	    (int)(sizeof(yaml_empty) / sizeof(yaml_empty[0])));
	tcase_add_test(tc, yaml_streams);
	tcase_add_loop_test(tc, yaml_errors, 0,
	    (int)(sizeof(yaml_bad) / sizeof(yaml_bad[0])));
	tcase_add_test(tc, yaml_lenient_strict);
	tcase_add_test(tc, yaml_alias_bomb);
	tcase_add_test(tc, yaml_bundled);
	tcase_add_test(tc, stix_items);
	tcase_add_test(tc, stix_role_assumed);
	tcase_add_loop_test(tc, stix_no_indicators, 0,
	    (int)(sizeof(stix_empty) / sizeof(stix_empty[0])));
	tcase_add_loop_test(tc, stix_errors, 0,
	    (int)(sizeof(stix_bad) / sizeof(stix_bad[0])));
	tcase_add_test(tc, stix_error_lines);
	tcase_add_test(tc, stix_upstream);
	tcase_add_test(tc, rules_items);
	tcase_add_loop_test(tc, rules_errors, 0,
	    (int)(sizeof(rules_bad) / sizeof(rules_bad[0])));
	tcase_add_test(tc, rules_lenient);
	tcase_add_test(tc, rules_upstream);
	tcase_add_test(tc, readers_in_dir);
	tcase_add_loop_test(tc, truncated, 0,
	    (int)(sizeof(trunc_docs) / sizeof(trunc_docs[0])));
	suite_add_tcase(s, tc);
	return s;
}
