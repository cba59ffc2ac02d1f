/*
 * lin_render.c — DOT text laid out and rendered by Graphviz through its libraries (cgraph reads
 * the text, gvc lays it out with dot once and renders each format into memory). No `dot` program
 * is run.
 */
#include "lineage/lineage.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <stdlib.h>
#include <string.h>

int lin_render(char **outs, size_t *lens, const char *dot, const char *const *formats, int n, strbuf *err)
{
    for (int i = 0; i < n; i++) {
        outs[i] = NULL;
        lens[i] = 0;
    }
    int rc = -1;
    GVC_t *gvc = gvContext();
    if (!gvc) {
        sb_puts(err, "graphviz: cannot create a context");
        return -1;
    }
    Agraph_t *g = agmemread(dot);
    if (!g) {
        sb_puts(err, "graphviz: the DOT text does not parse");
        goto done;
    }
    if (gvLayout(gvc, g, "dot") != 0) {
        sb_puts(err, "graphviz: layout failed");
        goto done;
    }
    rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        char *data = NULL;
        unsigned int len = 0;
        if (gvRenderData(gvc, g, formats[i], &data, &len) != 0 || !data) {
            sb_printf(err, "graphviz: cannot render %s (is its plugin installed?)", formats[i]);
            rc = -1;
            break;
        }
        outs[i] = malloc(len ? len : 1);
        if (!outs[i])
            abort();
        memcpy(outs[i], data, len);
        lens[i] = len;
        gvFreeRenderData(data);
    }
    gvFreeLayout(gvc, g);
    if (rc < 0)
        for (int i = 0; i < n; i++) {
            free(outs[i]);
            outs[i] = NULL;
            lens[i] = 0;
        }
done:
    if (g)
        agclose(g);
    gvFreeContext(gvc);
    return rc;
}

/* Graphviz 2.43 keeps some memory until exit (its plugin configuration, virtual edges of dot's
 * cluster layout, fontconfig's caches): not ours to free. In a sanitizer build these leaks would
 * fail every run that renders, so LeakSanitizer is told to ignore allocations made inside them. */
#if defined(__SANITIZE_ADDRESS__)
#define LIN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LIN_ASAN 1
#endif
#endif
#ifdef LIN_ASAN
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n"
           "leak:libgvplugin_dot_layout.so\n"
           "leak:libgvplugin_pango.so\n"
           "leak:libpango\n"
           "leak:libcairo.so\n"
           "leak:gvconfig\n"
           /* graphviz's own allocation wrappers (its plugins are built without frame pointers, so
            * a leak's stack often stops there); our code never calls them */
           "leak:gmalloc\n"
           "leak:grealloc\n"
           "leak:zmalloc\n"
           "leak:libglib-2.0.so\n";
}
#endif
