/* infa_frontend.c — stub being written. */
#include "frontends/frontend.h"
static int detect(const char *path, const char *head, size_t n) { (void)path; (void)head; (void)n; return 0; }
static int read_file(const char *path, const fe_options *opt, diag_ctx *dc, fe_job_fn on_job, void *ud, fe_counts *c)
{ (void)path; (void)opt; (void)dc; (void)on_job; (void)ud; (void)c; return -1; }
const frontend infa_frontend = {"informatica", detect, read_file};
