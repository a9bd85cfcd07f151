/* init.h - initial weights of a Net.
 *
 *   pytorch     every tensor U(-1/sqrt(H), 1/sqrt(H)), as nn.RNN/LSTM/GRU reset_parameters does,
 *               at float32 resolution like PyTorch's default dtype (every uniform draw here is);
 *   orthogonal  each H x H gate block of weight_hh a random orthogonal matrix, weight_ih as
 *               pytorch, biases 0;
 *   identity    each gate block of weight_hh the identity (IRNN, Le, Jaitly & Hinton 2015),
 *               weight_ih as pytorch, biases 0.
 * The head is nn.Linear(H, O)'s default: weight and bias U(-1/sqrt(H), 1/sqrt(H)).
 * Then weight_hh is multiplied by the weight scale (so with orthogonal blocks sigma_max = scale),
 * and an LSTM forget bias F, if given, goes in bias_ih's f slice with bias_hh's f slice 0. */
#ifndef GF_INIT_H
#define GF_INIT_H

#include <stdint.h>

#include "net.h"
#include "weights.h"

/* Fills net's parameters from seed (same seed and shape, same weights). */
void init_net(Net *net, GfInit init, uint64_t seed);
/* Copies a loaded state_dict into net (shapes checked by the caller); a head the file lacks is
 * initialised as nn.Linear from seed. */
void init_from_weights(Net *net, const GfWeights *w, uint64_t seed);
/* weight_hh *= scale, in every layer (and net->w_hh_scale *= scale, for net_prepare). */
void init_scale_recurrent(Net *net, double scale);
/* LSTM: bias_ih's forget slice = F, bias_hh's forget slice = 0, in every layer. */
void init_forget_bias(Net *net, double forget_bias);
/* GRU only: the update gate z's bias, set the way init_forget_bias sets f's: bias_ih's z chunk
 * (rows H .. 2H-1 of the r, z, n blocks) = update_bias, bias_hh's z chunk = 0, so
 * z_t = sigmoid(W_iz x_t + W_hz h_{t-1} + update_bias) and z_t -> 1 keeps h_{t-1}. */
void init_update_bias(Net *net, double update_bias);

#endif
