//! The two things the server asks of the operating system at start-up, through `libc` because
//! the standard library has no call for them. The only `unsafe` code of the server lives here;
//! each call passes plain integers or a struct on the stack and reads nothing back but it.
#![allow(unsafe_code)]

/// Raises the soft limit of open files to the hard limit and returns the new soft limit.
///
/// Every connection is a file descriptor, and the soft limit a shell or systemd hands a process
/// is often 1024 while the hard limit is far higher: without this a burst of connections hits
/// `EMFILE` long before the machine or the connection cap would stop it.
pub fn raise_open_files_limit() -> std::io::Result<(u64, u64)> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes one rlimit into the struct we own.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let before = limit.rlim_cur;
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
        // SAFETY: setrlimit reads one rlimit from a struct on our stack.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
            // Not raised (macOS refuses an unlimited soft limit, say): the old one holds.
            tracing::warn!(error = %std::io::Error::last_os_error(), soft = before, "cannot raise the open-files limit");
            return Ok((before, before));
        }
        limit = raised;
    }
    Ok((before, limit.rlim_cur))
}

/// Makes glibc give large blocks back to the system as soon as they are freed.
///
/// Each password hash (Argon2id) fills a 19 MiB block. glibc serves a block that large with its
/// own `mmap` and unmaps it on free, but after the first such free it raises its threshold past
/// the block's size, and from then on keeps every freed block in its per-thread heaps: a storm of
/// logins left the server at 2 GB, all of it held while idle. Setting the threshold explicitly
/// turns the adjustment off, so every block of 1 MiB or more is unmapped when freed.
///
/// Fixing that threshold also fixes the trim threshold (how much free memory at the top of a
/// heap is kept rather than returned) at its 128 KiB default, and a busy server then returns
/// and takes back heap memory all the time: the load benchmark spent 10 % more CPU per answer.
/// 4 MiB keeps that churn away and is all a heap may keep unused.
pub fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const MMAP_THRESHOLD: libc::c_int = 1024 * 1024;
        const TRIM_THRESHOLD: libc::c_int = 4 * 1024 * 1024;
        // SAFETY: mallopt takes two integers and changes only the allocator's tuning.
        let ok = unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1 && libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
        };
        if !ok {
            tracing::warn!("could not set the allocator's mmap threshold; memory used by password hashing may be kept after a burst");
        }
    }
}
