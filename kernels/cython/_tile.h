/* Register-tiled "nearest centre" micro-kernel, used by _distances.pyx.
 *
 * sm_rows*_f64/f32 take a tile of SM_MR rows of X and every packed block of
 * centres, and return for each row its nearest centre j and the squared
 * distance ||x||^2 + min_j (||c_j||^2 - 2 x.c_j), clipped at 0. ||x||^2 is
 * summed while the first block is processed, so X is read from memory once.
 *
 * Inner loop (a GEMM micro-kernel that never writes the product to memory):
 * for one block of nr centres, the SM_MR x nr dot products accumulate in SIMD
 * registers while the loop walks the features; each step loads the feature's
 * nr centre values once (one or two vectors) and reuses them for every row.
 *
 * Fold (vectorised too): each block's d = ||c||^2 - 2 x.c is merged lane by
 * lane into running minima and their centre indices, kept per row in small
 * arrays; only at the end of the row tile are the lanes reduced to one
 * (min value, smallest index) pair. Centres are visited in increasing index
 * order and ties keep the earlier one, so the result is numpy.argmin's.
 *
 * GCC/Clang vector extensions express "a vector of SM_VBYTES bytes" at the
 * CPU's own width (AVX-512, AVX, or 16 bytes, which every 64-bit target has),
 * so each vector operation is one instruction. Each row has its own named
 * accumulators (lo0, hi0, lo1, ...), written out by SM_EACH_ROW, because
 * compilers keep named variables in registers but often leave arrays on the
 * stack. Other compilers get the same arithmetic as plain loops.
 *
 * Every row's dot product is the same sequence of operations (feature 0, 1,
 * ...) whatever tile it is in, so results never depend on tiling or threads.
 */
#ifndef SCRATCHML_TILE_H
#define SCRATCHML_TILE_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__AVX512F__)
#define SM_VBYTES 64
#define SM_MR 8        /* 8 rows x 2 vectors = 16 accumulators of the 32 zmm registers */
#define SM_EACH_ROW(DO) DO(0) DO(1) DO(2) DO(3) DO(4) DO(5) DO(6) DO(7)
#elif defined(__AVX__)
#define SM_VBYTES 32
#define SM_MR 4        /* 8 accumulators of the 16 ymm registers */
#define SM_EACH_ROW(DO) DO(0) DO(1) DO(2) DO(3)
#else
#define SM_VBYTES 16
#define SM_MR 4
#define SM_EACH_ROW(DO) DO(0) DO(1) DO(2) DO(3)
#endif

#define SM_LANES_F64 (SM_VBYTES / 8)
#define SM_LANES_F32 (SM_VBYTES / 4)

/* Final reduction of one row's lane minima: min value, smallest index on ties. */
#define SM_REDUCE(T, IDX)                                                             \
    for (r = 0; r < SM_MR; ++r) {                                                     \
        T bv = INFINITY; ptrdiff_t bi = 0;                                            \
        for (w = 0; w < nr; ++w) {                                                    \
            T v = minv[r][w]; ptrdiff_t i = (ptrdiff_t)IDX[r][w];                     \
            if (v < bv || (v == bv && i < bi)) { bv = v; bi = i; }                    \
        }                                                                             \
        bv += xsq[r];                 /* ||x||^2 + min(||c||^2 - 2 x.c) */             \
        best[r] = bv < 0 ? 0 : bv;    /* clip rounding below 0; NaN passes through */  \
        labels[r] = bi;                                                               \
    }

#if defined(__GNUC__) || defined(__clang__)
typedef double sm_vd __attribute__((vector_size(SM_VBYTES)));
typedef float sm_vf __attribute__((vector_size(SM_VBYTES)));
typedef int64_t sm_vl __attribute__((vector_size(SM_VBYTES)));   /* lanes of sm_vd */
typedef int32_t sm_vi __attribute__((vector_size(SM_VBYTES)));   /* lanes of sm_vf */

