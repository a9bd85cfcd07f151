/* uitest.c - hand-made results, headless drawing and pixel probes for the ui's tests. */
#include "uitest.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

void ut_plotdata(PlotData *pd, unsigned mask, int L, int T, UtNormFn f, double sigma)
{
    memset(pd, 0, sizeof *pd);
    ck_assert_int_eq(plotdata_alloc(pd, mask, L, T), 0);
    sim_config_default(&pd->config);
    pd->config.seq_len = T;
    pd->config.layers = L;
    pd->config.cells = mask;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        PlotCell *pc = &pd->cell[c];
        if (!pc->ran) continue;
        pc->H = 8;
        for (int l = 0; l < L; l++) {
            for (int t = 0; t < T; t++) {
                pc->grad_h[l * T + t] = f(c, l, t, 0);
                if (pc->grad_c) pc->grad_c[l * T + t] = f(c, l, t, 1);
            }
            for (int k = 0; k < 4; k++) pc->sigma_max[l][k] = pc->spectral_radius[l][k] = sigma;
        }
    }
}

UiSettings ut_settings(int T)
{
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = T;
    UiSettings s;
    settings_init(&s, &c, UI_THEME_LIGHT);
    return s;
}

/* One frame of d's size: the view model every drawing helper below fills the same way. */
static void frame_(UtDraw *d, const PlotData *pd, UiSettings *s, int interactive, int mx, int my, int busy)
{
    ViewModel vm;
    memset(&vm, 0, sizeof vm);
    vm.set = s;
    vm.data = pd;
    vm.w = d->surf->w;
    vm.h = d->surf->h;
    vm.scale = d->scale > 0 ? d->scale : export_scale(vm.w, vm.h);
    vm.interactive = interactive;
    vm.plot_only = d->plot_only;
    vm.in.mx = mx;
    vm.in.my = my;
    vm.busy = busy;
    view_draw(&d->vs, &vm);
    SDL_RenderFlush(d->ren);
}

void ut_draw(UtDraw *d, const PlotData *pd, UiSettings *s, int w, int h, int plot_only)
{
    ut_draw_at(d, pd, s, w, h, plot_only, 0.0);
}

void ut_draw_at(UtDraw *d, const PlotData *pd, UiSettings *s, int w, int h, int plot_only, double scale)
{
    memset(d, 0, sizeof *d);
    d->plot_only = plot_only;
    d->scale = scale;
    d->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    ck_assert_ptr_nonnull(d->surf);
    d->ren = SDL_CreateSoftwareRenderer(d->surf);
    ck_assert_ptr_nonnull(d->ren);
    GfError err = {0};
    ck_assert_msg(view_init(&d->vs, d->ren, &err) == 0, "%s", err.msg);
    frame_(d, pd, s, 0, -1, -1, 0);
}

void ut_redraw(UtDraw *d, const PlotData *pd, UiSettings *s, int interactive, int mx, int my)
{
    frame_(d, pd, s, interactive, mx, my, 0);
}

void ut_redraw_busy(UtDraw *d, const PlotData *pd, UiSettings *s) { frame_(d, pd, s, 1, -1, -1, 1); }

void ut_draw_free(UtDraw *d)
{
    view_free(&d->vs);
    if (d->ren) SDL_DestroyRenderer(d->ren);
    if (d->surf) SDL_FreeSurface(d->surf);
    memset(d, 0, sizeof *d);
}

UiColor ut_pixel(SDL_Surface *s, int x, int y)
{
    UiColor c = {0, 0, 0, 0};
    if (x < 0 || y < 0 || x >= s->w || y >= s->h) return c;
    Uint32 p = ((const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch))[x];
    c.r = (Uint8)(p >> 16);
    c.g = (Uint8)(p >> 8);
    c.b = (Uint8)p;
    c.a = 255;
    return c;
}

int ut_near(UiColor a, UiColor b, int tol)
{
    return abs(a.r - b.r) <= tol && abs(a.g - b.g) <= tol && abs(a.b - b.b) <= tol;
}

int ut_ink(SDL_Surface *s, UiRect r, UiColor bg, int tol)
{
    int n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) n += !ut_near(ut_pixel(s, x, y), bg, tol);
    return n;
}

int ut_count(SDL_Surface *s, UiRect r, UiColor c, int tol)
{
    int n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) n += ut_near(ut_pixel(s, x, y), c, tol);
    return n;
}

void ut_key(SDL_Keycode k, Uint16 mod)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = k;
    ev.key.keysym.mod = mod;
    ev.key.state = SDL_PRESSED;
    SDL_PushEvent(&ev);
    ev.type = SDL_KEYUP;
    ev.key.state = SDL_RELEASED;
    SDL_PushEvent(&ev);
}

uint32_t ut_pixels_hash(SDL_Renderer *ren, UiRect a)
{
    size_t n = (size_t)a.w * (size_t)a.h;
    uint32_t *px = malloc(n * 4); /* (a.h, a.w) ARGB pixels */
    if (!px) return 0;
    SDL_Rect r = {a.x, a.y, a.w, a.h};
    uint32_t h = 2166136261u;
    if (SDL_RenderReadPixels(ren, &r, SDL_PIXELFORMAT_ARGB8888, px, a.w * 4) == 0)
        for (size_t i = 0; i < n; i++) h = (h ^ px[i]) * 16777619u;
    free(px);
    return h;
}

const char *ut_path(const char *dir, const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}
