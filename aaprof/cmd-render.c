/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cli.h"
#include "cmds.h"
#include "render-run.h"
#include "util.h"

#include <getopt.h>
#include <string.h>

static const char usage_text[] =
"usage: aaprof render [options] NAME\n"
"\n"
"Render an AppArmor profile named NAME from a template. The default template,\n"
"'learning', is docker-default without its blanket file/network/capability\n"
"grants, so that in complain mode the kernel logs every access the workload\n"
"makes; 'docker-default' reproduces moby's profile.\n"
"\n"
"  -t, --template T        template name or path (default: learning)\n"
"      --template-dir DIR  search DIR before the standard template directories\n"
"  -s, --set KEY=VALUE     set a template variable; KEY+=VALUE appends to a list\n"
"  -m, --mode MODE         complain or enforce (default: the template's)\n"
"  -a, --attach PATH       attach the profile to PATH (non-container use)\n"
"  -i, --include NAME      include <abstractions/NAME> (or <NAME> if it has a '/')\n"
"  -o, --output FILE       write FILE atomically instead of standard output, after\n"
"                          apparmor_parser -QK has compiled it\n"
"      --profile-dir DIR   the AppArmor directory the profile is compiled against\n"
"                          (default /etc/apparmor.d): the abi files in DIR/abi\n"
"                          set abi_3_0, abi_4_0, abi_5_0; a profile names only\n"
"                          abi files that exist there\n"
"      --k8s               print only the Kubernetes securityContext snippet that\n"
"                          runs a container under the loaded profile NAME\n"
"                          (appArmorProfile type Localhost), nothing else\n"
"  -h, --help              show this help\n"
"\n"
"Templates are searched in --template-dir, the source tree's templates/ when run\n"
"from it, /etc/aaprof/templates, then /usr/share/aaprof/templates.\n"
"\n"
"Exit status: 0 ok, 1 error (in the template), 2 usage (an unknown option or\n"
"variable, a bad value), 3 apparmor_parser rejected the profile (-o: nothing\n"
"written), 6 a template with unsafe ownership, 8 apparmor_parser not installed (-o).\n";

/*
 * The securityContext that runs a container under profile name, loaded on
 * the node. The name is written into YAML unquoted: only plain names.
 */
static int print_k8s(const char *name)
{
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

	if (!*name || name[n] || !strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					  "0123456789", name[0]) || n > 253) {
		error("--k8s: invalid profile name '%s': expected letters, digits, '.', '_' and "
		      "'-', starting with a letter or digit", name);
		return EXIT_USAGE;
	}
	printf("securityContext:\n"
	       "  appArmorProfile:\n"
	       "    type: Localhost\n"
	       "    localhostProfile: %s\n", name);
	return fflush(stdout) ? (error_errno("cannot write to standard output"), EXIT_ERROR) :
	       EXIT_OK;
}

int cmd_render(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "template", required_argument, NULL, 't' },
		{ "template-dir", required_argument, NULL, 'T' },
		{ "set", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "attach", required_argument, NULL, 'a' },
		{ "include", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "profile-dir", required_argument, NULL, 'I' },
		{ "k8s", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct render_opts o = { 0 };
	const char **sets = xcalloc(argc, sizeof(char *));
	char **includes = xcalloc(argc, sizeof(char *));
	const char *output = NULL;
	size_t nsets = 0, nincludes = 0, i;
	int c, rc = EXIT_OK, k8s = 0, other = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "t:T:s:m:a:i:o:h", longopts)) != -1) {
		switch (c) {
		case 't': o.template_name = optarg; break;
		case 'T':
			if (cli_check_dir("--template-dir", optarg) < 0) {
				rc = EXIT_USAGE;
				goto out;
			}
			o.template_dir = optarg;
			break;
		case 's': sets[nsets++] = optarg; break;
		case 'm': o.mode = optarg; break;
		case 'a': o.attach = optarg; break;
		case 'i':
			includes[nincludes++] = strchr(optarg, '/') ? xstrdup(optarg) :
					       xasprintf("abstractions/%s", optarg);
			break;
		case 'o': output = optarg; break;
		case 'I':
			if (cli_check_dir("--profile-dir", optarg) < 0) {
				rc = EXIT_USAGE;
				goto out;
			}
			o.profile_dir = optarg;
			break;
		case 'K': k8s = 1; break;
		case 'h':
			fputs(usage_text, stdout);
			goto out;
		default:
			fputs(usage_text, stderr);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (argc - optind != 1) {
		error(argc - optind ? "expected one profile NAME" : "missing the profile NAME");
		fputs(usage_text, stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	other = o.template_name || o.template_dir || nsets || o.mode || o.attach || nincludes ||
		output || o.profile_dir;
	if (k8s) {
		rc = other ? (error("--k8s takes no other option"), EXIT_USAGE) :
		     print_k8s(argv[optind]);
		goto out;
	}
	o.name = argv[optind];
	o.sets = sets;
	o.nsets = nsets;
	o.includes = (const char *const *)includes;
	o.nincludes = nincludes;
	rc = render_run(&o, output);
out:
	for (i = 0; i < nincludes; i++)
		free(includes[i]);
	free(includes);
	free(sets);
	return rc;
}
