/* simnet.h - inside the core: the network sim_run builds for a configuration, for the modules
 * that build the same one (train.c). */
#ifndef GF_SIMNET_H
#define GF_SIMNET_H

#include "net.h"
#include "sim.h"

/* The network of cell under cfg: its shape, and its initial parameters as sim_run sets them (the
 * weights file or the init, then the forget bias and the weight scale). */
NetShape sim_net_shape(const SimConfig *cfg, GfCell cell);
void sim_net_initial(Net *net, const SimConfig *cfg);

#endif
