/* sim.h - the one object the window and the command line talk to: a SimConfig in, results out.
 *
 * sim_run builds the task's sequence, initialises (or loads) the weights of every requested cell,
 * runs forward + backpropagation through time and reduces the per-step gradients to norms.
 * A Sim owns its buffers and reuses them from one run to the next (allocation only when a size
 * changes), holds no globals and calls nothing but libm (and the C library's clock, for the
 * timings), so a ui can keep one Sim per worker thread and another for what is on screen.
 * Results are read-only views of the run's tensors; the network itself stays inside the core. */
#ifndef GF_SIM_H
#define GF_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "gf_error.h"
#include "gf_types.h"
#include "task.h"
#include "weights.h"

typedef struct SimConfig {
    unsigned cells;          /* bit (1u << GfCell) for every cell to run; GF_CELLS_ALL = all */
    GfTask task;             /* adding or recall */
    int seq_len;             /* T, GF_SEQ_LEN_MIN..GF_SEQ_LEN_MAX (adding needs T >= 2) */
    int hidden;              /* H */
    int layers;              /* L */
    int batch;               /* B */
    double weight_scale;     /* multiplies every weight_hh after initialisation or loading */
    GfInit init;             /* pytorch, orthogonal, identity */
    double forget_bias;      /* lstm forget-gate bias (bias_ih's f slice; bias_hh's f slice = 0);
                                NAN keeps what the init or the weights file gave */
    double update_bias;      /* gru update-gate (z) bias (bias_ih's z slice; bias_hh's z slice = 0);
                                NAN keeps what the init or the weights file gave */
    GfNonlin nonlinearity;   /* rnn: tanh or relu */
    int bidirectional;       /* 1: PyTorch's bidirectional=True (a reverse direction per layer) */
    uint64_t seed;           /* seeds the weights and the task's data */
    const GfWeights *weights;/* optional loaded state_dict (not owned); NULL = initialise */
    int want_param_grads;    /* 1: also parameter and input gradients (run files, training) */
    int want_spectra;        /* 1: sigma_max and spectral radius of every weight_hh block */
    int want_factors;        /* 1: the per-step factors of the backward pass (factors.h) */
    const GfCancelFlag *cancel; /* optional (not owned): set non-zero from another thread to stop
                                   the run early; sim_run then returns GF_ERR_CANCELLED */
    const double *params[GF_NUM_CELLS]; /* optional (not owned): a cell's whole parameter block
                                   (PyTorch's order, net_param_count doubles), such as weights
                                   being trained; used as they are: no init, weights file, forget
                                   bias or weight scale applied */
} SimConfig;

/* One cell's parameters (or their gradients), by their PyTorch names; layers 0 .. L-1. D = 2
 * directions when bidirectional (the *_reverse tensors set), else 1 (they are NULL). */
typedef struct CellParams {
    const double *weight_ih[GF_LAYERS_MAX]; /* (G*H, I_l): I_0 = I, I_l = D*H above */
    const double *weight_hh[GF_LAYERS_MAX]; /* (G*H, H) */
    const double *bias_ih[GF_LAYERS_MAX];   /* (G*H) */
    const double *bias_hh[GF_LAYERS_MAX];   /* (G*H) */
    const double *weight_ih_reverse[GF_LAYERS_MAX]; /* the reverse direction's, same shapes */
    const double *weight_hh_reverse[GF_LAYERS_MAX];
    const double *bias_ih_reverse[GF_LAYERS_MAX];
    const double *bias_hh_reverse[GF_LAYERS_MAX];
    const double *head_weight;              /* (O, D*H) */
    const double *head_bias;                /* (O) */
} CellParams;

/* What one cell's run produced. Pointers stay valid until the next sim_run or sim_free. Every
 * per-sequence tensor is batch-major, (L, B, T, ...), like the run file; gate blocks in PyTorch's
 * order (lstm i, f, g, o; gru r, z, n). Bidirectional, a step holds both directions, D = 2:
 * (L, B, T, 2H) = [forward h_t, reverse h_t] as PyTorch's output (gates (L, B, T, 2 G*H)); the
 * per-step norms are each direction's own. */
