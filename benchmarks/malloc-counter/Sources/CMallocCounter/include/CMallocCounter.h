#ifndef C_MALLOC_COUNTER_H
#define C_MALLOC_COUNTER_H

/// Number of malloc, calloc, realloc, posix_memalign, aligned_alloc and memalign calls made by this process so far.
long c_malloc_counter_allocations(void);

#endif
