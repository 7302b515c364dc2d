/*
 * intel_load.c - loading indicator files into a set: a file is read
 * whole (capped at SW_INTEL_MAX_FILE), its format told from its name and
 * content, and its bytes handed to one document reader (intel_reader.h):
 * YAML (Echap ioc.yaml / watchware.yaml), JSON (TinyCheck, MISP, STIX
 * 2.1) or lines (Zeek Intel, Echap CSV, hosts, Suricata rules, plain
 * lists).  This file owns what every format shares: "file:line: reason"
 * messages, lenient mode, the roll-back of a file that fails, and the
 * counts of what was read.  Its central structure is struct intel_load,
 * the state of one file's load.
 */
#include "intel_load.h"
#include "intel_reader.h"
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct intel_load {
	struct intel *in;
	const char *path, *base;
	const struct intel_load_opts *opts;
	char *errbuf;
	size_t errlen;
	struct intel_mark mark;	/* the set before this file */
	int bad;
	int platforms;		/* reading a shared-platforms list */
};

static void
seterr(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errbuf == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

/* --- what readers call --------------------------------------------------- */

/*
 * Hand one record to the set.  A single-label name ("localhost", a TLD)
 * never covers names under it: "com" must not match the whole Internet.
 */
int
intel_emit(struct intel_load *ld, struct intel_rec *r, char *why,
    size_t whylen)
{
	struct intel_item it;
	char q[128];

	if (r->type == INTEL_DOMAIN && strchr(r->text, '.') == NULL)
		r->subdomains = 0;
	if (ld->platforms) {
		if (r->type != INTEL_DOMAIN) {
			intel_quote(q, sizeof(q), r->text, strlen(r->text));
			snprintf(why, whylen, "shared platform %s is not a "
			    "domain name", q);
			return -1;
		}
		return intel_add_platform(ld->in, r->text, why, whylen);
	}
	memset(&it, 0, sizeof(it));
	it.indicator = r->text;
	it.type = r->type;
	it.zeek_type = (char *)(r->zeek_type != NULL ? r->zeek_type :
	    r->type == INTEL_ADDR ? "Intel::ADDR" : r->type == INTEL_SUBNET ?
	    "Intel::SUBNET" : r->type == INTEL_DOMAIN ? "Intel::DOMAIN" :
	    "Intel::URL");
	it.source = (char *)r->source;
	it.desc = (char *)r->desc;
	it.app = (char *)r->app;
	it.role = r->role;
	it.category = r->category;
	it.role_assumed = r->role_assumed != 0;
	memcpy(it.addr, r->addr, sizeof(it.addr));
	it.prefix = r->prefix;
	it.port = r->port;
	it.subdomains = r->type == INTEL_DOMAIN && r->subdomains;
	return intel_add(ld->in, &it, ld->base, why, whylen);
}

/* One bad line or item: to opts->warn, and the first into errbuf. */
void
intel_report(struct intel_load *ld, size_t lineno, const char *why)
{
	char msg[640];

	snprintf(msg, sizeof(msg), "%s:%zu: %s", ld->path, lineno, why);
	if (ld->opts != NULL && ld->opts->warn != NULL)
		ld->opts->warn(ld->opts->warn_ctx, msg);
	if (ld->opts != NULL && ld->opts->bad != NULL)
		(*ld->opts->bad)++;
	if (!ld->bad)
		seterr(ld->errbuf, ld->errlen, "%s", msg);
	ld->bad = 1;
}

void
intel_skipped(struct intel_load *ld)
{
	if (ld->opts != NULL && ld->opts->skipped != NULL)
		(*ld->opts->skipped)++;
}

int
intel_load_platforms_mode(const struct intel_load *ld)
{
	return ld->platforms;
}

const char *
intel_load_path(const struct intel_load *ld)
{
	return ld->path;
}

size_t
intel_line_at(const char *buf, const char *at)
{
	size_t n = 1;

	for (; buf < at; buf++)
		n += *buf == '\n';
	return n;
}

/* --- reading a file ------------------------------------------------------ */

/*
 * Read a whole file, refusing more than SW_INTEL_MAX_FILE bytes.  The
 * buffer gets a NUL after the data (the data may hold NULs of its own).
 */
static int
read_all(const char *path, char **bufp, size_t *lenp, char *errbuf,
    size_t errlen)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t got;
	int fd;
	struct stat st;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		seterr(errbuf, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0)
		st.st_mode = 0; /* read as a stream */
	if (S_ISDIR(st.st_mode)) {
		seterr(errbuf, errlen, "%s: %s", path, strerror(EISDIR));
		close(fd);
		return -1;
	}
	/* a regular file's size, and one read: the doubling from 8 KiB
	 * copied a large list ten times over */
	if (S_ISREG(st.st_mode) && st.st_size >= 0 &&
	    (uint64_t)st.st_size <= SW_INTEL_MAX_FILE) {
		cap = (size_t)st.st_size + 2;
		if ((buf = malloc(cap)) == NULL) {
			seterr(errbuf, errlen, "%s: out of memory", path);
			close(fd);
			return -1;
		}
	}
	for (;;) {
		if (cap - len < 2) {
			cap = cap ? cap * 2 : 8192;
			if (cap > SW_INTEL_MAX_FILE + 2)
				cap = SW_INTEL_MAX_FILE + 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				seterr(errbuf, errlen, "%s: out of memory",
				    path);
				goto fail;
			}
			buf = nb;
		}
		got = read(fd, buf + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			seterr(errbuf, errlen, "%s: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		len += (size_t)got;
		if (len > SW_INTEL_MAX_FILE) {
			seterr(errbuf, errlen, "%s: larger than %u bytes",
			    path, (unsigned)SW_INTEL_MAX_FILE);
			goto fail;
		}
	}
	close(fd);
	if (buf == NULL && (buf = malloc(1)) == NULL) {
		seterr(errbuf, errlen, "%s: out of memory", path);
		return -1;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	close(fd);
	free(buf);
	return -1;
}

static int
ends_with(const char *s, size_t n, const char *suf)
{
	size_t e = strlen(suf);

	return n > e && strcmp(s + n - e, suf) == 0;
}

/* Which document reader: by extension, then by the first byte. */
enum doc_kind { DOC_TEXT, DOC_JSON, DOC_YAML };

static enum doc_kind
detect(const char *path, const char *p, const char *end)
{
	size_t n = strlen(path);

	if (ends_with(path, n, ".yaml") || ends_with(path, n, ".yml"))
		return DOC_YAML;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	if (p < end && (*p == '{' || *p == '['))
		return DOC_JSON;
	/* a YAML document marker, or Echap's "- name:" list of apps */
	if ((end - p >= 3 && memcmp(p, "---", 3) == 0 && (end - p == 3 ||
	    p[3] == '\n' || p[3] == '\r' || p[3] == ' ')) ||
	    (end - p >= 8 && memcmp(p, "- name:", 7) == 0))
		return DOC_YAML;
	return DOC_TEXT;
}

/*
 * Add the indicators of one file's bytes.  `path` names the file in
 * messages; the item source defaults to its base name.  A bad line goes
 * to opts->warn; unless lenient, every line is still checked (so the
 * operator sees every problem at once), then the file's indicators are
 * taken back and the first problem is returned.
 */
static int
load_buf(struct intel *in, const char *path, char *buf, size_t len,
    const struct intel_load_opts *opts, int platforms, char *errbuf,
    size_t errlen)
{
	struct intel_load ld;
	const char *base = strrchr(path, '/');
	char *p = buf;
	int rc = 0;

	memset(&ld, 0, sizeof(ld));
	ld.in = in;
	ld.path = path;
	ld.base = base != NULL && base[1] != '\0' ? base + 1 : path;
	ld.opts = opts;
	ld.errbuf = errbuf;
	ld.errlen = errlen;
	ld.platforms = platforms;
	intel_mark(in, &ld.mark);
	if (opts != NULL && opts->files != NULL)
		(*opts->files)++;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p += 3;		/* UTF-8 byte order mark */
	len -= (size_t)(p - buf);
	switch (platforms ? DOC_TEXT : detect(path, p, p + len)) {
	case DOC_JSON:
		if ((rc = intel_json_read(&ld, p, len)) == -1)
			intel_report(&ld, 1, "JSON is none of TinyCheck IOCs "
			    "({\"iocs\": [...]}), a MISP event or a STIX 2.1 "
			    "bundle");
		break;
	case DOC_YAML:
		if ((rc = intel_yaml_read(&ld, p, len)) == -1)
			intel_report(&ld, 1, "YAML is not a list of apps "
			    "(Echap ioc.yaml or watchware.yaml)");
		break;
	case DOC_TEXT:
		rc = intel_text_read(&ld, p, len);
		break;
	}
	if (rc == -2 || (ld.bad && (opts == NULL || !opts->lenient))) {
		intel_rollback(in, &ld.mark);
		return -1;
	}
	return 0;
}

static int
load_path(struct intel *in, const char *path,
    const struct intel_load_opts *opts, int platforms, char *errbuf,
    size_t errlen)
{
	char *buf;
	size_t len;
	int rc;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (in == NULL || path == NULL) {
		seterr(errbuf, errlen, "intel_load_file: no set or no path");
		return -1;
	}
	if (read_all(path, &buf, &len, errbuf, errlen) != 0)
		return -1;
	rc = load_buf(in, path, buf, len, opts, platforms, errbuf, errlen);
	free(buf);
	return rc;
}

int
intel_load_buf(struct intel *in, const char *path, const char *data,
    size_t len, const struct intel_load_opts *opts, char *errbuf,
    size_t errlen)
{
	const char *base;
	char *buf;
	int rc;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (in == NULL || path == NULL || (data == NULL && len > 0)) {
		seterr(errbuf, errlen, "intel_load_buf: no set or no path");
		return -1;
	}
	if ((buf = malloc(len + 1)) == NULL) {
		seterr(errbuf, errlen, "%s: out of memory", path);
		return -1;
	}
	if (len > 0)
		memcpy(buf, data, len);
	buf[len] = '\0';
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	rc = load_buf(in, path, buf, len, opts, strncmp(base,
	    "shared-platforms", 16) == 0, errbuf, errlen);
	free(buf);
	return rc;
}

static int
is_platform_file(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	return strncmp(base, "shared-platforms", 16) == 0;
}

int
intel_load_file(struct intel *in, const char *path,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen)
{
	return load_path(in, path, opts, path != NULL &&
	    is_platform_file(path), errbuf, errlen);
}

int
intel_load_platforms(struct intel *in, const char *path,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen)
{
	return load_path(in, path, opts, 1, errbuf, errlen);
}

static int
dir_wanted(const struct dirent *d)
{
	static const char *const ext[] = { ".txt", ".intel", ".dat", ".csv",
	    ".json", ".yaml", ".yml", ".stix2", ".rules", "-hosts", "_hosts",
	    ".hosts" };
	const char *name = d->d_name;
	size_t n = strlen(name), i;

	if (name[0] == '.' || strncmp(name, "known-good", 10) == 0 ||
	    strncmp(name, "README", 6) == 0)
		return 0;
	if (strcmp(name, "hosts") == 0 || strncmp(name, "hosts.", 6) == 0)
		return 1;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (ends_with(name, n, ext[i]))
			return 1;
	return 0;
}

/* Byte order, not the locale's: the same files load in the same order. */
static int
dir_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int
intel_load_dir(struct intel *in, const char *dir,
    const struct intel_load_opts *opts, char *errbuf, size_t errlen)
{
	struct dirent **names = NULL;
	struct stat st;
	char path[PATH_MAX];
	int n, i, rc = 0;

	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (in == NULL || dir == NULL) {
		seterr(errbuf, errlen, "intel_load_dir: no set or no dir");
		return -1;
	}
	if ((n = scandir(dir, &names, dir_wanted, dir_cmp)) < 0) {
		seterr(errbuf, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (rc == 0) {
			if (snprintf(path, sizeof(path), "%s/%s", dir,
			    names[i]->d_name) >= (int)sizeof(path)) {
				seterr(errbuf, errlen, "%s/%s: path too long",
				    dir, names[i]->d_name);
				rc = -1;
			} else if (stat(path, &st) == 0 &&
			    !S_ISREG(st.st_mode)) {
				/* a directory named x.txt is not a list */
			} else
				rc = intel_load_file(in, path, opts, errbuf,
				    errlen);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

