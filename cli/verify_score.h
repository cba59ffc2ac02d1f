/*
 * verify_score.h — the scoring half of `etlport verify` (cmd_verify.c has the comparison): the
 * policy options, the layer scores and tier of one artifact, and `etlport verify OUTDIR` over a
 * convert output (docs/verification.md "Verifying a convert output").
 */
#ifndef ETLPORT_CLI_VERIFY_SCORE_H
#define ETLPORT_CLI_VERIFY_SCORE_H

#include <stdbool.h>

#include "core/strbuf.h"
#include "verifier/policy.h"
#include "verifier/verify.h"

/* Jobs read back or read from a legacy file; the list owns them. */
typedef struct verify_cli_jobs {
    ir_job **v;
    int n, cap;
} verify_cli_jobs;

/* A readback_job_fn / frontend job callback: infers the job's types and appends it to the
 * verify_cli_jobs at userdata (exits with status 2 when out of memory). */
void verify_cli_keep_job(void *userdata, ir_job *job);
/* Frees every job and the list's array; the list is empty again. */
void verify_cli_jobs_clear(verify_cli_jobs *js);

/* --policy FILE, --profile production|non-production, --stats FILE. */
typedef struct verify_cli_opts {
    const char *policy, *profile, *stats;
} verify_cli_opts;

/* When argv[i] is one of the options above, takes it and its value: returns the number of
 * arguments used (2), 0 when argv[i] is another option, -1 when its value is missing. */
int verify_cli_option(verify_cli_opts *o, int argc, char **argv, int i);

/* The policy the options ask for (policy_init, then the file, the profile, the statistics);
 * errors on stderr. Returns 0 or -1 (p is then freed). */
int verify_cli_policy(verify_policy *p, const verify_cli_opts *o);

/* Scores one artifact (gen_path; its jobs read back in gen) against legacy with the comparison r
 * and prints the scores: into json (members spliced into the object json holds) when json is not
 * NULL, else as text on stdout. Returns 0 or -1 (the artifact could not be read). */
int verify_cli_score(const verify_policy *p, verify_target target, const char *gen_path, const ir_job *legacy,
                     ir_job *const *gen, int n_gen, const verify_result *r, strbuf *json);

/* `etlport verify OUTDIR [--json]`: exit codes as cmd_verify's, 3 when a file cannot be written. */
int verify_cli_outdir(const char *outdir, const verify_cli_opts *o, bool json);

#endif
