#include <dlfcn.h>
#include <stddef.h>
#include "curlx.h"

struct curlx curlx;
static void *lib;

int curlx_load(struct err *e)
{
	static const struct { const char *name; size_t off; } syms[] = {
		{ "curl_easy_init", offsetof(struct curlx, easy_init) },
		{ "curl_easy_setopt", offsetof(struct curlx, easy_setopt) },
		{ "curl_easy_perform", offsetof(struct curlx, easy_perform) },
		{ "curl_easy_getinfo", offsetof(struct curlx, easy_getinfo) },
		{ "curl_easy_cleanup", offsetof(struct curlx, easy_cleanup) },
		{ "curl_easy_strerror", offsetof(struct curlx, easy_strerror) },
	};
	CURLcode (*global_init)(long);

	if (lib)
		return 0;
	if ((lib = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return errf(e, EXIT_FAIL, "cannot load %s: %s", CURL_SONAME, dlerror());
	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		void *f = dlsym(lib, syms[i].name);
		if (f == NULL) {
			dlclose(lib);
			lib = NULL;
			return errf(e, EXIT_FAIL, "%s has no %s", CURL_SONAME, syms[i].name);
		}
		*(void **)((char *)&curlx + syms[i].off) = f;
	}
	global_init = (CURLcode (*)(long))dlsym(lib, "curl_global_init");
	if (global_init)
		global_init(CURL_GLOBAL_DEFAULT);
	return 0;
}
