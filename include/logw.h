/*
 * logw.h - one JSON-lines log file (or standard output), written so that
 * nothing is lost and no reader ever sees half a line.
 *
 * Each line goes out in a single write(2) (or, for a buffered log, a batch
 * of whole lines does) on a descriptor opened with
 * O_APPEND, so concurrent tailers (Wazuh, Filebeat, Splunk forwarders) and
 * logrotate's copytruncate see whole lines.  For move-and-create rotation,
 * logw_check_rotation() notices that the path now names another file (or
 * none) and reopens it; the analyzer calls it for every log at most once
 * a wall-clock second and on SIGHUP, and notice.c on every notice.
 *
 * EINTR and short writes are retried.  A write that still fails is never
 * fatal to the sensor: the line is lost and counted (logw_lost(), in
 * stats.log's log_write_errors), the part of it that reached the file is
 * cut off again (ftruncate(2)), so every line in the file stays whole, and
 * the cause ("write failed: No space left on device", "cannot open for
 * writing: ...") is told on stderr once, naming the file; that the log
 * writes again is told once too, after SW_LOG_CLEAR_S seconds without a
 * loss.  A path that names a FIFO, a device or a directory is refused,
 * without blocking.
 */
#ifndef SW_LOGW_H
#define SW_LOGW_H

#include <stddef.h>
#include <stdint.h>

struct logw;

/*
 * Open dir/name for appending (creating it 0640), or standard output when
 * dir is "-".  Returns NULL with the reason in errbuf (errlen bytes),
 * also when the path is not a regular file.
 */
struct logw *logw_open(const char *dir, const char *name, char *errbuf,
    size_t errlen);

/* Close and free; NULL-safe. */
void logw_close(struct logw *w);

/*
 * Write line[0..len) plus a newline in one write(2).  The line must not
 * contain a newline.  Returns 0, or -1 when the line could not be written
 * whole (then it is not in the file at all, and counted lost).
 */
int logw_write(struct logw *w, const char *line, size_t len);

/*
 * Buffer this log's lines (cap bytes): logw_write() then appends each
 * whole line to the buffer and writes the buffer in one write(2) when the
 * next line would not fit, at logw_flush(), at a rotation and at close.
 * For the bulk records (conn, dns, ssl), whose caller flushes them once a
 * wall-clock second: one write per 64 KiB instead of per line.  Never for
 * notice.log, whose every line is written at once, nor for standard
 * output (a no-op there).  Returns -1 when out of memory.
 */
int logw_set_buffer(struct logw *w, size_t cap);

/* Write the buffered lines; 0, or -1 when they were lost (counted). */
int logw_flush(struct logw *w);

/* Lines that could not be written (a failing disk), buffered or not. */
uint64_t logw_lost(const struct logw *w);

/* Reopen if the path was moved away or removed. Returns 1 if reopened. */
int logw_check_rotation(struct logw *w);

#endif /* SW_LOGW_H */
