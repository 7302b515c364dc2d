/*
 * httpd.c - a static file server on 127.0.0.1 for the updater's tests
 * (tests/update.sh): never on another address, never a real source.
 *
 *   httpd DIR PORTFILE [CUT]
 *
 * Serves GET /NAME from DIR (404 when absent), one request at a time,
 * until killed; writes the port it bound (chosen by the kernel) to
 * PORTFILE.  With CUT, every answer announces the file's whole length but
 * sends only its first CUT bytes and closes: a truncated download.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
answer(int c, const char *dir, long cut)
{
	char req[2048], path[4096], hdr[256], *sp, *name;
	FILE *f;
	char *body = NULL;
	long n = 0;
	ssize_t got;

	got = read(c, req, sizeof(req) - 1);
	if (got <= 0)
		return;
	req[got] = '\0';
	if (strncmp(req, "GET /", 5) != 0 ||
	    (sp = strchr(req + 4, ' ')) == NULL)
		return;
	*sp = '\0';
	name = req + 5;
	if (strstr(name, "..") != NULL || strchr(name, '/') != NULL)
		name = "";
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (name[0] != '\0' && (f = fopen(path, "rb")) != NULL) {
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		if (n >= 0 && (body = malloc((size_t)n + 1)) != NULL &&
		    fread(body, 1, (size_t)n, f) != (size_t)n) {
			free(body);
			body = NULL;
		}
		fclose(f);
	}
	if (body == NULL) {
		snprintf(hdr, sizeof(hdr),
		    "HTTP/1.1 404 Not Found\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n");
		(void)!write(c, hdr, strlen(hdr));
		return;
	}
	snprintf(hdr, sizeof(hdr),
	    "HTTP/1.1 200 OK\r\nContent-Length: %ld\r\n"
	    "Content-Type: text/plain\r\nConnection: close\r\n\r\n",
	    n);
	(void)!write(c, hdr, strlen(hdr));
	(void)!write(c, body, (size_t)(cut >= 0 && cut < n ? cut : n));
	free(body);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	long cut = argc > 3 ? atol(argv[3]) : -1;
	int s, c, one = 1;
	FILE *pf;

	if (argc < 3) {
		fprintf(stderr, "usage: httpd DIR PORTFILE [CUT]\n");
		return 2;
	}
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(s, 8) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &alen) != 0) {
		perror("httpd");
		return 1;
	}
	if ((pf = fopen(argv[2], "w")) == NULL)
		return 1;
	fprintf(pf, "%u\n", ntohs(a.sin_port));
	fclose(pf);
	for (;;) {
		if ((c = accept(s, NULL, NULL)) < 0)
			continue;
		answer(c, argv[1], cut);
		close(c);
	}
}
