/* profile_oci.c: a resolved profile written out as the OCI linux.seccomp
 * object, so that runc and crun load the very rules the native loader
 * compiles (moby's setupSeccomp builds the same object for containerd).
 * As moby does, errnoRet is passed on whatever the action and as written
 * (5000, 69536: what runc and libseccomp then make of it is theirs), and
 * so is defaultErrnoRet whatever the default action (moby 26).
 */
#define _GNU_SOURCE
#include "profile.h"

#include <json-c/json.h>

/* errno_override applies to an ERRNO action only: the sentinel replaces
 * what ERRNO returns, never TRACE's data. */
static struct json_object *errno_json(enum profile_action action, bool has, uint64_t value, int errno_override)
{
	if (errno_override >= 0 && action == ACTION_ERRNO)
		return json_object_new_int(errno_override);
	return has ? json_object_new_uint64(value) : NULL;
}

static struct json_object *rule_to_oci(const struct profile_rule *r, int errno_override)
{
	struct json_object *o = json_object_new_object(), *names = json_object_new_array();

	for (size_t i = 0; i < r->n_names; i++)
		json_object_array_add(names, json_object_new_string(r->names[i]));
	json_object_object_add(o, "names", names);
	json_object_object_add(o, "action", json_object_new_string(action_name(r->action)));
	struct json_object *e = errno_json(r->action, r->has_errno_ret, r->errno_ret_value, errno_override);
	if (e)
		json_object_object_add(o, "errnoRet", e);
	if (r->n_args) {
		struct json_object *args = json_object_new_array();
		for (size_t i = 0; i < r->n_args; i++) {
			struct json_object *a = json_object_new_object();
			json_object_object_add(a, "index",
					       json_object_new_uint64(r->args[i].index > 5 ? r->args[i].index_value
											   : r->args[i].index));
			json_object_object_add(a, "value", json_object_new_uint64(r->args[i].value));
			json_object_object_add(a, "valueTwo", json_object_new_uint64(r->args[i].value_two));
			const char *op = compare_op_name(r->args[i].op);
			json_object_object_add(a, "op", json_object_new_string(op ? op : r->args[i].op_text));
			json_object_array_add(args, a);
		}
		json_object_object_add(o, "args", args);
	}
	return o;
}

struct json_object *profile_to_oci(const struct profile *p, int errno_override)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "defaultAction", json_object_new_string(action_name(p->default_action)));
	struct json_object *e =
		errno_json(p->default_action, p->has_default_errno_ret, p->default_errno_ret_value, errno_override);
	if (e)
		json_object_object_add(o, "defaultErrnoRet", e);
	if (p->n_arches) {
		struct json_object *arches = json_object_new_array();
		for (size_t i = 0; i < p->n_arches; i++)
			json_object_array_add(arches, json_object_new_string(scmp_arch_name(p->arches[i])));
		json_object_object_add(o, "architectures", arches);
	}
	if (p->n_flag_names) {
		/* As written (order, repeats): moby passes the list on. */
		struct json_object *flags = json_object_new_array();
		for (size_t i = 0; i < p->n_flag_names; i++)
			json_object_array_add(flags, json_object_new_string(p->flag_names[i]));
		json_object_object_add(o, "flags", flags);
	} else if (p->flags) {
		struct json_object *flags = json_object_new_array();
		for (unsigned bit = 0; bit < 32; bit++) {
			const char *name = (p->flags & (1u << bit)) ? filter_flag_name(1u << bit) : NULL;
			if (name)
				json_object_array_add(flags, json_object_new_string(name));
		}
		json_object_object_add(o, "flags", flags);
	}
	if (p->listener_path && *p->listener_path)
		json_object_object_add(o, "listenerPath", json_object_new_string(p->listener_path));
	if (p->listener_metadata && *p->listener_metadata)
		json_object_object_add(o, "listenerMetadata", json_object_new_string(p->listener_metadata));
	struct json_object *rules = json_object_new_array();
	for (size_t i = 0; i < p->n_rules; i++)
		json_object_array_add(rules, rule_to_oci(&p->rules[i], errno_override));
	json_object_object_add(o, "syscalls", rules);
	return o;
}
