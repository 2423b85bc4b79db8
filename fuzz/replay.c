/*
 * replay.c: a main() for the fuzz targets without libFuzzer, so that any
 * compiler builds them (`make fuzz-regress`): feeds each file named, or
 * each file in each directory named, to LLVMFuzzerTestOneInput once.
 * A failed check aborts, naming the input on stderr first.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "buf.h"
#include "err.h"
#include "fileio.h"
#include "fuzz.h"

static int one(const char *path)
{
	struct buf b = BUF_INIT;
	struct err e = { 0 };

	if (file_read(path, &b, NULL, 0, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	fprintf(stderr, "%s\n", path);
	LLVMFuzzerTestOneInput((const uint8_t *)(b.s ? b.s : ""), b.len);
	buf_free(&b);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, sorted, run in that order; -1 on a bad dir. */
static int dir(const char *path, int *n)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **v = NULL;
	size_t nv = 0;
	int rc = 0;

	if (d == NULL) {
		fprintf(stderr, "cannot read %s\n", path);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char *p;
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", path, de->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			v = xrealloc(v, (nv + 1) * sizeof *v);
			v[nv++] = p;
		} else
			free(p);
	}
	closedir(d);
	qsort(v, nv, sizeof *v, by_name);
	for (size_t i = 0; i < nv; i++) {
		if (rc == 0 && one(v[i]) == 0)
			(*n)++;
		else
			rc = -1;
		free(v[i]);
	}
	free(v);
	return rc;
}

int main(int argc, char **argv)
{
	int n = 0, rc = 0;
	struct stat st;

	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc && rc == 0; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc = dir(argv[i], &n);
		else if ((rc = one(argv[i])) == 0)
			n++;
	}
	printf("%s: %d inputs replayed%s\n", argv[0], n, rc ? ", then an error" : "");
	return rc ? 1 : n == 0;
}