typedef struct CellResult {
    int ran;                         /* 1 if this cell was requested and computed */
    GfCell cell;
    int L, B, T, H, I, O, G;         /* shape of the run */
    int bidirectional;               /* 1: two directions (D = 2), else one */
    const double *grad_h_norm;       /* (L, T) ||dL/dh_t|| over the B*H entries of layer l, step t
                                        (the forward direction's, when bidirectional) */
    const double *grad_c_norm;       /* (L, T) ||dL/dc_t|| for lstm, NULL otherwise */
    const double *grad_h_norm_reverse; /* (L, T) the reverse direction's ||dL/dh_t||, else NULL */
    const double *grad_c_norm_reverse; /* (L, T) the reverse direction's ||dL/dc_t|| (lstm), else NULL */
    double loss;                     /* the task's loss */
    double sigma_max[GF_LAYERS_MAX][4];       /* largest singular value of each gate block of
                                                 weight_hh_l{k} (the forward direction's), (L, G) used */
    double spectral_radius[GF_LAYERS_MAX][4]; /* its spectral radius (power-iteration estimate) */
    int nonfinite;                   /* 1 if any norm is inf or NaN (an exploding run) */
    double ms_forward, ms_backward;  /* wall time of this cell's forward and backward, ms */
    /* ---- the run's tensors (read-only views) ---- */
    const double *x;                 /* (B, T, I) inputs */
    const double *h;                 /* (L, B, T, D*H) h_t of every layer */
    const double *c;                 /* (L, B, T, D*H) lstm cell state c_t, else NULL */
    const double *gate;              /* (L, B, T, D*G*H) activated gates, NULL for rnn */
    const double *y;                 /* (B, O) head output */
    const double *grad_h;            /* (L, B, T, D*H) total derivative dL/dh_t */
    const double *grad_c;            /* (L, B, T, D*H) lstm total derivative dL/dc_t, else NULL */
    const double *grad_x;            /* (B, T, I) dL/dx_t */
    const double *grad_x_norm;       /* (T) ||dL/dx_t|| over the B*I entries: how much the loss
                                        depends on input step t (its saliency) */
    /* ---- the mechanism (want_factors, one direction: NULL otherwise and for bidirectional runs): what each backward step multiplies the
       gradient by, factors.h ---- */
    const double *factor;            /* (L, T) rnn: ||J_t^T g_t|| / ||g_t||, the gain the step from
                                        t back to t-1 gives this gradient, J_t = dh_t/dh_{t-1};
                                        lstm: mean f_t; gru: mean z_t (over the batch and units) */
    const double *factor_max;        /* (L, T) rnn: ||J_t||_2 (the largest over the batch), the most
                                        any direction can grow; lstm, gru: the largest unit's gate */
    double deriv_mean[GF_LAYERS_MAX];/* rnn: mean phi' (tanh' = 1 - h^2, or relu') over the layer's
                                        B*T*H states; 0 for the gated cells */
    CellParams params;               /* the weights used (weight_hh scaled, forget bias set) */
    CellParams grads;                /* dL/d(each parameter) (want_param_grads only) */
    double float32_scale;            /* weight_hh was read as this factor times float32 numbers
                                        in at least one layer (see net.h); 0: in none */
} CellResult;

/* Directions of a result: 1, or 2 when bidirectional. */
static inline int cell_dirs(const CellResult *r) { return r->bidirectional ? 2 : 1; }

/* Where things are: the state of layer l, sequence b, step t in an (L, B, T, D*H) tensor of r
 * (h, c, grad_h, grad_c) -- its first H entries the forward direction's, the next H (when
 * bidirectional) the reverse one's -- and its (D*G*H) activated gates. In PyTorch's terms
 * (batch_first), output[b, t] = h at (L-1, b, t) (all D*H entries) and h_n[l, b] = h at
 * (l, b, T-1); bidirectional, h_n[2l, b] = the forward h at (l, b, T-1) and h_n[2l+1, b] = the
 * reverse h at (l, b, 0), the step the reverse direction ends at. */
static inline const double *cell_at(const CellResult *r, const double *tensor, int l, int b, int t)
{
    return tensor + (((size_t)l * r->B + b) * r->T + t) * cell_dirs(r) * r->H;
}
static inline const double *cell_gate_at(const CellResult *r, int l, int b, int t)
{
    return r->gate + (((size_t)l * r->B + b) * r->T + t) * cell_dirs(r) * (size_t)r->G * r->H;
}

struct Net; /* the network of one cell kind (net.h, inside the core) */

/* Largest parameter count whose initial weights a Sim keeps (8 MB a cell). */
#define GF_INIT_CACHE_MAX ((size_t)1 << 20)

typedef struct Sim {
    SimConfig config;                /* the configuration of the last successful run */
    CellResult result[GF_NUM_CELLS]; /* indexed by GfCell */
    TaskData data;                   /* the inputs and targets of the last run */
    struct Net *nets[GF_NUM_CELLS];  /* one network per cell kind (allocated at its first run),
                                        reused across runs */
    double *norms;                   /* block for grad_h_norm / grad_c_norm of every cell */
    size_t norms_cap;                /* doubles allocated in norms */
    /* cache of the initial weights (before scale and forget bias) of nets up to
       GF_INIT_CACHE_MAX parameters: dragging a slider other than seed, init, hidden, layers or
       task re-runs with the same draws, copied instead of drawn */
    struct {
        double *params;              /* (n) the params block as init_net left it */
        size_t n;
        SimConfig key;               /* compared as the spectra's key */
    } init_cache[GF_NUM_CELLS];
    /* cache of unscaled spectra: sigma_max and the spectral radius scale linearly with the
       weight scale, so a drag of the weight-scale slider costs no power iteration */
    struct {
        int valid;
        SimConfig key;               /* config with weight_scale = 1 and cells ignored */
        double sigma[GF_LAYERS_MAX][4], rho[GF_LAYERS_MAX][4];
    } spectra[GF_NUM_CELLS];
} Sim;

/* The defaults of the command line: all cells, adding, T=200, H=64, L=1, B=1, scale 1,
 * pytorch init, forget bias as initialised, tanh, seed 1, spectra and factors on, no parameter
 * gradients. */
void sim_config_default(SimConfig *cfg);
/* Every value in range, and the memory estimate under GF_MEMORY_CAP; err names what is wrong and
 * what is accepted. With cfg->weights set, also the shapes against the file's. */
int sim_config_check(const SimConfig *cfg, GfError *err);
/* Bytes a run of cfg allocates. */
size_t sim_config_memory(const SimConfig *cfg);

/* Parameters (doubles, PyTorch's order) of cell's network under cfg. */
size_t sim_param_count(const SimConfig *cfg, GfCell cell);
/* The tensors of a parameter block of cell's network under cfg (sim_param_count doubles, such as
 * a trainer's weights or its initial ones), by their PyTorch names. */
void sim_cell_params(const SimConfig *cfg, GfCell cell, const double *block, CellParams *out);

void sim_init(Sim *sim);
/* Runs cfg. On success sim->result[c] holds every requested cell's result. On failure
 * (bad config, out of memory, cancelled) the previous results are gone (ran = 0). */
int sim_run(Sim *sim, const SimConfig *cfg, GfError *err);
void sim_free(Sim *sim);

#endif
