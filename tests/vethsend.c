/*
 * vethsend.c - traffic for tests/veth.sh, inside its network namespace
 * and veth pair only.
 *
 *   vethsend flood ADDR SECONDS    DNS answers to ADDR as fast as the
 *                                  kernel takes them, each to another
 *                                  port (a new connection) and naming
 *                                  new addresses: the sensor's most
 *                                  expensive packets
 *   vethsend finrst-server ADDR PORT
 *                                  accept one connection, send a FIN
 *                                  (shutdown), wait for the client's
 *                                  data, close unread: a RST after the
 *                                  FIN, as a server does to late data
 *   vethsend finrst-client ADDR PORT
 *                                  connect, wait for the FIN, send a
 *                                  byte, close once the RST has come
 *
 * Exit 0 on success, 1 with a message on error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int
die(const char *what)
{
	fprintf(stderr, "vethsend: %s: %s\n", what, strerror(errno));
	return 1;
}

static int
addr(struct sockaddr_in *sa, const char *ip, int port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, ip, &sa->sin_addr) == 1 ? 0 : -1;
}

#define BATCH 64

#define ANSWERS 32

/*
 * A DNS response (RFC 1035 4.1) naming `ANSWERS` addresses, all new: the
 * sensor parses each and remembers it for the device, far more work than
 * the capture thread's copy, so the flood overloads the analyzer (the
 * part that reads the signal flags), not the capture.
 */
static size_t
dns_answer(uint8_t *b, uint32_t *next)
{
	static const uint8_t q[] = { 4, 'v', 'e', 't', 'h', 7, 'e', 'x', 'a',
		'm', 'p', 'l', 'e', 0, 0, 1, 0, 1 };
	size_t o = 0;
	int i;

	b[o++] = 0x12, b[o++] = 0x34, b[o++] = 0x81, b[o++] = 0x80;
	b[o++] = 0, b[o++] = 1, b[o++] = 0, b[o++] = ANSWERS;
	b[o++] = 0, b[o++] = 0, b[o++] = 0, b[o++] = 0;
	memcpy(b + o, q, sizeof(q));
	o += sizeof(q);
	for (i = 0; i < ANSWERS; i++, (*next)++) {
		b[o++] = 0xc0, b[o++] = 12; /* the question's name */
		b[o++] = 0, b[o++] = 1, b[o++] = 0, b[o++] = 1;
		b[o++] = 0, b[o++] = 0, b[o++] = 0x0e, b[o++] = 0x10;
		b[o++] = 0, b[o++] = 4;
		b[o++] = 100; /* 100.64.0.0/10, shared address space */
		b[o++] = (uint8_t)(64 | ((*next >> 16) & 0x3f));
		b[o++] = (uint8_t)(*next >> 8), b[o++] = (uint8_t)*next;
	}
	return o;
}

static int
flood(const char *ip, double secs)
{
	struct sockaddr_in to[BATCH], from;
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	uint8_t payload[BATCH][12 + 18 + ANSWERS * 16];
	struct timespec t0, t;
	unsigned port = 1, i;
	unsigned long long n = 0;
	uint32_t next = 0;
	int s = -1, one = 1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		/* from port 53, as a resolver's answers come */
		if (s < 0) {
			if ((s = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
				return die("socket");
			setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one,
			    sizeof(one));
			addr(&from, "0.0.0.0", 53);
			if (bind(s, (struct sockaddr *)&from, sizeof(from)) !=
			    0)
				return die("bind port 53");
		}
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = payload[i];
			iov[i].iov_len = dns_answer(payload[i], &next);
			if (addr(&to[i], ip, (int)port) != 0) {
				fprintf(stderr, "vethsend: bad address %s\n",
				    ip);
				return 1;
			}
			memset(&msg[i], 0, sizeof(msg[i]));
			msg[i].msg_hdr.msg_name = &to[i];
			msg[i].msg_hdr.msg_namelen = sizeof(to[i]);
			msg[i].msg_hdr.msg_iov = &iov[i];
			msg[i].msg_hdr.msg_iovlen = 1;
			if (++port > 65535)
				port = 1;
		}
		if (sendmmsg(s, msg, i, 0) < 0 && errno != ENOBUFS &&
		    errno != EAGAIN)
			return die("sendmmsg");
		n += i;
		if ((n & 0xfff) < BATCH) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if ((double)(t.tv_sec - t0.tv_sec) +
				(double)(t.tv_nsec - t0.tv_nsec) / 1e9 >=
			    secs)
				break;
		}
	}
	printf("%llu\n", n);
	return 0;
}

static int
finrst_server(const char *ip, int port)
{
	struct sockaddr_in sa;
	char c;
	int s, c_fd, one = 1;

	if (addr(&sa, ip, port) != 0)
		return 1;
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return die("socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(s, 1) != 0)
		return die("bind");
	printf("listening\n");
	fflush(stdout);
	if ((c_fd = accept(s, NULL, NULL)) < 0)
		return die("accept");
	shutdown(c_fd, SHUT_WR); /* our FIN */
	/* wait for the client's late byte, leave it unread */
	if (recv(c_fd, &c, 1, MSG_PEEK) != 1)
		return die("recv");
	close(c_fd); /* unread data: the kernel sends a RST */
	close(s);
	return 0;
}

static int
finrst_client(const char *ip, int port)
{
	struct sockaddr_in sa;
	struct tcp_info ti;
	socklen_t len;
	char c;
	int s, i;

	if (addr(&sa, ip, port) != 0)
		return 1;
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return die("socket");
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		return die("connect");
	if (recv(s, &c, 1, 0) != 0) /* the server's FIN */
		return die("recv FIN");
	if (send(s, "x", 1, 0) != 1)
		return die("send");
	/* close only once the RST has come (a read after the FIN ends at
	 * once), so that this side sends no FIN: up to 5 s */
	for (i = 0; i < 500; i++) {
		len = sizeof(ti);
		if (getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
			return die("TCP_INFO");
		if (ti.tcpi_state == TCP_CLOSE)
			break;
		usleep(10000);
	}
	close(s);
	if (i == 500) {
		fprintf(stderr, "vethsend: no RST from the server\n");
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "flood") == 0)
		return flood(argv[2], atof(argv[3]));
	if (argc == 4 && strcmp(argv[1], "finrst-server") == 0)
		return finrst_server(argv[2], atoi(argv[3]));
	if (argc == 4 && strcmp(argv[1], "finrst-client") == 0)
		return finrst_client(argv[2], atoi(argv[3]));
	fprintf(stderr,
	    "usage: vethsend flood ADDR SECONDS | "
	    "finrst-server ADDR PORT | finrst-client ADDR PORT\n");
	return 1;
}
