/* datadir: the archive directory — database plus blob store. */
#include "lakthan/datadir.h"
#include "lakthan/db.h"
#include "lakthan/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *datadir_resolve(const char *flag)
{
	if (flag && *flag)
		return flag;
	const char *env = getenv("LAKTHAN_DATA");
	if (env && *env)
		return env;
	return "./lakthan-data";
}

int datadir_open(struct datadir *dd, const char *path, char *err)
{
	memset(dd, 0, sizeof *dd);
	struct stat st;
	if (stat(path, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return lk_errf(err, "%s is not a directory", path);
	} else if (errno != ENOENT || mkdir(path, 0750) != 0) {
		return lk_errf(err, "cannot create the archive directory %s: %s", path, strerror(errno));
	}
	char *db = lk_asprintf("%s/lakthan.db", path);
	char *blobs = lk_asprintf("%s/blobs", path);
	int rc = db_open(db, &dd->db, err);
	if (rc == 0)
		rc = blobstore_open(&dd->blobs, blobs, err);
	free(db);
	free(blobs);
	if (rc != 0) {
		datadir_close(dd);
		return -1;
	}
	dd->path = lk_strdup(path);
	return 0;
}

void datadir_close(struct datadir *dd)
{
	if (dd->db)
		sqlite3_close(dd->db);
	dd->db = NULL;
	blobstore_close(&dd->blobs);
	free(dd->path);
	dd->path = NULL;
}
