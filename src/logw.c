/*
 * logw.c - one log file (or standard output), one write(2) per line, or
 * per buffer of whole lines.
 *
 * struct logw holds the descriptor, the path it was opened by, and the
 * (device, inode) it had, so that a rotation that moves the file away can
 * be noticed with one stat(2) and answered with a reopen; for a buffered
 * log, the whole lines not yet written; and the reason lines are being
 * lost, if they are, so that the operator is told once, not per line.
 */
#include "logw.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

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
	const char *what;   /* what a lost line is, for the operator */
	char why[SW_ERRLEN];  /* the last failure to open or write */
	char told[SW_ERRLEN]; /* the cause told on stderr, "" when none */
	time_t fail_wall;     /* the last line lost, wall clock */
	uint64_t told_lost;   /* lost when it was told */
};

static int logw_reopen(struct logw *w);

/*
 * Open w->path; on failure the reason goes into w->why.  O_NONBLOCK so
 * that a FIFO (or a device) under the log's name cannot hang start-up or
 * a reopen: it is refused, and the flag cleared on the regular file.
 */
static int
open_path(struct logw *w)
{
	struct stat st;
	int fd, fl;

	fd = open(w->path,
	    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0640);
	if (fd < 0) {
		/* ENXIO: a FIFO without a reader, a socket */
		snprintf(w->why, sizeof(w->why), "cannot open for writing: %s",
		    errno == ENXIO ? "not a regular file" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
		snprintf(w->why, sizeof(w->why),
		    "cannot open for writing: not a regular file");
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
		w->what = "notices";
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
	if (strcmp(name, "notice.log") == 0)
		w->what = "notices";
	else if (strcmp(name, "stats.log") == 0)
		w->what = "stats lines";
	else
		w->what = "records";
	if (open_path(w) != 0) {
		snprintf(errbuf, errlen, "%s: %s", w->path, w->why);
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
 * Lines were lost (n of them, for w->why): counted, and told on stderr
 * once per cause, not once per line.
 */
static void
lose(struct logw *w, uint64_t n)
{
	w->lost += n;
	w->fail_wall = time(NULL);
	if (strcmp(w->why, w->told) == 0)
		return;
	/* the count said when it clears is of the whole outage, whatever
	 * causes it went through */
	if (w->told[0] == '\0')
		w->told_lost = w->lost - n;
	snprintf(w->told, sizeof(w->told), "%s", w->why);
	fprintf(stderr, "stalkerwatch: %s: %s (%s are being lost)\n",
	    w->is_stdout ? "standard output" : w->path, w->told, w->what);
}

/*
 * A write went out whole: a cause told is cleared, and said so, once no
 * line was lost for SW_LOG_CLEAR_S (a nearly full disk still takes a
 * short line now and then: that is not the end of it).
 */
static void
written(struct logw *w)
{
	if (w->told[0] == '\0' ||
	    time(NULL) - w->fail_wall < (time_t)SW_LOG_CLEAR_S)
		return;
	fprintf(stderr,
	    "stalkerwatch: %s: writes succeed again (%llu %s lost)\n",
	    w->is_stdout ? "standard output" : w->path,
	    (unsigned long long)(w->lost - w->told_lost), w->what);
	w->told[0] = '\0';
}

/*
 * A write failed after `cut` bytes of an unfinished line reached the
 * file: cut them off again (the end of the file is ours: O_APPEND puts
 * every line there), so that no reader meets half a line and the next
 * line does not merge into it.  When the file cannot be cut (a pipe),
 * `torn` makes the next write end the broken line first.
 */
static void
untear(struct logw *w, size_t cut)
{
	struct stat st;

	if (cut == 0)
		return;
	/* standard output redirected by a shell (">", no O_APPEND) writes
	 * at its offset: that goes back with the cut, or the next line
	 * would leave a hole of NUL bytes */
	if (fstat(w->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size >= cut &&
	    ftruncate(w->fd, st.st_size - (off_t)cut) == 0 &&
	    ((fcntl(w->fd, F_GETFL) & O_APPEND) ||
		lseek(w->fd, st.st_size - (off_t)cut, SEEK_SET) >= 0))
		return;
	w->torn = 1;
}

/*
 * iov[0..2) in full, retrying EINTR and short writes; *donep says how
 * many bytes went out.  On failure the reason is in w->why.
 */
static int
write_all(struct logw *w, struct iovec iov[2], size_t *donep)
{
	ssize_t n;
	size_t total;

	*donep = 0;
	if (w->torn) {
		do
			n = write(w->fd, "\n", 1);
		while (n < 0 && errno == EINTR);
		if (n != 1) {
			snprintf(w->why, sizeof(w->why), "write failed: %s",
			    n < 0 ? strerror(errno) : "nothing written");
			return -1;
		}
		w->torn = 0;
	}
	total = iov[0].iov_len + iov[1].iov_len;
	for (;;) {
		n = writev(w->fd, iov, iov[1].iov_len != 0 ? 2 : 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(w->why, sizeof(w->why), "write failed: %s",
			    n < 0 ? strerror(errno) : "nothing written");
			return -1;
		}
		*donep += (size_t)n;
		if (*donep >= total)
			return 0;
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
}

int
logw_flush(struct logw *w)
{
	struct iovec iov[2];
	size_t done = 0, i, keep = 0;
	uint64_t whole = 0;
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
	 * before the failure stay and are not lost, the rest is cut */
	if (rc == 0)
		written(w);
	else {
		for (i = 0; i < done && i < w->buf_len; i++)
			if (w->buf[i] == '\n') {
				whole++;
				keep = i + 1;
			}
		if (done > keep)
			untear(w, done - keep);
		lose(w, w->buf_lines - whole);
	}
	w->buf_len = 0;
	w->buf_lines = 0;
	return rc;
}

int
logw_write(struct logw *w, const char *line, size_t len)
{
	struct iovec iov[2];
	size_t done;

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
	if (w->fd < 0 && logw_reopen(w) < 0) {
		lose(w, 1);
		return -1;
	}
	/* one writev: the line and its newline reach the file together */
	iov[0].iov_base = (void *)(uintptr_t)line;
	iov[0].iov_len = len;
	iov[1].iov_base = (void *)(uintptr_t) "\n";
	iov[1].iov_len = 1;
	if (write_all(w, iov, &done) != 0) {
		untear(w, done);
		lose(w, 1);
		return -1;
	}
	written(w);
	return 0;
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
	if (open_path(w) != 0)
		return -1;
	return 1;
}

int
logw_check_rotation(struct logw *w)
{
	struct stat st;

	if (w->is_stdout)
		return 0;
	/* moved or removed: ENOENT, or another file under the name; any
	 * other failure of stat() (EACCES, EIO) is no rotation, and the
	 * descriptor in hand still works */
	if (w->fd >= 0 &&
	    (stat(w->path, &st) == 0 ?
		    st.st_dev == w->dev && st.st_ino == w->ino :
		    errno != ENOENT))
		return 0;
	/* moved away or removed: what is buffered belongs to the old file
	 * (it was written before the move); then a new file under the same
	 * name */
	if (w->fd >= 0)
		(void)logw_flush(w);
	return logw_reopen(w);
}
