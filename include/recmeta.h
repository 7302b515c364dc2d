/*
 * recmeta.h - the fields every record carries, whoever writes it:
 * peer_descr (the sensor's name: --sensor-name, default the host name,
 * as Zeek names the node that wrote a line) and, when several logs share
 * one stream (-o -), _path (which log the line belongs to, as Zeek's JSON
 * writer does then).  Set once at start-up, before any thread starts;
 * read-only after.
 */
#ifndef SW_RECMETA_H
#define SW_RECMETA_H

struct jbuf;

#define RECMETA_NAME 64 /* bytes of the sensor name kept, with NUL */

void recmeta_set(const char *sensor_name, int with_path);
const char *recmeta_sensor(void);

/* "_path":"conn" (only when logs share a stream): first in a record. */
void recmeta_path(struct jbuf *j, const char *path);
/* "peer_descr":"<sensor>". */
void recmeta_peer(struct jbuf *j);

#endif /* SW_RECMETA_H */
