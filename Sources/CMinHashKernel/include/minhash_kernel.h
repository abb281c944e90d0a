#ifndef WINNOW_MINHASH_KERNEL_H
#define WINNOW_MINHASH_KERNEL_H

#include <stddef.h>
#include <stdint.h>

/// Version 1 of the signatures: for each of `lanes` hash functions h_i(x) = a_i·x + b_i (mod 2^64),
/// lowers mins[i] to the smallest h_i over the `count` shingle hashes. `mins` holds the running
/// minimums on entry.
void winnow_minhash_update(const uint64_t *shingles, size_t count, const uint64_t *a, const uint64_t *b,
                           uint64_t *mins, size_t lanes);

/// Version 2 of the signatures: for each of `lanes` hash functions h_i(x) = a_i·x + b_i (mod 2^32),
/// where x is the upper half of a shingle hash, lowers mins[i] to the smallest h_i over the `count`
/// shingle hashes. `mins` holds the running minimums on entry.
void winnow_minhash32_update(const uint64_t *shingles, size_t count, const uint32_t *a, const uint32_t *b,
                             uint32_t *mins, size_t lanes);

#endif