#define SM_DECLARE(r) sm_vec lo##r = {0}, hi##r = {0};
#define SM_UPDATE(r) { sm_val xr = x[r * p + f]; lo##r += xr * c0; if (nv == 2) hi##r += xr * c1; }
/* In the first block also sum x^2 for the row (x is being read anyway). */
#define SM_UPDATE_SQ(r) { sm_val xr = x[r * p + f]; lo##r += xr * c0; if (nv == 2) hi##r += xr * c1; \
                          xsq[r] += xr * xr; }
/* d = ||c||^2 - 2 acc; where d < running min (a lane mask), take d and its index. */
#define SM_MERGE(r, ACC, V)                                                           \
    { sm_vec d = q##V - 2 * ACC, m; sm_idx k;                                         \
      memcpy(&m, minv[r] + V * lanes, sizeof m); memcpy(&k, argv[r] + V * lanes, sizeof k); \
      sm_idx take = (sm_idx)(d < m);                                                  \
      m = (sm_vec)(((sm_idx)d & take) | ((sm_idx)m & ~take));                         \
      k = (idx##V & take) | (k & ~take);                                              \
      memcpy(minv[r] + V * lanes, &m, sizeof m); memcpy(argv[r] + V * lanes, &k, sizeof k); }
#define SM_FOLD(r) SM_MERGE(r, lo##r, 0) if (nv == 2) SM_MERGE(r, hi##r, 1)

#define SM_DEFINE_ROWS(NAME, T, VT, IT, ITS, NV)                                      \
static void NAME(const T *x, const T *packed, const T *csq, ptrdiff_t p,             \
                 ptrdiff_t n_blocks, T *best, ptrdiff_t *labels)                      \
{                                                                                     \
    typedef VT sm_vec;                                                                \
    typedef IT sm_idx;                                                                \
    typedef T sm_val;                                                                 \
    enum { nv = NV, lanes = SM_VBYTES / sizeof(T), nr = NV * lanes };                 \
    T minv[SM_MR][nr];                                                                \
    ITS argv[SM_MR][nr];                                                              \
    ITS first[nr];                                                                    \
    T xsq[SM_MR] = {0};                                                               \
    sm_idx idx0, idx1 = {0}, step;                                                    \
    ptrdiff_t b, f, r, w;                                                             \
    for (r = 0; r < SM_MR; ++r)                                                       \
        for (w = 0; w < nr; ++w) { minv[r][w] = INFINITY; argv[r][w] = 0; }           \
    for (w = 0; w < nr; ++w) first[w] = (ITS)w;                                       \
    memcpy(&idx0, first, sizeof idx0);                                                \
    if (nv == 2) memcpy(&idx1, first + lanes, sizeof idx1);                           \
    for (w = 0; w < lanes; ++w) first[w] = (ITS)nr;                                   \
    memcpy(&step, first, sizeof step);                                                \
    for (b = 0; b < n_blocks; ++b) {                                                  \
        const T *cblock = packed + b * p * nr;                                        \
        sm_vec c0, c1 = {0}, q0, q1 = {0};                                            \
        SM_EACH_ROW(SM_DECLARE)                                                       \
        if (b == 0) {                                                                 \
            for (f = 0; f < p; ++f) {                                                 \
                memcpy(&c0, cblock + f * nr, sizeof c0);                              \
                if (nv == 2) memcpy(&c1, cblock + f * nr + lanes, sizeof c1);         \
                SM_EACH_ROW(SM_UPDATE_SQ)                                             \
            }                                                                         \
        } else {                                                                      \
            for (f = 0; f < p; ++f) {                                                 \
                /* unaligned loads of this feature's nr centre values */             \
                memcpy(&c0, cblock + f * nr, sizeof c0);                              \
                if (nv == 2) memcpy(&c1, cblock + f * nr + lanes, sizeof c1);         \
                SM_EACH_ROW(SM_UPDATE)                                                \
            }                                                                         \
        }                                                                             \
        memcpy(&q0, csq + b * nr, sizeof q0);                                         \
        if (nv == 2) memcpy(&q1, csq + b * nr + lanes, sizeof q1);                    \
        SM_EACH_ROW(SM_FOLD)                                                          \
        idx0 += step; if (nv == 2) idx1 += step;                                      \
    }                                                                                 \
    SM_REDUCE(T, argv)                                                                \
}
#else  /* portable fallback: same arithmetic, scalar loops */
#define SM_DEFINE_ROWS(NAME, T, VT, IT, ITS, NV)                                      \
static void NAME(const T *x, const T *packed, const T *csq, ptrdiff_t p,             \
                 ptrdiff_t n_blocks, T *best, ptrdiff_t *labels)                      \
{                                                                                     \
    enum { nr = NV * (SM_VBYTES / sizeof(T)) };                                       \
    T acc[SM_MR][nr], minv[SM_MR][nr], xsq[SM_MR] = {0};                              \
    ptrdiff_t argv[SM_MR][nr];                                                        \
    ptrdiff_t b, f, r, w;                                                             \
    for (r = 0; r < SM_MR; ++r)                                                       \
        for (w = 0; w < nr; ++w) { minv[r][w] = INFINITY; argv[r][w] = 0; }           \
    for (r = 0; r < SM_MR; ++r)                                                       \
        for (f = 0; f < p; ++f) xsq[r] += x[r * p + f] * x[r * p + f];                \
    for (b = 0; b < n_blocks; ++b) {                                                  \
        const T *cblock = packed + b * p * nr;                                        \
        memset(acc, 0, sizeof acc);                                                   \
        for (f = 0; f < p; ++f)                                                       \
            for (r = 0; r < SM_MR; ++r)                                               \
                for (w = 0; w < nr; ++w) acc[r][w] += x[r * p + f] * cblock[f * nr + w]; \
        for (r = 0; r < SM_MR; ++r)                                                   \
            for (w = 0; w < nr; ++w) {                                                \
                T d = csq[b * nr + w] - 2 * acc[r][w];                                \
                if (d < minv[r][w]) { minv[r][w] = d; argv[r][w] = b * nr + w; }      \
            }                                                                         \
    }                                                                                 \
    SM_REDUCE(T, argv)                                                                \
}
#endif

/* sm_dots2_f64: the SM_MR x nr dot products of a row tile with ONE packed block
 * of nr columns, written to out[r * nr + w] (used by the top-k kernel, which
 * folds them into per-row sorted lists instead of an argmin). Same register
 * tiling and summation order (feature 0, 1, ...) as the argmin kernel. */
#if defined(__GNUC__) || defined(__clang__)
#define SM_STORE(r) { memcpy(out + r * nr, &lo##r, sizeof(sm_vec));                 \
                      memcpy(out + r * nr + lanes, &hi##r, sizeof(sm_vec)); }
static void sm_dots2_f64(const double *x, const double *cblock, ptrdiff_t p, double *out)
{
    typedef sm_vd sm_vec;
    typedef double sm_val;
    enum { nv = 2, lanes = SM_VBYTES / sizeof(double), nr = 2 * lanes };
    sm_vec c0, c1;
    ptrdiff_t f;
    SM_EACH_ROW(SM_DECLARE)
    for (f = 0; f < p; ++f) {
        memcpy(&c0, cblock + f * nr, sizeof c0);
        memcpy(&c1, cblock + f * nr + lanes, sizeof c1);
        SM_EACH_ROW(SM_UPDATE)
    }
    SM_EACH_ROW(SM_STORE)
}
#else
static void sm_dots2_f64(const double *x, const double *cblock, ptrdiff_t p, double *out)
{
    enum { nr = 2 * (SM_VBYTES / sizeof(double)) };
    ptrdiff_t f, r, w;
    memset(out, 0, sizeof(double) * SM_MR * nr);
    for (f = 0; f < p; ++f)
        for (r = 0; r < SM_MR; ++r)
            for (w = 0; w < nr; ++w) out[r * nr + w] += x[r * p + f] * cblock[f * nr + w];
}
#endif

SM_DEFINE_ROWS(sm_rows2_f64, double, sm_vd, sm_vl, int64_t, 2)
SM_DEFINE_ROWS(sm_rows1_f64, double, sm_vd, sm_vl, int64_t, 1)
SM_DEFINE_ROWS(sm_rows2_f32, float, sm_vf, sm_vi, int32_t, 2)
SM_DEFINE_ROWS(sm_rows1_f32, float, sm_vf, sm_vi, int32_t, 1)

#endif
