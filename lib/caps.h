/* caps.h: capability sets as Docker names them. */
#ifndef SECCOMP_SUITE_CAPS_H
#define SECCOMP_SUITE_CAPS_H

#include "profile.h"

#include <stddef.h>
#include <stdint.h>

#define CAPS_MAX 64

/* "CAP_SYS_ADMIN" <-> 21; NULL / -1 when unknown.  Lookup accepts the name
 * with or without "CAP_", in any case. */
const char *cap_name(int cap);
int cap_from_name(const char *name);
/* The highest capability number this build knows. */
int cap_last(void);

/* Docker's default set: the 14 capabilities a container gets without
 * --cap-add / --cap-drop. */
uint64_t caps_docker_default(void);
uint64_t caps_all(void);

/* A comma-separated list of set names (docker-default, all, none) and
 * capability names, united; an item "-NAME" removes.  "docker-default,SYS_ADMIN"
 * is `docker run --cap-add SYS_ADMIN`.  0, or -1 with a message in err. */
int caps_parse(const char *spec, uint64_t *out, char *err, size_t err_size);

/* The same as `docker run` of that engine reads it (caps.c): names the
 * engine does not know, or (docker-26) that the kernel given (NULL: the
 * running one) or this host does not have, are refused; `all` is what
 * caps_available() gives. */
int caps_parse_engine(const char *spec, enum profile_engine engine, const struct kernel_version *kernel, uint64_t *out,
		      char *err, size_t err_size);
/* The capabilities the engine knows (docker-20.10: to CAP_AUDIT_READ). */
uint64_t caps_known(enum profile_engine engine);
/* Of those, what it gives for ALL on that kernel (NULL: no limit by
 * release) in this environment. */
uint64_t caps_available(enum profile_engine engine, const struct kernel_version *kernel);

/* "CAP_CHOWN,CAP_KILL" into buf ("" for none). */
void caps_format(uint64_t caps, char *buf, size_t size);

/* Make this process hold at most these capabilities, as a container with
 * that set would: bounding set, ambient, permitted, effective, inheritable.
 * A root process that execs afterwards gets the bounding set back as its
 * permitted set, so the limit carries across exec.  0, or -1 with errno. */
int caps_apply(uint64_t keep);

/* Clear one capability from this process's effective set only: the kernel's
 * capable() then fails for it, while the set the profile was resolved for
 * is unchanged.  0, or -1 with errno. */
int caps_drop_effective(int cap);

#endif
