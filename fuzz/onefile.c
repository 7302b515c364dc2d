/*
 * onefile.c - replay fuzz inputs without libFuzzer.
 *
 * Links against one fuzz_<name>.c and feeds LLVMFuzzerTestOneInput() every
 * file named on the command line; a directory stands for each regular file
 * in it (not recursive, in readdir order).  Each input is read into a heap
 * buffer of exactly its size, so ASan catches a read one byte past it.
 * An input that cannot be read is reported on stderr and skipped: the exit
 * status is 0 unless something crashes (and then the sanitizer or abort()
 * ends the process first), so only a real bug fails `make check`.
 * tcpdump's onefile.c is the model.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Hard cap per input: corpora hold small frames and messages. */
#define ONEFILE_MAX	(16u << 20)

static int
onefile_run(const char *path)
{
	FILE *fp;
	struct stat st;
	uint8_t *buf;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	if (fstat(fileno(fp), &st) == -1 || st.st_size < 0 ||
	    (uintmax_t)st.st_size > ONEFILE_MAX) {
		fprintf(stderr, "%s: cannot size or too large\n", path);
		fclose(fp);
		return -1;
	}
	n = (size_t)st.st_size;
	/* malloc(0) may return NULL; keep a real, exactly sized buffer */
	if ((buf = malloc(n > 0 ? n : 1)) == NULL) {
		perror("malloc");
		fclose(fp);
		return -1;
	}
	if (n > 0 && fread(buf, 1, n, fp) != n) {
		fprintf(stderr, "%s: short read\n", path);
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int
onefile_dir(const char *dir, unsigned *count)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char path[4096];
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		perror(dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path)) {
			fprintf(stderr, "%s/%s: path too long\n", dir,
			    de->d_name);
			rc = -1;
			continue;
		}
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
			continue;
		if (onefile_run(path) == -1)
			rc = -1;
		else
			(*count)++;
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat st;
	unsigned count = 0, bad = 0;
	int i;

	if (argc < 2)
		fprintf(stderr, "usage: %s file|dir ...\n", argv[0]);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			perror(argv[i]);
			bad++;
		} else if (S_ISDIR(st.st_mode)) {
			if (onefile_dir(argv[i], &count) == -1)
				bad++;
		} else if (onefile_run(argv[i]) == -1)
			bad++;
		else
			count++;
	}
	printf("%s: %u inputs replayed, %u unreadable\n", argv[0], count,
	    bad);
	return 0;
}
