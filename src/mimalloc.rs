//! Rust's own allocations go to mimalloc, like tree-sitter's C allocations
//! ([`crate::shell::use_mimalloc_for_tree_sitter`]): the shell front end builds many small
//! strings and vectors per command, and glibc malloc/free was about an eighth of its CPU.
//! Declared in the library so the binary and every test binary run on the same allocator.
//!
//! Arenas are not committed eagerly: with mimalloc's default (eager commit where the OS
//! overcommits) peak RSS doubled on the SQL bench (39 → 90 MiB); without it, it stays near
//! glibc's (shell 21 MiB, as before) at no cost in CPU time.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};

pub struct Mimalloc;

/// `mi_option_arena_eager_commit` in the mimalloc v3 sources libmimalloc-sys builds
/// (`include/mimalloc.h`, the fifth option; the crate has no constant for it).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
static CONFIGURED: AtomicBool = AtomicBool::new(false);

/// mimalloc's plain `mi_malloc` blocks are aligned to 16 bytes from a size of 16 up and to
/// their size below it (`alloc.c`: "block_size < MI_MAX_ALIGN_SIZE || aligned to
/// MI_MAX_ALIGN_SIZE"; small sizes round up to whole words), like the C standard's guarantee
/// the standard library's `System` allocator relies on. A layout within that guarantee takes
/// the plain path: the aligned functions check the alignment, look for a block that happens
/// to be aligned and fall back to a generic path (on the shell bench ~66 instructions per
/// allocation, one in ten through the generic path at ~200).
const PLAIN_ALIGN: usize = 16;

#[inline]
fn plain(align: usize, size: usize) -> bool {
    align <= PLAIN_ALIGN && align <= size
}

/// Set the options before the first allocation reserves an arena (read on use).
#[inline]
fn configure() {
    if !CONFIGURED.load(Ordering::Relaxed) {
        CONFIGURED.store(true, Ordering::Relaxed);
        // SAFETY: sets an option value; no memory is touched.
        unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
    }
}

// SAFETY: mimalloc's aligned functions (and its plain ones within `PLAIN_ALIGN`) return memory of at least `size` bytes aligned to
// `align` (or null on failure), `mi_realloc_aligned` keeps the contents up to the smaller
// size, and `mi_free` releases any pointer they returned; every pointer freed here came from
// this allocator (it is the only global allocator).
unsafe impl GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        configure();
        if plain(layout.align(), layout.size()) {
            // SAFETY: see the impl comment and `PLAIN_ALIGN`.
            return unsafe { libmimalloc_sys::mi_malloc(layout.size()).cast() };
        }
        // SAFETY: see the impl comment.
        unsafe { libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast() }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        configure();
        // SAFETY: see the impl comment.
        unsafe { libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast() }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` was returned by this allocator (GlobalAlloc contract).
        unsafe { libmimalloc_sys::mi_free(ptr.cast::<c_void>()) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if plain(layout.align(), new_size) {
            // SAFETY: as below; `mi_realloc` keeps the block when the new size fits it and
            // otherwise moves to a `mi_malloc` block, aligned as `PLAIN_ALIGN` says.
            return unsafe { libmimalloc_sys::mi_realloc(ptr.cast::<c_void>(), new_size).cast() };
        }
        // SAFETY: `ptr` was returned by this allocator with `layout` (GlobalAlloc contract).
        unsafe {
            libmimalloc_sys::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align())
                .cast()
        }
    }
}

#[global_allocator]
static GLOBAL: Mimalloc = Mimalloc;
