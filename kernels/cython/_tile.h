/* Register-tiled "nearest centre" micro-kernel, used by _distances.pyx and _lloyd.pyx.
 *
 * sm_rows*_f64/f32 take a tile of SM_MR rows of X and every packed block of
 * centres, and return for each row its nearest centre j and the squared
 * distance ||x||^2 + min_j (||c_j||^2 - 2 x.c_j), clipped at 0. ||x||^2 is
 * summed while the first block is processed, so X is read from memory once.
 * With with_xsq = 0 they return min_j (||c_j||^2 - 2 x.c_j) alone (unclipped):
 * a caller that reads each row again anyway (the Lloyd step, which adds it into
 * its cluster's sum) gets ||x||^2 there with vector code, and the hot loop here
 * is left with one broadcast multiply-add per row and feature.
 *
 * Inner loop (a GEMM micro-kernel that never writes the product to memory):
 * for one block of nr centres, the SM_MR x nr dot products accumulate in SIMD
 * registers while the loop walks the features; each step loads the feature's
 * nr centre values once (one or two vectors) and reuses them for every row.
 *
 * Fold (vectorised too): each block's d = ||c||^2 - 2 x.c is merged lane by
 * lane into running minima and their centre indices, kept per row in small
 * arrays; only at the end of the row tile are the lanes reduced to one
 * (min value, smallest index) pair, by a vector butterfly on GCC (SM_ROW_MIN).
 * Centres are visited in increasing index order and ties keep the earlier one,
 * so the result is numpy.argmin's. With one block (k <= nr) the block's values
 * are the lane minima directly.
 *
 * float32 with few centres (k <= lanes / 2) uses the paired variant in
 * _tile_pair.h (two features per lane pair: half the loads and arithmetic).
 * Which layout a (dtype, k) gets is decided in one place (_tile_mode in
 * _tile_decl.pxd) and the centres are packed by one Python function
 * (scratchml/metrics/_tile_pack.py), so every kernel sees the same arithmetic.
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

/* Final reduction of one row's lane minima: min value, smallest index on ties.
 * SM_ROW_MIN_SCALAR: two branch-free passes (the minimum, then the smallest
 * index holding it); a "take it if smaller" branch per lane is mispredicted
 * often on real data. NaN lanes are skipped (a NaN distance only comes from
 * overflow; X is finite). GCC gets the vector form below instead. */
#define SM_ROW_MIN_SCALAR(T, IDX)                                                     \
        bv = INFINITY; bi = PTRDIFF_MAX;                                              \
        for (w = 0; w < nr; ++w) bv = minv[r][w] < bv ? minv[r][w] : bv;              \
        for (w = 0; w < nr; ++w) {                                                    \
            ptrdiff_t i = (ptrdiff_t)IDX[r][w];                                       \
            bi = (minv[r][w] == bv && i < bi) ? i : bi;                               \
        }
