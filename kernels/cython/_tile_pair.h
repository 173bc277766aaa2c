/* Paired variant of the nearest-centre micro-kernel, for float32 and few centres.
 * Included by _tile.h; same contract as sm_rows1_f32 with one block.
 *
 * Why: with k <= lanes / 2 centres (8 with AVX-512), sm_rows1_f32 leaves half of
 * every vector multiply-add on padding centres, and its hot loop is bound by one
 * broadcast load per row and feature. Here each vector lane pair holds one
 * centre's two consecutive features,
 *
 *     packed[g * lanes + 2j + h] = c_j[2g + h]      (h = 0, 1; zero past p or k)
 *
 * and one 64-bit broadcast puts a row's (x[2g], x[2g + 1]) in every lane pair,
 * so one load and one multiply-add serve two features: half the loads and half
 * the arithmetic of sm_rows1_f32. At the end lane 2j holds the sum over even
 * features and lane 2j + 1 the sum over odd ones; adding each lane to its
 * neighbour (a + b = b + a exactly) gives x.c_j in both lanes of the pair, so
 * the argmin over lanes, with lane index / 2 as the centre, is numpy's.
 *
 * An odd last feature is multiplied with a single-float broadcast (the packed
 * pair holds (c_j[p-1], 0)), so no read goes past the row. Results differ from
 * sm_rows1_f32 only by rounding (another summation order); every caller of a
 * given (dtype, k) uses the same variant, so all kernels agree with each other.
 * GCC only (__builtin_shuffle); elsewhere SM_HAVE_PAIR is 0 and nobody calls it.
 */
#ifndef SCRATCHML_TILE_PAIR_H
#define SCRATCHML_TILE_PAIR_H

#if defined(__GNUC__) && !defined(__clang__)
#define SM_HAVE_PAIR 1

/* The pair's 64 bits in every 64-bit lane: "0 | bits" is a pure broadcast (one
 * vbroadcastsd from memory), where "0.0 + x" would cost an addition. */
#define SM_PAIR_LOAD(r)                                                               \
    int64_t xx##r; sm_vl b##r;                                                        \
    memcpy(&xx##r, x + r * p + 2 * g, sizeof xx##r);                                  \
    b##r = (sm_vl){0} | xx##r;
#define SM_PAIR_UPDATE(r) { SM_PAIR_LOAD(r) lo##r += (sm_vf)b##r * c0; }
#define SM_PAIR_UPDATE_SQ(r) { SM_PAIR_LOAD(r) lo##r += (sm_vf)b##r * c0;                \
    xsq[r] += x[r * p + 2 * g] * x[r * p + 2 * g];                                    \
    xsq[r] += x[r * p + 2 * g + 1] * x[r * p + 2 * g + 1]; }
#define SM_PAIR_TAIL(r) { float xl = x[r * p + p - 1]; lo##r += xl * c0;                \
    if (with_xsq) xsq[r] += xl * xl; }
/* x.c_j in lanes 2j and 2j+1, then d = ||c||^2 - 2 x.c with csq given per lane. */
#define SM_PAIR_SET(r)                                                                \
    { sm_vec d = q0 - 2 * (lo##r + __builtin_shuffle(lo##r, iota ^ 1));              \
      memcpy(minv[r], &d, sizeof d); memcpy(argv[r], &half, sizeof half); }

static void sm_rows_pair_f32(const float *x, const float *packed, const float *csq,
                             ptrdiff_t p, int with_xsq, float *best, ptrdiff_t *labels)
{
    typedef sm_vf sm_vec;
    typedef sm_vi sm_idx;
    typedef int32_t sm_its;
    enum { nv = 1, lanes = SM_VBYTES / sizeof(float), nr = lanes };
    float minv[SM_MR][nr];
    int32_t argv[SM_MR][nr], first[nr];
    float xsq[SM_MR] = {0};
    sm_idx iota, half, big;
    sm_vec c0, q0;
    ptrdiff_t g, r, w, n_pairs = p / 2;
    SM_EACH_ROW(SM_DECLARE)
    for (w = 0; w < nr; ++w) first[w] = (int32_t)w;
    memcpy(&iota, first, sizeof iota);
    half = iota >> 1;                        /* lane 2j + h belongs to centre j */
    big = iota * 0 + (1 << 30);              /* > any centre index */
    if (with_xsq) {
        for (g = 0; g < n_pairs; ++g) {
            memcpy(&c0, packed + g * nr, sizeof c0);
            SM_EACH_ROW(SM_PAIR_UPDATE_SQ)
        }
    } else {
        for (g = 0; g < n_pairs; ++g) {
            memcpy(&c0, packed + g * nr, sizeof c0);
            SM_EACH_ROW(SM_PAIR_UPDATE)
        }
    }
    if (p & 1) {
        memcpy(&c0, packed + n_pairs * nr, sizeof c0);
        SM_EACH_ROW(SM_PAIR_TAIL)
    }
    memcpy(&q0, csq, sizeof q0);
    SM_EACH_ROW(SM_PAIR_SET)
    SM_REDUCE(float, SM_ROW_MIN(float, argv))
}
#else
#define SM_HAVE_PAIR 1
static void sm_rows_pair_f32(const float *x, const float *packed, const float *csq,
                             ptrdiff_t p, int with_xsq, float *best, ptrdiff_t *labels)
{
    /* Never called: tile_layout() only chooses the paired layout when SM_HAVE_PAIR. */
    (void)x; (void)packed; (void)csq; (void)p; (void)with_xsq; (void)best; (void)labels;
}
#endif

#endif
