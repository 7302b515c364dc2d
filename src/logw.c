/*
 * logw.c - one log file (or standard output), one write(2) per line, or
 * per buffer of whole lines.
 *
 * struct logw holds the descriptor, the path it was opened by, and the
 * (device, inode) it had, so that a rotation that moves the file away can
 * be noticed with one stat(2) and answered with a reopen; and, for a
 * buffered log, the whole lines not yet written.
 */
#include "logw.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

struct logw {
	int fd;
	int is_stdout;
	char *path;
	dev_t dev;
	ino_t ino;
	char *buf; /* whole lines waiting (buffered logs) */
	size_t buf_len, buf_cap;
	uint64_t buf_lines; /* lines in buf */
	uint64_t lost;	    /* lines that could not be written */
	int torn;	    /* the file ends in part of a line */
};

static int logw_reopen(struct logw *w);

static int
open_path(struct logw *w, char *errbuf, size_t errlen)
{
	struct stat st;
	int fd;

	fd = open(w->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		if (errbuf != NULL)
			snprintf(errbuf, errlen, "%s: cannot open for writing: %s",
			    w->path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (errbuf != NULL)
			snprintf(errbuf, errlen, "%s: not a regular file",
			    w->path);
		close(fd);
		return -1;
	}
	w->fd = fd;
	w->dev = st.st_dev;
	w->ino = st.st_ino;
	return 0;
}

struct logw *
logw_open(const char *dir, const char *name, char *errbuf, size_t errlen)
{
	struct logw *w;
	size_t n;

	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	if (strcmp(dir, "-") == 0) {
		w->fd = STDOUT_FILENO;
		w->is_stdout = 1;
		return w;
	}
	n = strlen(dir) + 1 + strlen(name) + 1;
	w->path = malloc(n);
	if (w->path == NULL) {
		free(w);
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	snprintf(w->path, n, "%s/%s", dir, name);
	if (open_path(w, errbuf, errlen) != 0) {
		free(w->path);
		free(w);
		return NULL;
	}
	return w;
}

int
logw_set_buffer(struct logw *w, size_t cap)
{
	/* standard output stays line by line: a pipe's reader wants each
	 * record now, in the order of every log sharing the stream */
	if (cap == 0 || w->buf != NULL || w->is_stdout)
		return 0;
	if ((w->buf = malloc(cap)) == NULL)
		return -1;
	w->buf_cap = cap;
	w->buf_len = 0;
	return 0;
}

void
logw_close(struct logw *w)
{
	if (w == NULL)
		return;
	(void)logw_flush(w);
	free(w->buf);
	if (!w->is_stdout && w->fd >= 0)
		close(w->fd);
	free(w->path);
	free(w);
}

/*
 * iov[0..2) in full, retrying EINTR and short writes; *done, when not
 * NULL, says how many bytes went out.  A write that fails part way
 * leaves the file ending in part of a line: `torn` is set, and the next
 * write that succeeds first ends that line, so that what follows is
 * whole lines again and never merges into the broken one.
 */
static int
write_all(struct logw *w, struct iovec iov[2], size_t *donep)
{
	ssize_t n;
	size_t total, done;

	if (w->torn) {
		do
			n = write(w->fd, "\n", 1);
		while (n < 0 && errno == EINTR);
		if (n != 1)
			return -1;
		w->torn = 0;
	}
	total = iov[0].iov_len + iov[1].iov_len;
	done = 0;
	if (donep != NULL)
		*donep = 0;
	for (;;) {
		n = writev(w->fd, iov, iov[1].iov_len != 0 ? 2 : 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (done > 0)
				w->torn = 1;
			return -1;
		}
		if (donep != NULL)
			*donep += (size_t)n;
		done += (size_t)n;
		if (done >= total)
			break;
		/* short write (pipe, full disk): finish the rest */
		if ((size_t)n < iov[0].iov_len) {
			iov[0].iov_base = (char *)iov[0].iov_base + n;
			iov[0].iov_len -= (size_t)n;
		} else {
			n -= (ssize_t)iov[0].iov_len;
			iov[0].iov_len = 0;
			iov[1].iov_base = (char *)iov[1].iov_base + n;
			iov[1].iov_len -= (size_t)n;
		}
	}
	return 0;
}

int
logw_flush(struct logw *w)
{
	struct iovec iov[2];
	size_t done = 0, i, whole = 0;
	int rc;

	if (w->buf_len == 0)
		return 0;
	rc = -1;
	if (w->fd >= 0 || logw_reopen(w) >= 0) {
		iov[0].iov_base = w->buf;
		iov[0].iov_len = w->buf_len;
		iov[1].iov_base = NULL;
		iov[1].iov_len = 0;
		rc = write_all(w, iov, &done);
	}
	/* written, or lost and counted: a failing disk does not hold the
	 * lines back for a later retry; the lines that went out whole
	 * before the failure are not lost */
	if (rc != 0) {
		for (i = 0; i < done && i < w->buf_len; i++)
			whole += w->buf[i] == '\n';
		w->lost += w->buf_lines - whole;
	}
	w->buf_len = 0;
	w->buf_lines = 0;
	return rc;
}

int
logw_write(struct logw *w, const char *line, size_t len)
{
	struct iovec iov[2];

	if (w->buf != NULL && len < w->buf_cap) {
		/* buffered: whole lines only, so a write never splits one; a
		 * failed flush is counted and empties the buffer, so the line
		 * still waits for the next */
		if (len + 1 > w->buf_cap - w->buf_len)
			(void)logw_flush(w);
		memcpy(w->buf + w->buf_len, line, len);
		w->buf[w->buf_len + len] = '\n';
		w->buf_len += len + 1;
		w->buf_lines++;
		return 0;
	}
	/* a line longer than the buffer: what is buffered goes first (a
	 * failed flush is counted there, and the line is still written) */
	if (w->buf != NULL)
		(void)logw_flush(w);
	if (w->fd < 0 && logw_reopen(w) < 0)
		return -1;
	/* one writev: the line and its newline reach the file together */
	iov[0].iov_base = (void *)(uintptr_t)line;
	iov[0].iov_len = len;
	iov[1].iov_base = (void *)(uintptr_t) "\n";
	iov[1].iov_len = 1;
	return write_all(w, iov, NULL);
}

uint64_t
logw_lost(const struct logw *w)
{
	return w->lost;
}

/* Close (when open) and open the path again; 1, or -1. */
static int
logw_reopen(struct logw *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->torn = 0; /* a new file starts clean */
	if (open_path(w, NULL, 0) != 0)
		return -1;
	return 1;
}

int
logw_check_rotation(struct logw *w)
{
	struct stat st;

	if (w->is_stdout)
		return 0;
	if (w->fd >= 0 && stat(w->path, &st) == 0 && st.st_dev == w->dev &&
	    st.st_ino == w->ino)
		return 0;
	/* moved away or removed: what is buffered belongs to the old file
	 * (it was written before the move); then a new file under the same
	 * name */
	if (w->fd >= 0)
		(void)logw_flush(w);
	return logw_reopen(w);
}