#define SM_REDUCE(T, ROW_MIN)                                                         \
    for (r = 0; r < SM_MR; ++r) {                                                     \
        T bv; ptrdiff_t bi;                                                           \
        ROW_MIN                                                                       \
        if (bi >= PTRDIFF_MAX / 2) bi = 0;  /* every lane NaN (overflow): 0 */        \
        if (with_xsq) {                                                               \
            bv += xsq[r];             /* ||x||^2 + min(||c||^2 - 2 x.c) */             \
            bv = bv < 0 ? 0 : bv;     /* clip rounding below 0; NaN passes through */  \
        }                                                                             \
        best[r] = bv;                                                                 \
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
/* One block only (k <= nr): its d vectors are the lane minima, no running merge. */
#define SM_SET(r, ACC, V)                                                             \
    { sm_vec d = q##V - 2 * ACC;                                                      \
      memcpy(minv[r] + V * lanes, &d, sizeof d); memcpy(argv[r] + V * lanes, &idx##V, sizeof d); }
#define SM_ONLY(r) SM_SET(r, lo##r, 0) if (nv == 2) SM_SET(r, hi##r, 1)

/* Vector form of the row reduction (GCC's __builtin_shuffle takes an index
 * vector): a butterfly of log2(lanes) steps (lane i against lane i ^ s) leaves
 * the minimum in every lane, and a second one finds the smallest centre index
 * whose lane holds it. About 4 x log2(lanes) vector operations per row instead of
 * a scalar walk over every lane, which cost as much as the dot products when
 * there are few centres. Same result as SM_ROW_MIN_SCALAR. */
#define SM_BLEND(A, B, MASK) ((((sm_idx)(A)) & (MASK)) | (((sm_idx)(B)) & ~(MASK)))
#if defined(__GNUC__) && !defined(__clang__)
#define SM_ROW_MIN(T, IDX)                                                            \
        { sm_vec m0, m1 = {0}, m, o; sm_idx k0, k1 = {0}, e, sel, t; ptrdiff_t s;    \
          memcpy(&m0, minv[r], sizeof m0); memcpy(&k0, IDX[r], sizeof k0);            \
          m = m0;                                                                     \
          if (nv == 2) {                                                              \
              memcpy(&m1, minv[r] + lanes, sizeof m1);                                \
              memcpy(&k1, IDX[r] + lanes, sizeof k1);                                 \
              t = (sm_idx)(m1 < m); m = (sm_vec)SM_BLEND(m1, m, t);                   \
          }                                                                           \
          for (s = lanes / 2; s > 0; s /= 2) {                                        \
              o = __builtin_shuffle(m, iota ^ (sm_its)s);                              \
              t = (sm_idx)(o < m); m = (sm_vec)SM_BLEND(o, m, t);                     \
          }                                                                           \
          e = (sm_idx)(m0 == m); sel = SM_BLEND(k0, big, e);                          \
          if (nv == 2) {                                                              \
              e = (sm_idx)(m1 == m); t = SM_BLEND(k1, big, e);                        \
              e = (sm_idx)(t < sel); sel = SM_BLEND(t, sel, e);                       \
          }                                                                           \
          for (s = lanes / 2; s > 0; s /= 2) {                                        \
              t = __builtin_shuffle(sel, iota ^ (sm_its)s);                            \
              e = (sm_idx)(t < sel); sel = SM_BLEND(t, sel, e);                       \
          }                                                                           \
          bv = m[0]; bi = sel[0] == big[0] ? PTRDIFF_MAX : (ptrdiff_t)sel[0]; }
#else
#define SM_ROW_MIN SM_ROW_MIN_SCALAR
#endif

#define SM_DEFINE_ROWS(NAME, T, VT, IT, ITS, NV)                                      \
static void NAME(const T *x, const T *packed, const T *csq, ptrdiff_t p,             \
                 ptrdiff_t n_blocks, int with_xsq, T *best, ptrdiff_t *labels)        \
{                                                                                     \
    typedef VT sm_vec;                                                                \
    typedef IT sm_idx;                                                                \
    typedef ITS sm_its;                                                               \
    typedef T sm_val;                                                                 \
    enum { nv = NV, lanes = SM_VBYTES / sizeof(T), nr = NV * lanes };                 \
    T minv[SM_MR][nr];                                                                \
    ITS argv[SM_MR][nr];                                                              \
    ITS first[nr];                                                                    \
    T xsq[SM_MR] = {0};                                                               \
    sm_idx idx0, idx1 = {0}, step, iota, big;                                         \
    ptrdiff_t b, f, r, w;                                                             \
    for (r = 0; r < SM_MR && n_blocks > 1; ++r)                                       \
        for (w = 0; w < nr; ++w) { minv[r][w] = INFINITY; argv[r][w] = 0; }           \
    for (w = 0; w < nr; ++w) first[w] = (ITS)w;                                       \
    memcpy(&idx0, first, sizeof idx0);                                                \
    iota = idx0;                                                                      \
    big = iota * 0 + (ITS)((ITS)1 << (8 * sizeof(ITS) - 2));  /* > any index */       \
    if (nv == 2) memcpy(&idx1, first + lanes, sizeof idx1);                           \
    for (w = 0; w < lanes; ++w) first[w] = (ITS)nr;                                   \
    memcpy(&step, first, sizeof step);                                                \
    for (b = 0; b < n_blocks; ++b) {                                                  \
        const T *cblock = packed + b * p * nr;                                        \
        sm_vec c0, c1 = {0}, q0, q1 = {0};                                            \
        SM_EACH_ROW(SM_DECLARE)                                                       \
        if (b == 0 && with_xsq) {                                                     \
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
        if (n_blocks == 1) { SM_EACH_ROW(SM_ONLY) } else { SM_EACH_ROW(SM_FOLD) }     \
        idx0 += step; if (nv == 2) idx1 += step;                                      \
    }                                                                                 \
    (void)big; (void)iota;                                                            \
    SM_REDUCE(T, SM_ROW_MIN(T, argv))                                                 \
}
#else  /* portable fallback: same arithmetic, scalar loops */
#define SM_DEFINE_ROWS(NAME, T, VT, IT, ITS, NV)                                      \
static void NAME(const T *x, const T *packed, const T *csq, ptrdiff_t p,             \
                 ptrdiff_t n_blocks, int with_xsq, T *best, ptrdiff_t *labels)        \
{                                                                                     \
    enum { nr = NV * (SM_VBYTES / sizeof(T)) };                                       \
    T acc[SM_MR][nr], minv[SM_MR][nr], xsq[SM_MR] = {0};                              \
    ptrdiff_t argv[SM_MR][nr];                                                        \
    ptrdiff_t b, f, r, w;                                                             \
    for (r = 0; r < SM_MR; ++r)                                                       \
        for (w = 0; w < nr; ++w) { minv[r][w] = INFINITY; argv[r][w] = 0; }           \
    for (r = 0; r < SM_MR && with_xsq; ++r)                                           \
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
    SM_REDUCE(T, SM_ROW_MIN_SCALAR(T, argv))                                          \
}
#endif

/* sm_dots2_f64/_f32: the SM_MR x nr dot products of a row tile with ONE packed block
 * of nr columns, written to out[r * nr + w] (used by the top-k kernel, which
 * folds them into per-row sorted lists instead of an argmin). Same register
 * tiling and summation order (feature 0, 1, ...) as the argmin kernel. */
#if defined(__GNUC__) || defined(__clang__)
#define SM_STORE(r) { memcpy(out + r * nr, &lo##r, sizeof(sm_vec));                 \
                      memcpy(out + r * nr + lanes, &hi##r, sizeof(sm_vec)); }
#define SM_DEFINE_DOTS2(NAME, T, VT)                                                  \
static void NAME(const T *x, const T *cblock, ptrdiff_t p, T *out)                   \
{                                                                                     \
    typedef VT sm_vec;                                                                \
    typedef T sm_val;                                                                 \
    enum { nv = 2, lanes = SM_VBYTES / sizeof(T), nr = 2 * lanes };                  \
    sm_vec c0, c1;                                                                    \
    ptrdiff_t f;                                                                      \
    SM_EACH_ROW(SM_DECLARE)                                                           \
    for (f = 0; f < p; ++f) {                                                         \
        memcpy(&c0, cblock + f * nr, sizeof c0);                                      \
        memcpy(&c1, cblock + f * nr + lanes, sizeof c1);                              \
        SM_EACH_ROW(SM_UPDATE)                                                        \
    }                                                                                 \
    SM_EACH_ROW(SM_STORE)                                                             \
}
SM_DEFINE_DOTS2(sm_dots2_f64, double, sm_vd)
SM_DEFINE_DOTS2(sm_dots2_f32, float, sm_vf)   /* twice the columns per block */
#else
#define SM_DEFINE_DOTS2(NAME, T)                                                      \
static void NAME(const T *x, const T *cblock, ptrdiff_t p, T *out)                   \
{                                                                                     \
    enum { nr = 2 * (SM_VBYTES / sizeof(T)) };                                        \
    ptrdiff_t f, r, w;                                                                \
    memset(out, 0, sizeof(T) * SM_MR * nr);                                           \
    for (f = 0; f < p; ++f)                                                           \
        for (r = 0; r < SM_MR; ++r)                                                   \
            for (w = 0; w < nr; ++w) out[r * nr + w] += x[r * p + f] * cblock[f * nr + w]; \
}
SM_DEFINE_DOTS2(sm_dots2_f64, double)
SM_DEFINE_DOTS2(sm_dots2_f32, float)
#endif

SM_DEFINE_ROWS(sm_rows2_f64, double, sm_vd, sm_vl, int64_t, 2)
SM_DEFINE_ROWS(sm_rows1_f64, double, sm_vd, sm_vl, int64_t, 1)
SM_DEFINE_ROWS(sm_rows2_f32, float, sm_vf, sm_vi, int32_t, 2)
SM_DEFINE_ROWS(sm_rows1_f32, float, sm_vf, sm_vi, int32_t, 1)

#include "_tile_pair.h"   /* float32 with few centres: two features per lane pair */

/* Ask for [ptr, ptr + bytes) in cache ahead of use (one request per 64-byte line). */
static inline void sm_prefetch(const void *ptr, ptrdiff_t bytes)
{
#if defined(__GNUC__) || defined(__clang__)
    const char *c = (const char *)ptr;
    ptrdiff_t o;
    for (o = 0; o < bytes; o += 64) __builtin_prefetch(c + o, 0, 3);
#else
    (void)ptr; (void)bytes;
#endif
}


#endif
