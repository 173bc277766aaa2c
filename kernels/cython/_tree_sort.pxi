# Included by _tree.pyx (one translation unit, so every call here can still be inlined).
# Sorting the (value, sample id) pairs of one feature at one node.

# -- sorting (Xf, idx) by value -----------------------------------------------------------
# Introsort (quicksort with a Hoare partition, heapsort when the recursion degrades).
# The reference sums in (value, id) order; when sums are exact -- integer class
# counts, integer weights -- the order of equal values cannot change a bit, and the
# unstable sort is enough. Otherwise each run of equal values gets its ids sorted, which
# restores the unique (value, id) order (a single linear scan when there are no ties).

cdef inline void _swap(floating* v, intp* s, intp i, intp j) noexcept nogil:
    cdef floating tv = v[i]
    cdef intp ts = s[i]
    v[i] = v[j]
    s[i] = s[j]
    v[j] = tv
    s[j] = ts


cdef inline floating _median3(floating* v, intp n) noexcept nogil:
    cdef floating a = v[0], b = v[n // 2], c = v[n - 1]
    if a < b:
        if b < c:
            return b
        elif a < c:
            return c
        return a
    elif b < c:
        if a < c:
            return a
        return c
    return b


cdef void _sift(floating* v, intp* s, intp root, intp n) noexcept nogil:
    cdef intp child
    while 2 * root + 1 < n:
        child = 2 * root + 1
        if child + 1 < n and v[child] < v[child + 1]:
            child += 1
        if not v[root] < v[child]:
            return
        _swap(v, s, root, child)
        root = child


cdef void _heapsort(floating* v, intp* s, intp n) noexcept nogil:
    cdef intp i
    for i in range(n // 2 - 1, -1, -1):
        _sift(v, s, i, n)
    for i in range(n - 1, 0, -1):
        _swap(v, s, 0, i)
        _sift(v, s, 0, i)


cdef void _insertion(floating* v, intp* s, intp n) noexcept nogil:
    cdef intp i, j, sk
    cdef floating vk
    for i in range(1, n):
        vk = v[i]
        sk = s[i]
        j = i
        while j > 0 and vk < v[j - 1]:
            v[j] = v[j - 1]
            s[j] = s[j - 1]
            j -= 1
        v[j] = vk
        s[j] = sk


cdef void _introsort(floating* v, intp* s, intp n, int budget) noexcept nogil:
    cdef intp i, j
    cdef floating pivot
    while n > 16:
        if budget <= 0:
            _heapsort(v, s, n)
            return
        budget -= 1
        pivot = _median3(v, n)
        # Hoare partition: [0, j] <= pivot <= [j + 1, n), both parts non-empty; runs
        # of equal values are split evenly, so repeated values stay O(n log n)
        i = -1
        j = n
        while True:
            i += 1
            while v[i] < pivot:
                i += 1
            j -= 1
            while v[j] > pivot:
                j -= 1
            if i >= j:
                break
            _swap(v, s, i, j)
        # recurse into the smaller part, loop on the larger
        if j + 1 < n - j - 1:
            _introsort(v, s, j + 1, budget)
            v += j + 1
            s += j + 1
            n -= j + 1
        else:
            _introsort(v + j + 1, s + j + 1, n - j - 1, budget)
            n = j + 1
    _insertion(v, s, n)


cdef void _sort_ids(intp* s, intp n) noexcept nogil:
    """Sort distinct sample ids: quicksort, insertion sort below 16."""
    cdef intp i, j, k, pivot, t
    while n > 16:
        pivot = s[n // 2]
        i = 0
        j = n - 1
        while i <= j:
            while s[i] < pivot:
                i += 1
            while s[j] > pivot:
                j -= 1
            if i <= j:
                t = s[i]
                s[i] = s[j]
                s[j] = t
                i += 1
                j -= 1
        if j + 1 < n - i:
            _sort_ids(s, j + 1)
            s += i
            n -= i
        else:
            _sort_ids(s + i, n - i)
            n = j + 1
    for i in range(1, n):
        k = s[i]
        j = i
        while j > 0 and k < s[j - 1]:
            s[j] = s[j - 1]
            j -= 1
        s[j] = k


cdef void _stable_qsort(floating* v, intp* s, intp n, floating* tv, intp* ts,
                        int budget) noexcept nogil:
    """Stable sort by value for data with many repeated values: each level scatters the
    slice into the buffers as [< pivot | == pivot | > pivot] keeping the input order in
    each part, so a run of equal values is finished in one pass. Insertion sort below
    16; if pivots are unlucky for too long, the rest falls back to insertion sort in
    blocks merged by the same scatter (never worse than O(n^2), reached only by
    adversarial orders)."""
    cdef intp i, nl, ne, a, b, c
    cdef floating pivot, x
    while n > 16:
        if budget <= 0:
            break
        budget -= 1
        pivot = _median3(v, n)
        nl = 0
        ne = 0
        for i in range(n):
            x = v[i]
            if x < pivot:
                nl += 1
            elif x == pivot:
                ne += 1
        a = 0
        b = nl
        c = nl + ne
        for i in range(n):
            x = v[i]
            if x < pivot:
                tv[a] = x
                ts[a] = s[i]
                a += 1
            elif x == pivot:
                tv[b] = x
                ts[b] = s[i]
                b += 1
            else:
                tv[c] = x
                ts[c] = s[i]
                c += 1
        memcpy(v, tv, n * sizeof(floating))
        memcpy(s, ts, n * sizeof(intp))
        _stable_qsort(v, s, nl, tv, ts, budget)
        v += nl + ne
        s += nl + ne
        n -= nl + ne
    _insertion(v, s, n)  # stable: strict comparison


cdef inline intp _sort(floating* v, intp* s, intp n, int mode, floating* tv,
                       intp* ts) noexcept nogil:
    """Sort (v, s) by value. mode 0: unstable; 1: then ids inside runs of equal values;
    2: stable scatter quicksort. Modes 1 and 2 give the same (value, id) order when the
    input ids are increasing. Returns how many values had an equal neighbour (modes 0, 1)."""
    cdef int budget = 0
    cdef intp m = n, i = 0, j, ties = 0
    while m > 1:
        budget += 2
        m >>= 1
    if mode == 2:
        _stable_qsort(v, s, n, tv, ts, budget)
        return 0
    _introsort(v, s, n, budget)
    while i < n:
        j = i + 1
        while j < n and v[j] == v[i]:
            j += 1
        if j - i > 1:
            if mode == 1:
                _sort_ids(s + i, j - i)
            ties += j - i
        i = j
    return ties

