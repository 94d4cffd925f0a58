// CPrefetch: the CPU's prefetch hint (__builtin_prefetch), which Swift cannot spell. Header-only and side-effect
// free: a hint never faults, even on an address that is not mapped, and changes no program state.
#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Starts loading the cache line holding `address` for reading.
static inline void cpf_prefetch_read(const void *address) { __builtin_prefetch(address, 0, 3); }

/// Starts loading the cache line holding `address` for writing (exclusive ownership).
static inline void cpf_prefetch_write(const void *address) { __builtin_prefetch(address, 1, 3); }

#endif
