/* sim.h - the one object the window and the command line talk to: a SimConfig in, results out.
 *
 * sim_run builds the task's sequence, initialises (or loads) the weights of every requested cell,
 * runs forward + backpropagation through time and reduces the per-step gradients to norms.
 * A Sim owns its buffers and reuses them from one run to the next (allocation only when a size
 * changes), holds no globals and calls nothing but libm, so a ui can keep one Sim per worker
 * thread and another for what is on screen. */
#ifndef GF_SIM_H
#define GF_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "gf_error.h"
#include "gf_types.h"
#include "net.h"
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
    GfNonlin nonlinearity;   /* rnn: tanh or relu */
    uint64_t seed;           /* seeds the weights and the task's data */
    const GfWeights *weights;/* optional loaded state_dict (not owned); NULL = initialise */
    int want_param_grads;    /* 1: also parameter and input gradients (run files, training) */
    int want_spectra;        /* 1: sigma_max and spectral radius of every weight_hh block */
    const GfCancelFlag *cancel; /* optional (not owned): set non-zero from another thread to stop
                                   the run early; sim_run then returns GF_ERR_CANCELLED */
    const double *params[GF_NUM_CELLS]; /* optional (not owned): a cell's whole parameter block
                                   (PyTorch's order, net_param_count doubles), such as weights
                                   being trained; used as they are: no init, weights file, forget
                                   bias or weight scale applied */
} SimConfig;

/* What one cell's run produced. Pointers stay valid until the next sim_run or sim_free. */
typedef struct CellResult {
    int ran;                         /* 1 if this cell was requested and computed */
    GfCell cell;
    int L, B, T, H, I, O, G;         /* shape of the run */
    const double *grad_h_norm;       /* (L, T) ||dL/dh_t|| over the B*H entries of layer l, step t */
    const double *grad_c_norm;       /* (L, T) ||dL/dc_t|| for lstm, NULL otherwise */
    double loss;                     /* the task's loss */
    double sigma_max[GF_LAYERS_MAX][4];       /* largest singular value of each gate block of
                                                 weight_hh_l{k}, (L, G) used */
    double spectral_radius[GF_LAYERS_MAX][4]; /* its spectral radius (power-iteration estimate) */
    int nonfinite;                   /* 1 if any norm is inf or NaN (an exploding run) */
    double ms_forward, ms_backward;  /* wall time of this cell's forward and backward, ms */
    const Net *net;                  /* every tensor of the run: h, c, gates, grad_h, grads ... */
} CellResult;

/* Largest parameter count whose initial weights a Sim keeps (8 MB a cell). */
#define GF_INIT_CACHE_MAX ((size_t)1 << 20)

typedef struct Sim {
    SimConfig config;                /* the configuration of the last successful run */
    CellResult result[GF_NUM_CELLS]; /* indexed by GfCell */
    TaskData data;                   /* the inputs and targets of the last run */
    Net nets[GF_NUM_CELLS];          /* one network per cell kind, reused across runs */
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
 * pytorch init, forget bias as initialised, tanh, seed 1, spectra on, no parameter gradients. */
void sim_config_default(SimConfig *cfg);
/* Every value in range, and the memory estimate under GF_MEMORY_CAP; err names what is wrong and
 * what is accepted. With cfg->weights set, also the shapes against the file's. */
int sim_config_check(const SimConfig *cfg, GfError *err);
/* Bytes a run of cfg allocates. */
size_t sim_config_memory(const SimConfig *cfg);

/* The network of cell under cfg: its shape, and its initial parameters as sim_run sets them (the
 * weights file or the init, then the forget bias and the weight scale). */
NetShape sim_net_shape(const SimConfig *cfg, GfCell cell);
void sim_net_initial(Net *net, const SimConfig *cfg);

void sim_init(Sim *sim);
/* Runs cfg. On success sim->result[c] holds every requested cell's result. On failure
 * (bad config, out of memory, cancelled) the previous results are gone (ran = 0). */
int sim_run(Sim *sim, const SimConfig *cfg, GfError *err);
void sim_free(Sim *sim);

#endif
